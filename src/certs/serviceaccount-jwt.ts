// Service-account tokens as upstream's bound tokens: a JWS (compact form)
// signed RS256 (RSA keys) or ES256/ES384 (ECDSA), `kid` the unpadded
// base64url SHA-256 of the public key's DER SubjectPublicKeyInfo, and the
// claims iss, sub, aud, exp, iat, nbf, jti plus the private `kubernetes.io`
// claim naming the namespace, the service account and the object the token
// is bound to.
//
// verify() checks only what the token itself says (form, issuer, signature,
// audience, times); whether the objects it names still exist is the
// apiserver's business. Failures are CertsErrors with stable codes; messages
// for expiry and audience are upstream's, and none contains the token.
import { createHash, createPublicKey, randomUUID, sign, verify as verifySignature, type KeyObject } from 'node:crypto';
import { quote } from '../machinery/index.js';
import { CertsError } from './errors.js';
import { parseClaims, type ServiceAccountClaims, type TokenObjectRef } from './serviceaccount-claims.js';
import { signingKeyFromPem, type ServiceAccountKeyPair } from './serviceaccount.js';

export type { KubernetesClaims, ServiceAccountClaims, TokenObjectRef } from './serviceaccount-claims.js';

/** k3s's issuer for the default cluster domain (upstream requires one to be set). */
export const defaultServiceAccountIssuer = 'https://kubernetes.default.svc.cluster.local';

/** Clock skew allowed on exp, nbf and iat: the JOSE library's default upstream validates with. */
export const tokenLeewaySeconds = 60;

export type TokenAlgorithm = 'RS256' | 'ES256' | 'ES384';

export interface TokenToIssue {
  namespace: string;
  serviceAccount: TokenObjectRef;
  audiences: readonly string[];
  /** Lifetime from `now`; exp = iat + this. */
  expirationSeconds: number;
  /** At most one of pod (with its node), secret, node alone. */
  pod?: TokenObjectRef;
  secret?: TokenObjectRef;
  node?: { name: string; uid?: string };
  /** Seconds from `now` after which the token counts as stale though still valid (kubelet's extended tokens). */
  warnAfterSeconds?: number;
  now?: Date;
}

export interface VerifyOptions {
  /** Audiences the caller accepts; defaults to the issuer. A token must name at least one. */
  audiences?: readonly string[];
  now?: Date;
}

export interface VerifiedToken {
  claims: ServiceAccountClaims;
  /** The token's audiences the caller accepts (never empty). */
  audiences: string[];
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** Issues and verifies tokens with one key pair; holds no other state. */
export class ServiceAccountTokenSigner {
  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    readonly algorithm: TokenAlgorithm,
    readonly keyId: string,
    readonly issuer: string,
  ) {}

  /** Throws CertsError 'file-corrupt', 'unsupported-key' or 'key-mismatch' (the public key is not the private key's). */
  static fromPem(pair: ServiceAccountKeyPair, opts: { issuer?: string } = {}): ServiceAccountTokenSigner {
    const privateKey = signingKeyFromPem(pair.keyPem);
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey(pair.publicKeyPem);
    } catch {
      throw new CertsError('file-corrupt', 'the service-account public key is not a PEM public key');
    }
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    if (!spki.equals(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }))) {
      throw new CertsError('key-mismatch', 'the service-account public key does not belong to the signing key');
    }
    const keyId = createHash('sha256').update(spki).digest('base64url');
    return new ServiceAccountTokenSigner(privateKey, publicKey, algorithmOf(privateKey), keyId, opts.issuer ?? defaultServiceAccountIssuer);
  }

  /** A signed token and the claims it carries. */
  issue(req: TokenToIssue): { token: string; claims: ServiceAccountClaims } {
    const now = Math.floor((req.now ?? new Date()).getTime() / 1000);
    const kubernetes: ServiceAccountClaims['kubernetes.io'] = { namespace: req.namespace, serviceaccount: { ...req.serviceAccount } };
    if (req.pod) kubernetes.pod = { ...req.pod };
    if (req.secret) kubernetes.secret = { ...req.secret };
    if (req.node) kubernetes.node = { ...req.node };
    if (req.warnAfterSeconds) kubernetes.warnafter = now + req.warnAfterSeconds;
    // Keys in the order upstream's tokens carry them.
    const claims: ServiceAccountClaims = {
      aud: [...req.audiences],
      exp: now + req.expirationSeconds,
      iat: now,
      iss: this.issuer,
      jti: randomUUID(),
      'kubernetes.io': kubernetes,
      nbf: now,
      sub: `system:serviceaccount:${req.namespace}:${req.serviceAccount.name}`,
    };
    const signingInput = `${b64url(JSON.stringify({ alg: this.algorithm, kid: this.keyId }))}.${b64url(JSON.stringify(claims))}`;
    const signature = sign(hashOf(this.algorithm), Buffer.from(signingInput), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return { token: `${signingInput}.${b64url(signature)}`, claims };
  }

  /** The token's claims and accepted audiences; throws CertsError 'token-*' when it is not valid now. */
  verify(token: string, opts: VerifyOptions = {}): VerifiedToken {
    const parts = token.split('.');
    const [header, payload, signature] = parts;
    if (parts.length !== 3 || !header || !payload || !signature) throw malformed('not a compact JWS (three dot-separated parts)');
    const decoded = decodeJson(payload, 'payload');
    // The issuer is checked before the signature, as upstream does: a token
    // from another issuer is not ours to judge.
    if ((decoded as { iss?: unknown } | null)?.iss !== this.issuer) throw new CertsError('token-issuer', 'the token was not issued by this server');
    const alg = (decodeJson(header, 'header') as { alg?: unknown } | null)?.alg;
    // The algorithm is the key's: a token cannot choose `none` or an HMAC.
    if (alg !== this.algorithm || !this.signatureValid(`${header}.${payload}`, signature)) {
      throw new CertsError('token-signature', 'the token signature does not verify with the service-account key');
    }
    const claims = parseClaims(decoded);

    const wanted = opts.audiences ?? [this.issuer];
    // A token without audiences is one for this API (upstream's legacy rule).
    const tokenAudiences = claims.aud.length === 0 ? [this.issuer] : claims.aud;
    const audiences = tokenAudiences.filter((a) => wanted.includes(a));
    if (audiences.length === 0) {
      throw new CertsError('token-audience', `token audiences ${goList(tokenAudiences)} is invalid for the target audiences ${goList(wanted)}`);
    }
    const now = (opts.now ?? new Date()).getTime() / 1000;
    if (now - tokenLeewaySeconds > claims.exp) throw new CertsError('token-expired', 'service account token has expired');
    if (claims.nbf !== undefined && now + tokenLeewaySeconds < claims.nbf) throw new CertsError('token-not-yet-valid', 'service account token is not valid yet');
    if (claims.iat !== undefined && now + tokenLeewaySeconds < claims.iat) {
      throw new CertsError('token-not-yet-valid', 'service account token is issued in the future');
    }
    return { claims, audiences };
  }

  private signatureValid(signingInput: string, signature: string): boolean {
    try {
      const sig = Buffer.from(signature, 'base64url');
      return verifySignature(hashOf(this.algorithm), Buffer.from(signingInput), { key: this.publicKey, dsaEncoding: 'ieee-p1363' }, sig);
    } catch {
      return false;
    }
  }
}

function algorithmOf(key: KeyObject): TokenAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  return key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'ES384' : 'ES256';
}

function hashOf(alg: TokenAlgorithm): string {
  return alg === 'ES384' ? 'sha384' : 'sha256';
}

function malformed(reason: string): CertsError {
  return new CertsError('token-malformed', `malformed service-account token: ${reason}`);
}

function decodeJson(part: string, what: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) throw malformed(`the ${what} is not base64url`);
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    throw malformed(`the ${what} is not JSON`);
  }
}

/** A string list as Go's `%q` prints one: `["a" "b"]`. */
function goList(values: readonly string[]): string {
  return `[${values.map(quote).join(' ')}]`;
}

// Who is calling: an x509 client certificate (verified once per TLS
// connection) wins; otherwise an `Authorization: Bearer` service-account
// token; otherwise the request is anonymous, and anonymous requests may only
// reach the health and version endpoints. Credentials that are presented
// but invalid are a 401 everywhere, as upstream (a bad token never falls
// back to anonymous).
import type { TLSSocket } from 'node:tls';
import type { ObjectMeta } from '../../api/types.js';
import { isCertsError, tokenLeewaySeconds, type ClientCertVerifier, type ServiceAccountClaims, type ServiceAccountTokenSigner } from '../../certs/index.js';
import { notFound } from '../../machinery/index.js';
import type { ServerState } from '../rest/context.js';
import type { UserInfo } from '../rest/types.js';
import { objectKey } from '../storage/keys.js';

export const anonymous: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

const anonymousPaths = /^\/(?:healthz|livez|readyz|version)(?:\/.*)?$/;

export function anonymousAllowed(path: string): boolean {
  return anonymousPaths.test(path);
}

/** A token's user with upstream's extra fields (pod, node, credential id). */
export interface TokenUser extends UserInfo {
  uid: string;
  extra: Record<string, string[]>;
}

export type TokenAuthentication =
  | { authenticated: true; user: TokenUser; audiences: string[] }
  | { authenticated: false; error: string };

/** Checks bearer tokens; used by the HTTPS server and by TokenReview. */
export interface TokenAuthenticator {
  /**
   * The user a token stands for, valid for one of `audiences` (default: the
   * API's own). A bad token is a result, not an exception; only a failing
   * store throws.
   */
  authenticateToken(token: string, audiences?: readonly string[]): Promise<TokenAuthentication>;
}

export type RequestIdentity = { kind: 'user'; user: UserInfo } | { kind: 'anonymous' } | { kind: 'rejected'; reason: string };

/**
 * The token an Authorization header carries, upstream's way: the scheme is
 * case-insensitive and the token is the second space-separated word; an
 * empty token counts as none.
 */
export function bearerToken(header: string | undefined): string | undefined {
  const parts = (header ?? '').trim().split(' ');
  if (parts.length < 2 || parts[0]?.toLowerCase() !== 'bearer') return undefined;
  return parts[1] === '' ? undefined : parts[1];
}

export class ConnectionAuthenticator {
  private readonly identities = new WeakMap<TLSSocket, Promise<UserInfo | undefined>>();

  constructor(
    private readonly verifier: ClientCertVerifier,
    private readonly tokens?: TokenAuthenticator,
  ) {}

  /** The user the connection's client certificate names, or undefined (anonymous). */
  authenticate(socket: TLSSocket): Promise<UserInfo | undefined> {
    let found = this.identities.get(socket);
    if (!found) {
      found = this.verify(socket);
      this.identities.set(socket, found);
    }
    return found;
  }

  /** One request's identity: client certificate first, then a bearer token (when tokens are enabled). */
  async authenticateRequest(socket: TLSSocket, authorization: string | undefined): Promise<RequestIdentity> {
    const fromCert = await this.authenticate(socket);
    if (fromCert) return { kind: 'user', user: fromCert };
    const token = bearerToken(authorization);
    if (!this.tokens || token === undefined) return { kind: 'anonymous' };
    const result = await this.tokens.authenticateToken(token);
    return result.authenticated ? { kind: 'user', user: result.user } : { kind: 'rejected', reason: result.error };
  }

  private async verify(socket: TLSSocket): Promise<UserInfo | undefined> {
    const peer = socket.getPeerCertificate(true);
    if (!peer || !('raw' in peer) || !peer.raw) return undefined;
    try {
      const id = await this.verifier.verify(peer);
      const groups = id.groups.includes('system:authenticated') ? id.groups : [...id.groups, 'system:authenticated'];
      return { username: id.user, groups };
    } catch {
      return undefined;
    }
  }
}

const invalidated = 'service account token has been invalidated';
const coreSpace = (resource: string, namespaced: boolean) => ({ group: '', resource, namespaced });

/**
 * Service-account tokens: the signature and times (certs), then the objects
 * the token names, read from the store on every call, so deleting the
 * service account or the bound pod/secret/node ends the token at once.
 * Objects being deleted stay good for the token leeway past their
 * deletionTimestamp, as upstream. Error texts are upstream's.
 */
export class ServiceAccountTokenAuthenticator implements TokenAuthenticator {
  constructor(
    private readonly state: Pick<ServerState, 'store' | 'now'>,
    private readonly signer: ServiceAccountTokenSigner,
    /** What the API itself answers to (upstream's --api-audiences; by default the issuer). */
    readonly apiAudiences: readonly string[] = [signer.issuer],
  ) {}

  async authenticateToken(token: string, audiences: readonly string[] = this.apiAudiences): Promise<TokenAuthentication> {
    const now = this.state.now();
    let claims: ServiceAccountClaims;
    let accepted: string[];
    try {
      ({ claims, audiences: accepted } = this.signer.verify(token, { audiences, now }));
    } catch (err) {
      if (!isCertsError(err)) throw err;
      // A token that is not a JWT from this issuer is declined, which upstream reports like this.
      const error = err.code === 'token-malformed' || err.code === 'token-issuer' ? 'invalid bearer token' : err.message;
      return { authenticated: false, error };
    }
    const problem = await this.boundObjectProblem(claims, now.getTime() - tokenLeewaySeconds * 1000);
    if (problem !== undefined) return { authenticated: false, error: problem };
    const k8s = claims['kubernetes.io'];
    const extra: Record<string, string[]> = {};
    if (k8s.pod) {
      extra['authentication.kubernetes.io/pod-name'] = [k8s.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k8s.pod.uid];
    }
    if (k8s.node) {
      extra['authentication.kubernetes.io/node-name'] = [k8s.node.name];
      if (k8s.node.uid) extra['authentication.kubernetes.io/node-uid'] = [k8s.node.uid];
    }
    if (claims.jti) extra['authentication.kubernetes.io/credential-id'] = [`JTI=${claims.jti}`];
    const user: TokenUser = {
      username: `system:serviceaccount:${k8s.namespace}:${k8s.serviceaccount.name}`,
      uid: k8s.serviceaccount.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${k8s.namespace}`, 'system:authenticated'],
      extra,
    };
    return { authenticated: true, user, audiences: accepted };
  }

  /** Why the objects the token names no longer back it, or undefined. */
  private async boundObjectProblem(claims: ServiceAccountClaims, cutoffMs: number): Promise<string | undefined> {
    const { namespace, serviceaccount: sa, secret, pod, node } = claims['kubernetes.io'];
    const account = await this.meta(coreSpace('serviceaccounts', true), namespace, sa.name);
    if (!account) return notFound('serviceaccounts', sa.name).message;
    if (deletedBefore(account, cutoffMs)) return `service account ${namespace}/${sa.name} has been deleted`;
    if (account.uid !== sa.uid) return `service account UID (${account.uid ?? ''}) does not match claim (${sa.uid})`;
    if (secret) {
      const found = await this.meta(coreSpace('secrets', true), namespace, secret.name);
      if (!found || deletedBefore(found, cutoffMs)) return invalidated;
      if (found.uid !== secret.uid) return `secret UID (${found.uid ?? ''}) does not match service account secret ref claim (${secret.uid})`;
    }
    if (pod) {
      const found = await this.meta(coreSpace('pods', true), namespace, pod.name);
      if (!found || deletedBefore(found, cutoffMs)) return invalidated;
      if (found.uid !== pod.uid) return `pod UID (${found.uid ?? ''}) does not match service account pod ref claim (${pod.uid})`;
    } else if (node) {
      // A pod-bound token's node claim is information only; a node-bound token lives with its node.
      const found = await this.meta(coreSpace('nodes', false), '', node.name);
      if (!found || deletedBefore(found, cutoffMs)) return invalidated;
      if (found.uid !== node.uid) return `node UID (${found.uid ?? ''}) does not match service account node ref claim (${node.uid ?? ''})`;
    }
    return undefined;
  }

  private async meta(space: ReturnType<typeof coreSpace>, namespace: string, name: string): Promise<ObjectMeta | undefined> {
    const current = await this.state.store.get(objectKey(space, namespace, name));
    return current?.obj.metadata;
  }
}

function deletedBefore(meta: ObjectMeta, cutoffMs: number): boolean {
  return meta.deletionTimestamp !== undefined && Date.parse(meta.deletionTimestamp) < cutoffMs;
}

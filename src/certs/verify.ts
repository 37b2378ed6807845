// Client certificate authentication: is a peer's certificate chain issued by
// a trusted CA, and who does it say the client is (CN → user, O → groups,
// as Kubernetes' x509 authenticator maps them).
//
// This check stands on its own: it does not rely on the TLS layer having
// verified the chain, so the apiserver can accept connections without a
// client certificate (token users) and still trust only what passes here.
// Verify once per connection, not per request: the result cannot change.
import { CertsError } from './errors.js';
import { sameBytes } from './keys.js';
import { parseCertificates, parseDer, type Certificate } from './pem.js';
import { x509 } from './x509.js';

/** Who a client certificate authenticates. */
export interface CertificateIdentity {
  user: string;
  groups: string[];
}

/**
 * The shape of Node's `tlsSocket.getPeerCertificate(true)`: DER in `raw`,
 * the rest of the presented chain through `issuerCertificate` (which points
 * at itself on the last, self-signed entry). An empty object means the
 * peer sent no certificate.
 */
export interface PeerCertificateLike {
  raw?: Uint8Array;
  issuerCertificate?: PeerCertificateLike;
}

export interface ClientCertVerifier {
  /** Throws CertsError 'client-cert-missing' or 'client-cert-rejected' (with the reason). */
  verify(peer: PeerCertificateLike | Uint8Array, now?: Date): Promise<CertificateIdentity>;
}

/** Longest chain accepted: leaf, intermediates, trusted root. */
const maxChainLength = 5;
const anyExtendedKeyUsage = '2.5.29.37.0';

/** A verifier trusting every certificate in `caPem` (one PEM bundle or several). */
export function createClientCertVerifier(caPem: string | readonly string[]): ClientCertVerifier {
  const roots = (typeof caPem === 'string' ? [caPem] : caPem).flatMap((pem) => parseCertificates(pem));
  return { verify: (peer, now = new Date()) => verifyChain(roots, peer, now) };
}

async function verifyChain(roots: readonly Certificate[], peer: PeerCertificateLike | Uint8Array, now: Date): Promise<CertificateIdentity> {
  const presented = presentedChain(peer);
  const [leafDer, ...rest] = presented;
  if (leafDer === undefined) throw new CertsError('client-cert-missing', 'no client certificate was presented');
  const leaf = parseOrReject(leafDer);
  checkTime(leaf, now, 'the client certificate');
  const usages = leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages;
  if (usages !== undefined && !usages.some((u) => u === x509.ExtendedKeyUsage.clientAuth || u === anyExtendedKeyUsage)) {
    reject(leaf, 'it is not allowed for client authentication (extended key usage)');
  }
  const intermediates = rest.map(parseOrReject).filter((c) => !sameName(c.subjectName, c.issuerName));

  let current = leaf;
  for (let depth = 1; depth < maxChainLength; depth++) {
    for (const root of roots) {
      if (sameName(current.issuerName, root.subjectName) && (await signedBy(current, root))) {
        checkTime(root, now, `its CA "${root.subject}"`);
        return identityOf(leaf);
      }
    }
    const next = await findIssuer(current, intermediates, now);
    if (next === undefined) break;
    current = next;
  }
  return reject(leaf, 'it is not signed by a trusted CA');
}

async function findIssuer(cert: Certificate, candidates: Certificate[], now: Date): Promise<Certificate | undefined> {
  for (const [i, candidate] of candidates.entries()) {
    if (!sameName(cert.issuerName, candidate.subjectName)) continue;
    if (!candidate.getExtension(x509.BasicConstraintsExtension)?.ca) continue;
    if (!(await signedBy(cert, candidate))) continue;
    checkTime(candidate, now, `the intermediate CA "${candidate.subject}"`);
    candidates.splice(i, 1); // each certificate appears once in a path
    return candidate;
  }
  return undefined;
}

/** DER of the presented chain, leaf first, following issuerCertificate until it repeats. */
function presentedChain(peer: PeerCertificateLike | Uint8Array): Uint8Array[] {
  if (peer instanceof Uint8Array) return peer.length > 0 ? [peer] : [];
  const chain: Uint8Array[] = [];
  for (let at: PeerCertificateLike | undefined = peer; at?.raw && at.raw.length > 0; at = at.issuerCertificate) {
    const raw = at.raw;
    if (chain.some((der) => sameBytes(der, raw)) || chain.length >= maxChainLength) break;
    chain.push(raw);
  }
  return chain;
}

function identityOf(leaf: Certificate): CertificateIdentity {
  const user = leaf.subjectName.getField('CN')[0] ?? '';
  if (user === '') reject(leaf, 'its subject has no common name (CN), which names the user');
  return { user, groups: leaf.subjectName.getField('O') };
}

async function signedBy(cert: Certificate, issuer: Certificate): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

function checkTime(cert: Certificate, now: Date, what: string): void {
  if (now < cert.notBefore) reject(cert, `${what} is not valid before ${cert.notBefore.toISOString()}`);
  if (now > cert.notAfter) reject(cert, `${what} expired at ${cert.notAfter.toISOString()}`);
}

function sameName(a: x509.Name, b: x509.Name): boolean {
  return sameBytes(new Uint8Array(a.toArrayBuffer()), new Uint8Array(b.toArrayBuffer()));
}

function parseOrReject(der: Uint8Array): Certificate {
  try {
    return parseDer(der);
  } catch {
    throw new CertsError('client-cert-rejected', 'client certificate rejected: it cannot be parsed');
  }
}

function reject(cert: Certificate, reason: string): never {
  throw new CertsError('client-cert-rejected', `client certificate "${cert.subject}" rejected: ${reason}`);
}

import t from 'tap';
import { webcrypto, X509Certificate } from 'node:crypto';
import { CertificateAuthority } from './authority.js';
import { isCertsError } from './errors.js';
import { createClientCertVerifier, type PeerCertificateLike } from './verify.js';
import { x509 } from './x509.js';

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const der = (pem: string): Uint8Array => new X509Certificate(pem).raw;

async function clientCert(ca: CertificateAuthority, commonName: string, organizations: string[] = [], now?: Date): Promise<string> {
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  return ca.issue({ commonName, organizations, usages: ['client'], now }, keys.publicKey);
}

async function rejection(p: Promise<unknown>): Promise<string> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  return isCertsError(err) ? `${err.code}: ${err.message}` : `not a CertsError: ${String(err)}`;
}

t.test('CN is the user and every O a group', async (t) => {
  const { ca } = await CertificateAuthority.generate('test-client-ca');
  const verifier = createClientCertVerifier(ca.certPem);
  const pem = await clientCert(ca, 'system:node:node-1', ['system:nodes', 'team-a']);
  t.same(await verifier.verify(der(pem)), { user: 'system:node:node-1', groups: ['system:nodes', 'team-a'] });
  t.same(await verifier.verify({ raw: der(pem) }), { user: 'system:node:node-1', groups: ['system:nodes', 'team-a'] });
});

t.test('rejects certificates of other CAs, expired ones, and ones without a CN', async (t) => {
  const { ca } = await CertificateAuthority.generate('trusted');
  const { ca: other } = await CertificateAuthority.generate('trusted'); // same name, other key
  const verifier = createClientCertVerifier(ca.certPem);
  t.match(await rejection(verifier.verify(der(await clientCert(other, 'mallory')))), /^client-cert-rejected: client certificate "CN=mallory" rejected: it is not signed by a trusted CA$/);

  const old = new Date(Date.now() - 400 * 86400_000);
  t.match(await rejection(verifier.verify(der(await clientCert(ca, 'late', [], old)))), /client-cert-rejected: .*expired at/);
  const future = new Date(Date.now() + 2 * 86400_000);
  t.match(await rejection(verifier.verify(der(await clientCert(ca, 'early', [], future)))), /not valid before/);

  t.match(await rejection(verifier.verify(der(await clientCert(ca, '')))), /has no common name/);
  t.match(await rejection(verifier.verify(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]))), /client-cert-rejected: .*cannot be parsed/);
  t.match(await rejection(verifier.verify({})), /^client-cert-missing/);
});

t.test('trusts several CAs and follows a presented intermediate', async (t) => {
  const { ca: first } = await CertificateAuthority.generate('first');
  const rootKeys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=root',
    keys: rootKeys,
    signingAlgorithm: ecdsa,
    extensions: [new x509.BasicConstraintsExtension(true, 1, true)],
  });
  const midKeys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const mid = await x509.X509CertificateGenerator.create({
    subject: 'CN=intermediate',
    issuer: root.subject,
    publicKey: midKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: ecdsa,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
  });
  const midPem = mid.toString('pem');
  const midKeyPem = x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', midKeys.privateKey), 'PRIVATE KEY');
  const intermediate = await CertificateAuthority.fromPem(midPem, midKeyPem);
  const leaf = der(await clientCert(intermediate, 'via-intermediate', ['g']));

  const verifier = createClientCertVerifier([first.certPem, root.toString('pem')]);
  t.same(await verifier.verify(der(await clientCert(first, 'direct'))), { user: 'direct', groups: [] });
  t.match(await rejection(verifier.verify(leaf)), /not signed by a trusted CA/, 'without the intermediate there is no path');

  const rootPeer: PeerCertificateLike = { raw: new Uint8Array(root.rawData) };
  rootPeer.issuerCertificate = rootPeer; // Node's shape: the last entry points at itself
  const chain: PeerCertificateLike = { raw: leaf, issuerCertificate: { raw: new Uint8Array(mid.rawData), issuerCertificate: rootPeer } };
  t.same(await verifier.verify(chain), { user: 'via-intermediate', groups: ['g'] });

  const onlyIntermediateTrusted = createClientCertVerifier(midPem);
  t.same((await onlyIntermediateTrusted.verify(leaf)).user, 'via-intermediate', 'an intermediate can be the trust anchor');
  const presentingItsOwnRoot = createClientCertVerifier(first.certPem);
  t.match(await rejection(presentingItsOwnRoot.verify(chain)), /not signed by a trusted CA/, 'a presented root earns no trust');
});

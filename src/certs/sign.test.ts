import t from 'tap';
import { generateKeyPairSync, webcrypto, X509Certificate } from 'node:crypto';
import { CertificateAuthority } from './authority.js';
import { readCertificateRequest } from './csr.js';
import { parseSan } from './sans.js';
import { x509 } from './x509.js';

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

async function makeCsr(subject: string, sans: x509.JsonGeneralNames = []): Promise<string> {
  const keys = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: subject,
    keys,
    signingAlgorithm: ecdsa,
    extensions: sans.length > 0 ? [new x509.SubjectAlternativeNameExtension(sans)] : [],
  });
  return csr.toString('pem');
}

t.test('a CSR is read (subject, SANs, key) and signed for the key it holds', async (t) => {
  const { ca } = await CertificateAuthority.generate('test-ca');
  const csrPem = await makeCsr('O=system:nodes, CN=system:node:node-2', [
    { type: 'dns', value: 'node-2' },
    { type: 'ip', value: '10.0.0.2' },
  ]);
  const request = await readCertificateRequest(csrPem);
  t.equal(request.commonName, 'system:node:node-2');
  t.same(request.organizations, ['system:nodes']);
  t.same(request.sans, [parseSan('node-2'), parseSan('10.0.0.2')]);

  const certPem = await ca.issue(
    { commonName: request.commonName, organizations: request.organizations, usages: ['client'], validityDays: 30 },
    request.publicKey,
  );
  const cert = new X509Certificate(certPem);
  const caCert = new X509Certificate(ca.certPem);
  t.ok(cert.checkIssued(caCert) && cert.verify(caCert.publicKey), 'signed by the CA');
  t.equal(cert.subject, 'O=system:nodes\nCN=system:node:node-2');
  t.same(cert.publicKey.export({ type: 'spki', format: 'der' }), Buffer.from(request.publicKey), "certifies the CSR's key");
  t.equal(cert.keyUsage?.join(','), '1.3.6.1.5.5.7.3.2', 'client auth only');
  const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86400_000;
  t.ok(days > 29.9 && days < 30.1, 'asked-for validity');
});

t.test('a CSR whose signature does not match its key, or that is not a CSR, is refused', async (t) => {
  const pem = await makeCsr('CN=someone');
  const der = x509.PemConverter.decodeFirst(pem);
  const bytes = new Uint8Array(der);
  bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0xff; // inside the signature
  await t.rejects(readCertificateRequest(bytes), { code: 'bad-csr', message: 'the certificate signing request is not signed by the key it contains' });
  await t.rejects(readCertificateRequest('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), { code: 'bad-csr' });
});

t.test('issues for PEM, DER and WebCrypto public keys, RSA ones with keyEncipherment', async (t) => {
  const { ca } = await CertificateAuthority.generate('test-ca');
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const template = { commonName: 'kube-apiserver', usages: ['server', 'client'] as const, sans: [parseSan('a.example.com')] };

  const fromPem = new X509Certificate(await ca.issue(template, rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString()));
  t.equal(fromPem.publicKey.asymmetricKeyType, 'rsa');
  t.equal(fromPem.subjectAltName, 'DNS:a.example.com');
  t.equal(fromPem.keyUsage?.join(','), '1.3.6.1.5.5.7.3.1,1.3.6.1.5.5.7.3.2');

  const fromDer = new X509Certificate(await ca.issue(template, new Uint8Array(rsa.publicKey.export({ type: 'spki', format: 'der' }))));
  t.equal(fromDer.publicKey.asymmetricKeyType, 'rsa');
  const fromCryptoKey = new X509Certificate(await ca.issue(template, ec.publicKey));
  t.equal(fromCryptoKey.publicKey.asymmetricKeyType, 'ec');

  const usage = (pem: X509Certificate) => new x509.X509Certificate(pem.raw).getExtension(x509.KeyUsagesExtension)?.usages;
  t.equal(usage(fromPem), x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
  t.equal(usage(fromCryptoKey), x509.KeyUsageFlags.digitalSignature);

  await t.rejects(ca.issue(template, 'not a key'), { code: 'bad-public-key' });
});

t.test('a leaf never outlives its CA', async (t) => {
  const now = new Date();
  const { ca } = await CertificateAuthority.generate('short-lived', new Date(now.getTime() - 3640 * 86400_000));
  const ec = await webcrypto.subtle.generateKey(ecdsa, true, ['sign', 'verify']);
  const cert = new X509Certificate(await ca.issue({ commonName: 'x', usages: ['client'], now }, ec.publicKey));
  t.equal(Date.parse(cert.validTo), ca.notAfter.getTime(), 'ends when the CA ends');
});

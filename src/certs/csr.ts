// Reading PKCS#10 certificate signing requests (kubelet client certificates,
// the certificates.k8s.io CSR API). Reading proves possession of the key
// (the request's self-signature) and reports what was asked for; deciding
// what to grant, and calling CertificateAuthority.issue, is the caller's job.
import { CertsError } from './errors.js';
import { sansIn } from './leaf.js';
import type { San } from './sans.js';
import { x509 } from './x509.js';

export interface CertificateRequest {
  /** Subject CN ('' when absent). */
  commonName: string;
  /** Subject O entries. */
  organizations: string[];
  /** Requested IP and DNS subject alternative names. */
  sans: San[];
  /** DER SubjectPublicKeyInfo: pass to CertificateAuthority.issue. */
  publicKey: Uint8Array;
}

/**
 * Parses a PEM ("CERTIFICATE REQUEST") or DER CSR and checks its signature.
 * Throws CertsError 'bad-csr'.
 */
export async function readCertificateRequest(csr: string | Uint8Array): Promise<CertificateRequest> {
  let request: x509.Pkcs10CertificateRequest;
  try {
    if (typeof csr === 'string') {
      const block = x509.PemConverter.decodeWithHeaders(csr).find((b) => b.type === 'CERTIFICATE REQUEST' || b.type === 'NEW CERTIFICATE REQUEST');
      if (!block) throw new Error('no PEM CERTIFICATE REQUEST block');
      request = new x509.Pkcs10CertificateRequest(block.rawData);
    } else {
      request = new x509.Pkcs10CertificateRequest(csr);
    }
  } catch (err) {
    throw new CertsError('bad-csr', `the certificate signing request cannot be parsed (${err instanceof Error ? err.message : 'parse error'})`);
  }
  let signed = false;
  try {
    signed = await request.verify();
  } catch {
    signed = false;
  }
  if (!signed) {
    throw new CertsError('bad-csr', 'the certificate signing request is not signed by the key it contains');
  }
  return {
    commonName: request.subjectName.getField('CN')[0] ?? '',
    organizations: request.subjectName.getField('O'),
    sans: sansIn(request.extensions),
    publicKey: new Uint8Array(request.publicKey.rawData),
  };
}

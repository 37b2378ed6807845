// Certificates in and out of PEM. Parsing is strict: the text must hold
// PEM "CERTIFICATE" blocks (the library would otherwise also guess at hex or
// base64, turning a damaged file into a confusing ASN.1 error).
import { CertsError } from './errors.js';
import { x509 } from './x509.js';

export type Certificate = x509.X509Certificate;

/**
 * Every certificate in a PEM bundle, in file order. Throws CertsError
 * 'file-corrupt' (without a path: callers reading a file add it).
 */
export function parseCertificates(pem: string): Certificate[] {
  let blocks: x509.PemStruct[];
  try {
    blocks = x509.PemConverter.decodeWithHeaders(pem);
  } catch {
    blocks = [];
  }
  const certs = blocks.filter((b) => b.type === 'CERTIFICATE');
  if (certs.length === 0) throw new CertsError('file-corrupt', 'no PEM certificate found');
  return certs.map((b) => parseDer(b.rawData));
}

/** The first certificate of a PEM bundle (the one whose key signs, for a CA). */
export function parseCertificate(pem: string): Certificate {
  const [first] = parseCertificates(pem);
  if (!first) throw new CertsError('file-corrupt', 'no PEM certificate found');
  return first;
}

export function parseDer(der: ArrayBuffer | Uint8Array): Certificate {
  try {
    return new x509.X509Certificate(der);
  } catch (err) {
    throw new CertsError('file-corrupt', `not a valid X.509 certificate (${err instanceof Error ? err.message : 'parse error'})`);
  }
}

/** PEM text of a certificate, ending with a newline. */
export function certificatePem(cert: Certificate): string {
  const text = cert.toString('pem').replace(/\r\n/g, '\n');
  return text.endsWith('\n') ? text : `${text}\n`;
}

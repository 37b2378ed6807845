// A certificate authority: its certificate and its signing key, kept
// together so a certificate can only be issued by the key it names.
// The key never leaves WebCrypto once loaded; other parts hold a
// CertificateAuthority, never the key's PEM.
import { CertsError, parsedFrom, parsedFromAsync } from './errors.js';
import { generateKey, importPrivateKeyPem, publicKeyDer, sameBytes, type CryptoKey, type SigningKey } from './keys.js';
import {
  caExtensions,
  caValidityDays,
  defaultLeafValidityDays,
  leafExtensions,
  randomSerial,
  subjectName,
  validity,
  type LeafTemplate,
} from './leaf.js';
import { certificatePem, parseCertificate, type Certificate } from './pem.js';
import { x509 } from './x509.js';

/** A public key to certify: a WebCrypto key, DER SubjectPublicKeyInfo, or PEM "PUBLIC KEY". */
export type PublicKeyInput = CryptoKey | Uint8Array | string;

/** Public facts about a certificate, for logs and tests. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  /** Lower-case hex. */
  serialNumber: string;
  /** SHA-256 of the DER certificate, lower-case hex. */
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
}

export class CertificateAuthority {
  /** The CA certificate as PEM, byte for byte what its file holds (join tokens hash these bytes). */
  readonly certPem: string;
  readonly #cert: Certificate;
  readonly #key: SigningKey;

  private constructor(certPem: string, cert: Certificate, key: SigningKey) {
    this.certPem = certPem;
    this.#cert = cert;
    this.#key = key;
  }

  /** Creates a self-signed ECDSA P-256 CA valid for 10 years; `keyPem` is for the caller to store. */
  static async generate(commonName: string, now: Date = new Date()): Promise<{ ca: CertificateAuthority; keyPem: string }> {
    const { keyPem, publicKey, signingKey } = await generateKey();
    const { notBefore, notAfter } = validity(now, caValidityDays);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: subjectName(commonName),
      issuer: subjectName(commonName),
      notBefore,
      notAfter,
      publicKey,
      signingKey: signingKey.privateKey,
      signingAlgorithm: signingKey.algorithm,
      extensions: await caExtensions(publicKey),
    });
    const certPem = certificatePem(cert);
    return { ca: new CertificateAuthority(certPem, cert, signingKey), keyPem };
  }

  /**
   * Loads a CA from PEM. The first certificate of `certPem` is the CA; it
   * must be allowed to sign certificates and match `keyPem`. Throws
   * CertsError ('file-corrupt', 'not-a-ca', 'key-mismatch', 'unsupported-key')
   * naming `names.cert` / `names.key` (file paths, when read from files).
   */
  static async fromPem(
    certPem: string,
    keyPem: string,
    names: { cert: string; key: string } = { cert: 'the CA certificate', key: 'the CA key' },
  ): Promise<CertificateAuthority> {
    const cert = parsedFrom(names.cert, () => parseCertificate(certPem));
    const key = await parsedFromAsync(names.key, () => importPrivateKeyPem(keyPem));
    const constraints = cert.getExtension(x509.BasicConstraintsExtension);
    if (!constraints?.ca) {
      throw new CertsError('not-a-ca', `${names.cert} is not a CA certificate (no basicConstraints CA:TRUE): use a CA certificate, or remove it and its key to have tsk8s create a CA`, { path: names.cert });
    }
    if (!sameBytes(new Uint8Array(cert.publicKey.rawData), key.publicKeyDer)) {
      throw new CertsError('key-mismatch', `${names.key} is not the private key of ${names.cert}: restore the matching pair from a backup`, { path: names.key });
    }
    return new CertificateAuthority(certPem, cert, key);
  }

  describe(): Promise<CertificateSummary> {
    return summarize(this.#cert);
  }

  get notAfter(): Date {
    return this.#cert.notAfter;
  }

  /**
   * Issues a leaf certificate for `publicKey` and returns it as PEM. The
   * template is taken as given: deciding who may get which name is the
   * caller's policy (see csr.ts for reading requests).
   */
  async issue(template: LeafTemplate, publicKey: PublicKeyInput): Promise<string> {
    const subjectKey = await toPublicKey(publicKey);
    const now = template.now ?? new Date();
    const { notBefore, notAfter } = validity(now, template.validityDays ?? defaultLeafValidityDays, this.#cert.notAfter);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: randomSerial(),
      subject: subjectName(template.commonName, template.organizations),
      issuer: this.#cert.subjectName,
      notBefore,
      notAfter,
      publicKey: subjectKey,
      signingKey: this.#key.privateKey,
      signingAlgorithm: this.#key.algorithm,
      extensions: leafExtensions(template, this.#cert, isRsa(subjectKey)),
    });
    return certificatePem(cert);
  }

  /** True when this CA's key signed `cert` (the CA's name is its issuer and the signature verifies). */
  async signed(cert: Certificate): Promise<boolean> {
    if (!sameBytes(new Uint8Array(cert.issuerName.toArrayBuffer()), new Uint8Array(this.#cert.subjectName.toArrayBuffer()))) {
      return false;
    }
    try {
      return await cert.verify({ publicKey: this.#cert.publicKey, signatureOnly: true });
    } catch {
      return false;
    }
  }
}

async function summarize(cert: Certificate): Promise<CertificateSummary> {
  const fingerprint = Buffer.from(await cert.getThumbprint('SHA-256')).toString('hex');
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber.toLowerCase(),
    fingerprint,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  };
}

function isRsa(key: x509.PublicKey): boolean {
  return key.algorithm.name === 'RSASSA-PKCS1-v1_5' || key.algorithm.name === 'RSA-PSS' || key.algorithm.name === 'RSA-OAEP';
}

async function toPublicKey(input: PublicKeyInput): Promise<x509.PublicKey> {
  try {
    if (typeof input === 'string') return new x509.PublicKey(x509.PemConverter.decodeFirst(input));
    if (input instanceof Uint8Array) return new x509.PublicKey(input);
    return new x509.PublicKey(await publicKeyDer(input));
  } catch {
    throw new CertsError('bad-public-key', 'the public key to certify is not a PEM or DER SubjectPublicKeyInfo');
  }
}

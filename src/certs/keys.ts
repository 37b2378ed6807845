// Private keys: generation, PEM import/export and the signature algorithm
// each key type signs with. New keys are always ECDSA P-256; keys a user
// supplies (their own CA) may be ECDSA P-256/P-384 or RSA, in any PEM form
// OpenSSL writes (PKCS#8, SEC1 "EC PRIVATE KEY", PKCS#1 "RSA PRIVATE KEY").
import { createPrivateKey, createPublicKey, webcrypto, type KeyObject } from 'node:crypto';
import { CertsError } from './errors.js';

export type CryptoKey = webcrypto.CryptoKey;

/** WebCrypto parameters to sign certificates with a key (hash included). */
export interface SignatureAlgorithm {
  name: 'ECDSA' | 'RSASSA-PKCS1-v1_5';
  hash: 'SHA-256' | 'SHA-384';
}

/** A private key ready to sign, with what is needed to check it against a certificate. */
export interface SigningKey {
  /** Non-extractable: the key material never leaves WebCrypto after loading. */
  readonly privateKey: CryptoKey;
  readonly algorithm: SignatureAlgorithm;
  /** DER SubjectPublicKeyInfo of the matching public key. */
  readonly publicKeyDer: Uint8Array;
}

const newKeyParams = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** Generates an ECDSA P-256 key pair; `keyPem` is PKCS#8 ("PRIVATE KEY"). */
export async function generateKey(): Promise<{ keyPem: string; publicKey: CryptoKey; signingKey: SigningKey }> {
  const pair = await webcrypto.subtle.generateKey(newKeyParams, true, ['sign', 'verify']);
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey));
  const keyPem = encodePem(pkcs8, 'PRIVATE KEY');
  // Re-import so the key kept in memory is non-extractable, as after a load.
  return { keyPem, publicKey: pair.publicKey, signingKey: await importPrivateKeyPem(keyPem) };
}

/**
 * Imports a PEM private key for signing. Throws CertsError 'file-corrupt' or
 * 'unsupported-key' with a reason that never echoes key material; callers
 * that read the key from a file rethrow it naming the file.
 */
export async function importPrivateKeyPem(pem: string): Promise<SigningKey> {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new CertsError('file-corrupt', 'not an unencrypted PEM private key');
  }
  const { algorithm, importParams } = algorithmOf(key);
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, importParams, false, ['sign']);
  const publicKeyDer = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return { privateKey, algorithm, publicKeyDer };
}

/** DER SubjectPublicKeyInfo of a WebCrypto public key. */
export async function publicKeyDer(publicKey: CryptoKey): Promise<Uint8Array> {
  return Buffer.from(await webcrypto.subtle.exportKey('spki', publicKey));
}

/** PEM with 64-column lines and a trailing newline, as OpenSSL writes it. */
export function encodePem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a).equals(Buffer.from(b));
}

function algorithmOf(key: KeyObject): {
  algorithm: SignatureAlgorithm;
  importParams: webcrypto.EcKeyImportParams | webcrypto.RsaHashedImportParams;
} {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') {
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
    return { algorithm, importParams: algorithm };
  }
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === 'prime256v1') {
      return { algorithm: { name: 'ECDSA', hash: 'SHA-256' }, importParams: { name: 'ECDSA', namedCurve: 'P-256' } };
    }
    if (curve === 'secp384r1') {
      return { algorithm: { name: 'ECDSA', hash: 'SHA-384' }, importParams: { name: 'ECDSA', namedCurve: 'P-384' } };
    }
    throw new CertsError('unsupported-key', `unsupported EC curve ${curve ?? 'unknown'} (use P-256 or P-384)`);
  }
  throw new CertsError('unsupported-key', `unsupported key type ${type ?? 'unknown'} (use ECDSA or RSA)`);
}

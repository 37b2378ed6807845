// The service-account signing key pair, kept with the PKI as k3s keeps it:
// `service.key` (private, 0600) signs tokens, `service.pub` (its public
// half, 0644) is what anyone verifying tokens without the private key reads.
// Created on the first start and reused after: tokens already handed out
// stay valid only as long as the key that signed them.
//
// Rules: the private key is the source of truth. A missing or stale
// `service.pub` is rewritten from it. A `service.pub` without its
// `service.key` stops the start, because a new key would silently void every
// token handed out; the user chooses (restore the key, or start over).
import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../log/logger.js';
import { CertsError, parsedFrom } from './errors.js';
import { certMode, keyMode, readIfExists, tightenKeyMode, writeFileAtomic } from './files.js';

/** File names under the tls dir. */
export const serviceAccountKeyFileNames = { key: 'service.key', publicKey: 'service.pub' } as const;

/** A signing key and its public half, both PEM (PKCS#8 and SPKI). */
export interface ServiceAccountKeyPair {
  keyPem: string;
  publicKeyPem: string;
}

export interface ServiceAccountKeyFiles extends ServiceAccountKeyPair {
  keyPath: string;
  publicKeyPath: string;
}

const generateRsa = promisify(generateKeyPair);

/** Loads the key pair under `dir`, creating it (RSA 2048, signing RS256) when neither file exists. */
export async function ensureServiceAccountKey(dir: string, log: Logger): Promise<ServiceAccountKeyFiles> {
  const keyPath = join(dir, serviceAccountKeyFileNames.key);
  const publicKeyPath = join(dir, serviceAccountKeyFileNames.publicKey);
  const storedKey = readIfExists(keyPath);
  const storedPublic = readIfExists(publicKeyPath);
  if (storedKey === undefined) {
    if (storedPublic !== undefined) {
      throw new CertsError(
        'service-key-missing',
        `${publicKeyPath} exists but ${keyPath} does not: restore ${keyPath} from a backup. ` +
          `Only to start over with a new signing key (every service-account token handed out stops working), remove ${publicKeyPath} as well.`,
        { path: keyPath },
      );
    }
    const pair = await generateRsa('rsa', { modulusLength: 2048 });
    const keyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    writeFileAtomic(keyPath, keyPem, { mode: keyMode });
    writeFileAtomic(publicKeyPath, publicKeyPem, { mode: certMode });
    log.info('created service-account signing key', { path: keyPath });
    return { keyPath, publicKeyPath, keyPem, publicKeyPem };
  }
  tightenKeyMode(keyPath, log);
  const key = parsedFrom(keyPath, () => signingKeyFromPem(storedKey));
  const publicKeyPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
  if (storedPublic === undefined || !samePublicKey(storedPublic, publicKeyPem)) {
    writeFileAtomic(publicKeyPath, publicKeyPem, { mode: certMode });
    log.warn('rewrote the service-account public key from its private key', { path: publicKeyPath, was: storedPublic === undefined ? 'missing' : 'different' });
  }
  return { keyPath, publicKeyPath, keyPem: storedKey, publicKeyPem };
}

/**
 * A private key tokens can be signed with: RSA, or ECDSA P-256/P-384.
 * Throws CertsError 'file-corrupt' or 'unsupported-key' (without a path).
 */
export function signingKeyFromPem(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new CertsError('file-corrupt', 'not an unencrypted PEM private key');
  }
  const type = key.asymmetricKeyType;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (type === 'rsa' || (type === 'ec' && (curve === 'prime256v1' || curve === 'secp384r1'))) return key;
  throw new CertsError('unsupported-key', `unsupported service-account key type ${type === 'ec' ? `EC ${curve ?? 'unknown'}` : (type ?? 'unknown')} (use RSA or ECDSA P-256/P-384)`);
}

function samePublicKey(storedPem: string, expectedPem: string): boolean {
  try {
    const der = (pem: string) => createPublicKey(pem).export({ type: 'spki', format: 'der' });
    return der(storedPem).equals(der(expectedPem));
  } catch {
    return false;
  }
}

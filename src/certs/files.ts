// Reading and writing the small secret files of certs/: atomically (a
// reader sees the old file or the new one, never half of one) and with an
// exact mode (applied after creation, so the umask cannot loosen or tighten it).
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Logger } from '../log/logger.js';
import { CertsError, errnoCode, reasonOf } from './errors.js';

export const keyMode = 0o600;
export const certMode = 0o644;
/** Directories holding keys: owner only. */
export const secretDirMode = 0o700;

/** The file's text, or undefined when it does not exist. Throws CertsError 'file-unreadable'. */
export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw new CertsError('file-unreadable', `cannot read ${path} (${reasonOf(err)}): check its owner and permissions, or run as root`, { path, cause: err });
  }
}

/**
 * Makes a key file owner-only if it is readable by others (a key copied in
 * by hand, say). Only warns when that is not possible, e.g. not the owner.
 */
export function tightenKeyMode(path: string, log: Logger): void {
  try {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) === 0) return;
    chmodSync(path, keyMode);
    log.warn('private key was readable by others; made it owner-only', { path, was: mode.toString(8) });
  } catch (err) {
    log.warn('cannot check the mode of a private key', { path, reason: reasonOf(err) });
  }
}

export interface WriteOptions {
  /** Mode of the file. */
  mode: number;
  /** Mode for parent directories this call creates; existing ones are left alone. */
  dirMode?: number;
}

/**
 * Writes `path` atomically: a temporary file beside it, fsynced, then
 * renamed over it. Throws CertsError 'file-unwritable' naming the path.
 */
export function writeFileAtomic(path: string, data: string, opts: WriteOptions): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    mkdirSync(dir, { recursive: true, mode: opts.dirMode ?? secretDirMode });
    const fd = openSync(tmp, 'wx', opts.mode);
    created = true;
    try {
      fchmodSync(fd, opts.mode);
      const bytes = Buffer.from(data, 'utf8');
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    if (created) {
      try {
        unlinkSync(tmp);
      } catch {
        // Nothing more to do: the temporary file's name says what it is.
      }
    }
    throw new CertsError('file-unwritable', `cannot write ${path} (${reasonOf(err)}): check that its directory is writable and the disk is not full`, { path, cause: err });
  }
}

/**
 * Writes a certificate and its key, the key first: a crash in between
 * leaves a new key beside the old certificate, which the next load sees as
 * a mismatch (and, for a leaf, simply re-issues).
 */
export function writeCertAndKey(certPath: string, certPem: string, keyPath: string, keyPem: string): void {
  writeFileAtomic(keyPath, keyPem, { mode: keyMode });
  writeFileAtomic(certPath, certPem, { mode: certMode });
}

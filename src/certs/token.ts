// Join tokens in k3s's format: `K10<ca-hash>::<user>:<password>`.
// `ca-hash` is the SHA-256 (hex) of the server CA file's bytes exactly as
// the server serves them, so a joining node can pin the CA it fetches before
// trusting anything else the server says. A bare password is accepted too;
// it authenticates but pins nothing.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { silentLogger, type Logger } from '../log/logger.js';
import { CertsError, parsedFrom } from './errors.js';
import { keyMode, readIfExists, writeFileAtomic } from './files.js';

export interface JoinToken {
  /** Lower-case hex SHA-256 of the server CA PEM; undefined for a bare password. */
  caHash: string | undefined;
  username: string;
  password: string;
}

/** A token that pins a CA, as the server stores and prints it. */
export type PinnedToken = JoinToken & { caHash: string };

/** Username of tokens that let a node join as a server or agent (k3s's choice). */
export const defaultTokenUser = 'server';

const tokenPrefix = 'K10';
const hashPattern = /^[0-9a-f]{64}$/;
const formatHelp = 'expected K10<64 hex characters>::<user>:<password> or a bare password';

/** SHA-256 (lower-case hex) of the CA bundle's bytes, as k3s computes it. */
export function caHash(caPem: string | Uint8Array): string {
  return createHash('sha256').update(caPem).digest('hex');
}

/** A new token for `caPem` with a random 128-bit password. */
export function generateToken(caPem: string | Uint8Array, username: string = defaultTokenUser): PinnedToken {
  return { caHash: caHash(caPem), username, password: randomBytes(16).toString('hex') };
}

export function formatToken(token: PinnedToken): string {
  return `${tokenPrefix}${token.caHash}::${token.username}:${token.password}`;
}

/**
 * Parses a full token or a bare password (surrounding whitespace ignored;
 * `K10<hash>::<password>` without a user means user `server`). Throws
 * CertsError 'bad-token'; the message never repeats the token.
 */
export function parseToken(text: string): JoinToken {
  const token = text.trim();
  const bad = (why: string) => new CertsError('bad-token', `the join token is not valid (${why}); ${formatHelp}`);
  if (token === '') throw bad('it is empty');
  if (/[\s\x00-\x1f\x7f]/.test(token)) throw bad('it contains whitespace or control characters');
  const sep = token.indexOf('::');
  if (!token.startsWith(tokenPrefix) || sep < 0) {
    return { caHash: undefined, username: defaultTokenUser, password: token };
  }
  const hash = token.slice(tokenPrefix.length, sep).toLowerCase();
  if (!hashPattern.test(hash)) throw bad('the CA hash after K10 is not 64 hex characters');
  const credentials = token.slice(sep + 2);
  const colon = credentials.indexOf(':');
  const username = colon < 0 ? defaultTokenUser : credentials.slice(0, colon);
  const password = colon < 0 ? credentials : credentials.slice(colon + 1);
  if (username === '' || password === '') throw bad('the user or password is empty');
  return { caHash: hash, username, password };
}

/**
 * Checks a fetched CA against the token's pin. Returns true when pinned and
 * matching, false when the token pins nothing (a bare password: the caller
 * decides whether to go on, and should warn). Throws CertsError
 * 'ca-pin-mismatch' when the hashes differ.
 */
export function checkCaPin(token: JoinToken, fetchedCaPem: string | Uint8Array): boolean {
  if (token.caHash === undefined) return false;
  const actual = caHash(fetchedCaPem);
  if (!timingSafeEqual(Buffer.from(actual), Buffer.from(token.caHash))) {
    throw new CertsError(
      'ca-pin-mismatch',
      `the server's CA certificate has SHA-256 ${actual} but the join token expects ${token.caHash}: ` +
        'check that --server points at the right cluster and that --token is its current token',
    );
  }
  return true;
}

/** Whether presented credentials match a token, in time independent of where they differ. */
export function tokenMatches(expected: JoinToken, username: string, password: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  const userOk = timingSafeEqual(digest(username), digest(expected.username));
  const passwordOk = timingSafeEqual(digest(password), digest(expected.password));
  return userOk && passwordOk;
}

export interface EnsureTokenOptions {
  /** A token the user gave (`--token`): full or a bare password. */
  token?: string;
  logger?: Logger;
}

/**
 * The server's join token, kept in `path` (conventionally
 * `<data-dir>/server/token`, mode 0600). On first start it is generated, or
 * taken from `opts.token`; later starts reuse it. The stored hash always
 * follows the current CA. A `--token` whose hash names another CA is refused.
 */
export function ensureToken(path: string, caPem: string, opts: EnsureTokenOptions = {}): PinnedToken {
  const log = opts.logger ?? silentLogger;
  const hash = caHash(caPem);
  const stored = readIfExists(path);
  let token: PinnedToken;
  if (opts.token !== undefined) {
    const given = parseToken(opts.token);
    if (given.caHash !== undefined && given.caHash !== hash) {
      throw new CertsError(
        'ca-pin-mismatch',
        `--token was made for a CA with SHA-256 ${given.caHash}, but this server's CA has SHA-256 ${hash}: ` +
          'pass the password part only, or the token of this cluster',
      );
    }
    token = { ...given, caHash: hash };
  } else if (stored === undefined) {
    token = generateToken(caPem);
  } else {
    const parsed = parsedFrom(path, () => parseToken(stored));
    if (parsed.caHash !== hash) log.warn('join token file named another CA; updated its CA hash', { path });
    token = { ...parsed, caHash: hash };
  }
  const text = `${formatToken(token)}\n`;
  if (stored !== text) {
    writeFileAtomic(path, text, { mode: keyMode });
    log.info(stored === undefined ? 'wrote join token' : 'updated join token', { path });
  }
  return token;
}

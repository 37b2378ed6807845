import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';

// Failures of the SQLite database itself, translated in one place
// (`translateSqliteError`) into errors that name the file and say what to
// do. Messages carry the path and SQLite's own words, never row contents.

export const sqliteErrors = {
  'disk-full': 'the disk holding the database is full; free space (or compact the store) and restart',
  corrupt: 'the database file is corrupt or is not a tsk8s database; restore it from a backup or move it aside',
  'cannot-open': 'the database cannot be opened; check that its directory exists and is writable',
  'read-only': 'the database is read-only; check file permissions and that the filesystem is mounted read-write',
  busy: 'the database is locked by another process; is another tsk8s server using this data directory?',
  io: 'an I/O error occurred; check the disk (see the kernel log)',
  'no-memory': 'SQLite ran out of memory',
  'newer-schema': 'the database was written by a newer tsk8s; upgrade tsk8s or restore an older backup',
  sqlite: 'SQLite reported an error',
} as const;

export type SqliteErrorCode = keyof typeof sqliteErrors;

export class SqliteStoreError extends Error {
  readonly code: SqliteErrorCode;
  /** The database file. */
  readonly path: string;
  /** SQLite's extended result code (e.g. SQLITE_FULL), when SQLite raised it. */
  readonly sqliteCode: string | undefined;

  constructor(code: SqliteErrorCode, path: string, opts: { sqliteCode?: string; detail?: string; cause?: unknown } = {}) {
    const detail = opts.detail === undefined ? '' : ` (${opts.detail})`;
    super(`sqlite store ${path}: ${sqliteErrors[code]}${detail}`, { cause: opts.cause });
    this.name = 'SqliteStoreError';
    this.code = code;
    this.path = path;
    this.sqliteCode = opts.sqliteCode;
  }
}

/** Maps an SQLite extended result code to our catalogue. */
function classify(sqliteCode: string): SqliteErrorCode {
  if (sqliteCode === 'SQLITE_FULL') return 'disk-full';
  if (sqliteCode.startsWith('SQLITE_CORRUPT') || sqliteCode === 'SQLITE_NOTADB') return 'corrupt';
  if (sqliteCode.startsWith('SQLITE_CANTOPEN')) return 'cannot-open';
  if (sqliteCode.startsWith('SQLITE_READONLY') || sqliteCode === 'SQLITE_PERM') return 'read-only';
  if (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED')) return 'busy';
  if (sqliteCode.startsWith('SQLITE_IOERR')) return 'io';
  if (sqliteCode === 'SQLITE_NOMEM') return 'no-memory';
  return 'sqlite';
}

/**
 * The one translation point. SQLite failures become SqliteStoreErrors; use
 * of a closed database becomes StoreError 'closed'; anything else (e.g. a
 * StoreError thrown by the caller's function inside write()) passes through.
 */
export function translateSqliteError(err: unknown, path: string, open: boolean): unknown {
  if (err instanceof SqliteStoreError || err instanceof StoreError) return err;
  if (err instanceof Database.SqliteError) {
    return new SqliteStoreError(classify(err.code), path, { sqliteCode: err.code, detail: err.message, cause: err });
  }
  if (!open) return new StoreError('closed');
  if (err instanceof TypeError && /directory does not exist/.test(err.message)) {
    return new SqliteStoreError('cannot-open', path, { detail: err.message, cause: err });
  }
  return err;
}

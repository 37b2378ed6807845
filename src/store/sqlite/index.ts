import { MvccStore } from '../mvcc/store.js';
import type { MvccOptions } from '../mvcc/store.js';
import { SqliteDriver } from './driver.js';
import type { SqliteDriverOptions } from './driver.js';

export { SqliteDriver } from './driver.js';
export type { SqliteDriverOptions } from './driver.js';
export { SqliteStoreError, sqliteErrors } from './errors.js';
export type { SqliteErrorCode } from './errors.js';

/**
 * Opens (creating if needed) the SQLite database at `path` as a Driver.
 * Throws SqliteStoreError naming the path when the file cannot be used.
 */
export function openSqliteDriver(path: string, opts: SqliteDriverOptions = {}): SqliteDriver {
  const driver = new SqliteDriver(path, opts);
  opts.logger?.info('opened database', {
    path,
    revision: driver.currentRevision(),
    compactRevision: driver.compactRevision(),
    synchronous: opts.synchronous ?? 'normal',
  });
  return driver;
}

export interface SqliteBackendOptions extends SqliteDriverOptions, MvccOptions {}

/**
 * The default store: etcd semantics (MvccStore) over the SQLite database at
 * `path`. Opening is synchronous; `ready` resolves at once.
 */
export function openSqliteBackend(path: string, opts: SqliteBackendOptions = {}): MvccStore {
  const { synchronous, busyTimeoutMs, cacheSizeKiB, ...mvcc } = opts;
  const driver = openSqliteDriver(path, { synchronous, busyTimeoutMs, cacheSizeKiB, logger: opts.logger });
  try {
    return new MvccStore(driver, mvcc);
  } catch (err) {
    driver.close();
    throw err;
  }
}

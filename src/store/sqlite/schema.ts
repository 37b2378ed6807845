import type Database from 'better-sqlite3';
import { SqliteStoreError } from './errors.js';

/** `PRAGMA user_version` of the schema below. */
export const schemaVersion = 1;

/**
 * history: every version of every key, one row per key per revision.
 *   A rowid table on purpose: values are often several KiB, and a WITHOUT
 *   ROWID table keeps at most ~1 KiB of a row in its b-tree pages, which made
 *   inserts ~5x and historical scans ~8x slower when measured. New ids are
 *   max(id) + 1, so ids grow with revision; within a revision rows are
 *   inserted in key order, so (revision, id) order is (revision, key) order.
 *   No AUTOINCREMENT (it costs a page write per commit): a reused id is
 *   above every remaining row, and references only point down (prev_id to a
 *   lower id) or to live rows (current.id), so none can name a reused id.
 *   prev_id: the row of the key's previous live version (NULL for a create);
 *   it gives watch its prev_kv and compaction the rows a revision supersedes.
 *   A deletion row has deleted = 1, zero create_revision/version/lease and
 *   an empty value.
 * history_key: covering index for "latest version <= R per key".
 * history_revision: changes() and compaction walk revisions.
 * current: the latest live version of each key (a pointer into history plus
 *   the small columns), so reads at the current revision are O(keys in range).
 * lease: lease ids are int64 (rowid); bind BigInt, read with safeIntegers.
 * meta: 'revision' (current, 1 when fresh) and 'compact' (0 when never).
 * Keys and values are BLOBs compared with memcmp: always bind Buffers.
 */
const ddl = `
CREATE TABLE history (
  id INTEGER PRIMARY KEY,
  key BLOB NOT NULL,
  revision INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  version INTEGER NOT NULL,
  lease INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  prev_id INTEGER,
  value BLOB NOT NULL
);
CREATE UNIQUE INDEX history_key ON history (key, revision, deleted);
CREATE INDEX history_revision ON history (revision);
CREATE TABLE current (
  key BLOB PRIMARY KEY,
  id INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  version INTEGER NOT NULL,
  lease INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX current_lease ON current (lease) WHERE lease != 0;
CREATE TABLE lease (
  id INTEGER PRIMARY KEY,
  granted_ttl INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE TABLE meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (name, value) VALUES ('revision', 1), ('compact', 0);
`;

/** WAL pages at which the writer checkpoints in its own connection (SQLite's default is 1,000). */
export const writerCheckpointPages = 8192;

export interface PragmaOptions {
  synchronous: 'normal' | 'full';
  cacheSizeKiB: number;
}

/**
 * Sets connection pragmas and creates or checks the schema. Durability:
 * in WAL mode a commit has written its frames to the WAL file with write(2)
 * before it returns, so the data sits in the kernel's page cache and
 * survives kill -9 of this process. synchronous=NORMAL skips the fsync per
 * commit (it fsyncs at checkpoints), so only an OS crash or power loss can
 * lose the last commits, and never corrupts the database. 'full' fsyncs
 * the WAL on every commit to survive power loss too, at 2-4x the write cost.
 */
export function prepareDatabase(db: Database.Database, path: string, opts: PragmaOptions): void {
  // Must precede the first table: lets afterCompaction() hand free pages
  // back to the filesystem with incremental_vacuum.
  db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma(`cache_size = ${-Math.max(64, Math.floor(opts.cacheSizeKiB))}`);
  // The checkpointer's thread copies the WAL back (checkpointer.ts); the
  // writer checkpoints itself only when the WAL outgrows that thread.
  db.pragma(`wal_autocheckpoint = ${writerCheckpointPages}`);
  // After a checkpoint, trim a WAL that one large transaction grew.
  db.pragma('journal_size_limit = 33554432');
  db.pragma('temp_store = MEMORY');

  const version = db.pragma('user_version', { simple: true });
  if (version === 0) {
    const tables = db.prepare<[], number>(`SELECT COUNT(*) FROM sqlite_schema`).pluck().get() ?? 0;
    if (tables > 0) throw new SqliteStoreError('corrupt', path, { detail: 'the file holds tables of another program, e.g. a kine database' });
    db.transaction(() => {
      db.exec(ddl);
      db.pragma(`user_version = ${schemaVersion}`);
    }).immediate();
  } else if (version !== schemaVersion) {
    throw new SqliteStoreError('newer-schema', path, { detail: `schema version ${String(version)}, expected ${schemaVersion}` });
  }
  // Start from an empty WAL, as kine does; also proves the file is writable.
  if (!db.memory) db.pragma('wal_checkpoint(TRUNCATE)');
}

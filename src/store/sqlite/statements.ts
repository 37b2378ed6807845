import type Database from 'better-sqlite3';
import type { KeyValue } from '../types.js';
import type { StoredChange, StoredLease } from '../mvcc/driver.js';

// Every statement the driver runs, prepared once per connection. Statements
// that return a lease column use safeIntegers, so every integer comes back
// as bigint; `toKv` turns revisions back into numbers (they are far below
// 2^53) and keeps lease ids exact.

type Stmt<P, R = unknown> = Database.Statement<[P], R>;

/** A key range bound for statements; `to` is absent for the unbounded variants. */
export interface RangeParams {
  from: Buffer;
  to?: Buffer;
}

export interface KvRow {
  key: Buffer;
  revision: bigint;
  create_revision: bigint;
  version: bigint;
  lease: bigint;
  /** Absent in keys-only rows. */
  value?: Buffer;
}

export interface ChangeRow extends KvRow {
  id: bigint;
  deleted: bigint;
  value: Buffer;
  p_revision: bigint | null;
  p_create_revision: bigint | null;
  p_version: bigint | null;
  p_lease: bigint | null;
  p_value: Buffer | null;
}

/** A winner of the historical scan: the latest live row <= R of one key. */
export interface LatestRow {
  id: number;
}

interface LeaseRow {
  id: bigint;
  granted_ttl: bigint;
  expires_at: bigint;
}

const empty = Buffer.alloc(0);

export function toKv(row: KvRow): KeyValue {
  return {
    key: row.key,
    createRevision: Number(row.create_revision),
    modRevision: Number(row.revision),
    version: Number(row.version),
    value: row.value ?? empty,
    lease: row.lease,
  };
}

export function toLease(row: LeaseRow): StoredLease {
  return { id: row.id, grantedTtl: Number(row.granted_ttl), expiresAt: Number(row.expires_at) };
}

/** A pair of statements: one for [from, to), one for [from, ∞). */
export interface Ranged<P, R> {
  bounded: Stmt<P & RangeParams, R>;
  unbounded: Stmt<P & RangeParams, R>;
}

export type Statements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: Database.Database) {
  /** Prepares `sql` twice, with `{range}` as a bounded and as an unbounded key range on `col`. */
  const ranged = <P, R>(sql: string, col: string, mode: 'safe' | 'plain' | 'pluck'): Ranged<P, R> => {
    const make = (bound: string): Stmt<P & RangeParams, R> =>
      db
        .prepare<P & RangeParams, R>(sql.replaceAll('{range}', bound))
        .safeIntegers(mode === 'safe')
        .pluck(mode === 'pluck');
    return { bounded: make(`${col} >= @from AND ${col} < @to`), unbounded: make(`${col} >= @from`) };
  };
  const kvCols = 'c.key, c.revision, c.create_revision, c.version, c.lease';
  const rowCols = 'key, revision, create_revision, version, lease';

  return {
    currentRevision: db.prepare<[], number>(`SELECT value FROM meta WHERE name = 'revision'`).pluck(),
    compactRevision: db.prepare<[], number>(`SELECT value FROM meta WHERE name = 'compact'`).pluck(),
    setMeta: db.prepare<{ name: string; value: number }>(`UPDATE meta SET value = @value WHERE name = @name`),

    get: db
      .prepare<{ key: Buffer }, KvRow>(
        `SELECT ${kvCols}, h.value FROM current c JOIN history h ON h.id = c.id WHERE c.key = @key`,
      )
      .safeIntegers(true),
    rangeCurrent: ranged<{ limit: number }, KvRow>(
      `SELECT ${kvCols}, h.value FROM current c JOIN history h ON h.id = c.id
       WHERE {range} ORDER BY c.key LIMIT @limit`,
      'c.key',
      'safe',
    ),
    rangeCurrentKeys: ranged<{ limit: number }, KvRow>(
      `SELECT ${kvCols} FROM current c WHERE {range} ORDER BY c.key LIMIT @limit`,
      'c.key',
      'safe',
    ),
    countCurrent: ranged<object, number>(`SELECT COUNT(*) FROM current c WHERE {range}`, 'c.key', 'pluck'),

    // Historical reads scan the covering index history_key: for each key the
    // row with MAX(revision) <= R (SQLite takes bare columns from that row),
    // dropped when it is a deletion. Values are fetched by id afterwards.
    rangeAt: ranged<{ revision: number; limit: number }, LatestRow>(
      `SELECT MAX(revision) AS revision, deleted, id FROM history
       WHERE {range} AND revision <= @revision GROUP BY key HAVING deleted = 0 ORDER BY key LIMIT @limit`,
      'key',
      'plain',
    ),
    countAt: ranged<{ revision: number }, number>(
      `SELECT COUNT(*) FROM (SELECT MAX(revision), deleted FROM history
       WHERE {range} AND revision <= @revision GROUP BY key) WHERE deleted = 0`,
      'key',
      'pluck',
    ),
    rowById: db.prepare<{ id: number }, KvRow>(`SELECT ${rowCols}, value FROM history WHERE id = @id`).safeIntegers(true),
    rowKeysById: db.prepare<{ id: number }, KvRow>(`SELECT ${rowCols} FROM history WHERE id = @id`).safeIntegers(true),

    // Rows of one revision are inserted in key order, so (revision, id) is
    // (revision, key) order and needs no sort.
    changes: ranged<{ fromRevision: number; toRevision: number; limit: number }, ChangeRow>(
      `SELECT h.id, h.key, h.revision, h.create_revision, h.version, h.lease, h.deleted, h.value,
              p.revision AS p_revision, p.create_revision AS p_create_revision, p.version AS p_version,
              p.lease AS p_lease, p.value AS p_value
       FROM history h LEFT JOIN history p ON p.id = h.prev_id
       WHERE h.revision >= @fromRevision AND h.revision <= @toRevision AND {range}
       ORDER BY h.revision, h.id LIMIT @limit`,
      'h.key',
      'safe',
    ),

    // prev_id is the key's live row, if any, read before current changes.
    insertHistory: db.prepare<{
      key: Buffer;
      revision: number;
      createRevision: number;
      version: number;
      lease: bigint;
      deleted: number;
      value: Buffer;
    }>(
      `INSERT INTO history (key, revision, create_revision, version, lease, deleted, prev_id, value)
       VALUES (@key, @revision, @createRevision, @version, @lease, @deleted,
               (SELECT id FROM current WHERE key = @key), @value)`,
    ),
    upsertCurrent: db.prepare<{
      key: Buffer;
      id: number | bigint;
      revision: number;
      createRevision: number;
      version: number;
      lease: bigint;
    }>(
      `INSERT INTO current (key, id, revision, create_revision, version, lease)
       VALUES (@key, @id, @revision, @createRevision, @version, @lease)
       ON CONFLICT (key) DO UPDATE SET id = excluded.id, revision = excluded.revision,
         create_revision = excluded.create_revision, version = excluded.version, lease = excluded.lease`,
    ),
    deleteCurrent: db.prepare<{ key: Buffer }>(`DELETE FROM current WHERE key = @key`),

    // Compaction of revisions (lo, hi]: the rows they supersede, then the
    // deletion rows themselves. The latest version <= hi of a live key is
    // superseded by no row <= hi, so it stays.
    /** The revision of the (rows + 1)-th history row above lo: where a step of `rows` rows must stop. */
    compactStepEnd: db
      .prepare<{ lo: number; rows: number }, number>(
        `SELECT revision FROM history WHERE revision > @lo ORDER BY revision LIMIT 1 OFFSET @rows`,
      )
      .pluck(),
    compactSuperseded: db.prepare<{ lo: number; hi: number }>(
      `DELETE FROM history WHERE id IN
         (SELECT prev_id FROM history WHERE revision > @lo AND revision <= @hi AND prev_id IS NOT NULL)`,
    ),
    compactDeletions: db.prepare<{ lo: number; hi: number }>(
      `DELETE FROM history WHERE revision > @lo AND revision <= @hi AND deleted = 1`,
    ),

    keysWithLease: db
      .prepare<{ lease: bigint }, Buffer>(`SELECT key FROM current WHERE lease = @lease AND lease != 0 ORDER BY key`)
      .pluck(),
    putLease: db.prepare<{ id: bigint; grantedTtl: number; expiresAt: number }>(
      `INSERT INTO lease (id, granted_ttl, expires_at) VALUES (@id, @grantedTtl, @expiresAt)
       ON CONFLICT (id) DO UPDATE SET granted_ttl = excluded.granted_ttl, expires_at = excluded.expires_at`,
    ),
    deleteLease: db.prepare<{ id: bigint }>(`DELETE FROM lease WHERE id = @id`),
    getLease: db.prepare<{ id: bigint }, LeaseRow>(`SELECT id, granted_ttl, expires_at FROM lease WHERE id = @id`).safeIntegers(true),
    allLeases: db.prepare<[], LeaseRow>(`SELECT id, granted_ttl, expires_at FROM lease ORDER BY id`).safeIntegers(true),

    pageCount: db.prepare<[], number>(`PRAGMA page_count`).pluck(),
    freelistCount: db.prepare<[], number>(`PRAGMA freelist_count`).pluck(),
  };
}

export function bounds(from: Buffer, to: Buffer | null): RangeParams {
  return to === null ? { from } : { from, to };
}

export function pick<P, R>(stmts: Ranged<P, R>, to: Buffer | null): Ranged<P, R>['bounded'] {
  return to === null ? stmts.unbounded : stmts.bounded;
}

export function toChange(row: ChangeRow): StoredChange {
  const prev: KeyValue | undefined =
    row.p_revision === null
      ? undefined
      : {
          key: row.key,
          createRevision: Number(row.p_create_revision),
          modRevision: Number(row.p_revision),
          version: Number(row.p_version),
          value: row.p_value ?? empty,
          lease: row.p_lease ?? 0n,
        };
  return { kv: toKv(row), deleted: row.deleted !== 0n, prev };
}

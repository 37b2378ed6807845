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

/**
 * A live key-value as one raw row: the key's length, key and value as one
 * blob (one Buffer instead of two: making Buffers is most of what a read
 * costs), the revisions as numbers, the lease as a number or, beyond 2^53,
 * its decimal text (exact either way).
 */
export type PackedKvRow = [keyLength: number, keyAndValue: Buffer, revision: number, createRevision: number, version: number, lease: number | string];

const packedKvCols = `length(c.key), CAST(c.key || h.value AS BLOB), c.revision, c.create_revision, c.version,
  CASE WHEN c.lease BETWEEN -9007199254740991 AND 9007199254740991 THEN c.lease ELSE CAST(c.lease AS TEXT) END`;

/** The KeyValue of a packed row; key and value are views of the row's one Buffer. */
export function packedToKv(row: PackedKvRow): KeyValue {
  const [keyLength, bytes, modRevision, createRevision, version, lease] = row;
  return {
    key: bytes.subarray(0, keyLength),
    createRevision,
    modRevision,
    version,
    value: bytes.subarray(keyLength),
    lease: lease === 0 ? 0n : BigInt(lease),
  };
}

/**
 * Many live key-values as one row: every key and value back to back in one
 * blob, and per key-value six decimal fields in one text (key length, value
 * length, revision, create revision, version, lease), both in key order, or
 * both NULL for no rows. One Buffer for a whole range: a read of 1,000 keys
 * took a third of the time of one row (two Buffers) per key.
 */
export type PackedRangeRow = [bytes: Buffer | null, fields: string | null];

/**
 * Appends the key-values of a packed range to `out`, in key order; returns
 * how many there were. Keys and values are views of one Buffer.
 */
export function unpackRange([bytes, fields]: PackedRangeRow, out: KeyValue[]): number {
  if (bytes === null || fields === null) return 0;
  const first = out.length;
  const text = new FieldReader(fields);
  let sorted = true;
  let at = 0;
  while (!text.done()) {
    const keyEnd = at + text.number();
    const valueEnd = keyEnd + text.number();
    const modRevision = text.number();
    const createRevision = text.number();
    const version = text.number();
    out.push({
      key: bytes.subarray(at, keyEnd),
      value: valueEnd === keyEnd ? empty : bytes.subarray(keyEnd, valueEnd),
      modRevision,
      createRevision,
      version,
      lease: text.int64(),
    });
    at = valueEnd;
    const n = out.length;
    if (sorted && n - 1 > first) sorted = Buffer.compare((out[n - 2] as KeyValue).key, (out[n - 1] as KeyValue).key) < 0;
  }
  // SQLite does not promise an aggregate's input order; should a plan ever
  // differ, the rows are still the right ones (LIMIT applies in key order).
  if (!sorted) out.push(...out.splice(first).sort((a, b) => Buffer.compare(a.key, b.key)));
  return out.length - first;
}

/**
 * Reads the comma-separated decimal integers of a packed range in place
 * (splitting the text made one string per field: most of an unpack's cost).
 */
class FieldReader {
  private at = 0;

  constructor(private readonly text: string) {}

  done(): boolean {
    return this.at >= this.text.length;
  }

  /** The next field, a non-negative integer below 2^53 (lengths, revisions, versions). */
  number(): number {
    const { text } = this;
    let n = 0;
    let c: number;
    while (this.at < text.length && (c = text.charCodeAt(this.at++)) !== 44) n = n * 10 + (c - 48);
    return n;
  }

  /** The next field as an int64: any sign and size, exact. */
  int64(): bigint {
    const { text } = this;
    const start = this.at;
    let end = text.indexOf(',', start);
    if (end < 0) end = text.length;
    this.at = end + 1;
    return end - start === 1 && text.charCodeAt(start) === 48 ? 0n : BigInt(text.slice(start, end));
  }
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
  const ranged = <P, R>(sql: string, col: string, mode: 'safe' | 'plain' | 'pluck' | 'raw'): Ranged<P, R> => {
    const make = (bound: string): Stmt<P & RangeParams, R> => {
      const stmt = db.prepare<P & RangeParams, R>(sql.replaceAll('{range}', bound)).safeIntegers(mode === 'safe');
      return mode === 'raw' ? stmt.raw(true) : stmt.pluck(mode === 'pluck');
    };
    return { bounded: make(`${col} >= @from AND ${col} < @to`), unbounded: make(`${col} >= @from`) };
  };
  const kvCols = 'c.key, c.revision, c.create_revision, c.version, c.lease';
  const rowCols = 'key, revision, create_revision, version, lease';

  return {
    currentRevision: db.prepare<[], number>(`SELECT value FROM meta WHERE name = 'revision'`).pluck(),
    compactRevision: db.prepare<[], number>(`SELECT value FROM meta WHERE name = 'compact'`).pluck(),
    setMeta: db.prepare<{ name: string; value: number }>(`UPDATE meta SET value = @value WHERE name = @name`),

    get: db
      .prepare<{ key: Buffer }, PackedKvRow>(`SELECT ${packedKvCols} FROM current c JOIN history h ON h.id = c.id WHERE c.key = @key`)
      .raw(true),
    // group_concat keeps a blob's bytes as they are (NULs included); the
    // CAST makes the concatenated text a blob again. Both aggregates take
    // the rows in the one order the ordered subquery yields them (an
    // ORDER BY inside each would sort twice more); unpackRange checks it.
    rangeCurrent: ranged<{ limit: number }, PackedRangeRow>(
      `SELECT CAST(group_concat(kv, '') AS BLOB), group_concat(fields, ',') FROM (
         SELECT c.key AS key, CAST(c.key || h.value AS BLOB) AS kv,
           length(c.key) || ',' || length(h.value) || ',' || c.revision || ',' || c.create_revision || ',' ||
           c.version || ',' || c.lease AS fields
         FROM current c JOIN history h ON h.id = c.id WHERE {range} ORDER BY c.key LIMIT @limit)`,
      'c.key',
      'raw',
    ),
    rangeCurrentKeys: ranged<{ limit: number }, PackedRangeRow>(
      `SELECT CAST(group_concat(key, '') AS BLOB), group_concat(fields, ',') FROM (
         SELECT c.key AS key,
           length(c.key) || ',0,' || c.revision || ',' || c.create_revision || ',' || c.version || ',' || c.lease AS fields
         FROM current c WHERE {range} ORDER BY c.key LIMIT @limit)`,
      'c.key',
      'raw',
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

import { chmodSync, existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Logger } from '../../log/logger.js';
import type { KeyValue } from '../types.js';
import type { Change, Driver, StoredChange, StoredLease } from '../mvcc/driver.js';
import { StoreError } from '../errors.js';
import { Checkpointer } from './checkpointer.js';
import { translateSqliteError } from './errors.js';
import { takeOwnerLock } from './owner-lock.js';
import { prepareDatabase } from './schema.js';
import { bounds, packedToKv, pick, prepareStatements, toChange, toKv, toLease, unpackRange } from './statements.js';
import type { Statements } from './statements.js';

export interface SqliteDriverOptions {
  /** 'normal' (default) survives kill -9 of the process; 'full' also survives power loss. See schema.ts. */
  synchronous?: 'normal' | 'full';
  /** How long a statement waits for a lock held by another process (default 5000 ms). */
  busyTimeoutMs?: number;
  /** SQLite page cache (default 8192 KiB). */
  cacheSizeKiB?: number;
  /** Hears of a checkpointer thread that failed (the store goes on without it). */
  logger?: Logger;
}

/**
 * After compaction, free pages beyond this share of the file are returned to
 * the filesystem; the rest stay for reuse so that steady churn does not
 * shrink and regrow the file every cycle.
 */
const keepFreeFraction = 0.25;
/** Bounds one afterCompaction() call (4 MiB of 4 KiB pages, ~15 ms measured); the rest goes next time. */
const maxVacuumPages = 1024;

const empty = Buffer.alloc(0);
const zeroByte = Buffer.from([0]);
/** Rows per read of a current-revision range (see rangeCurrent). */
const rangeChunkRows = 2048;
const byKey = (a: Change, b: Change): number => Buffer.compare(a.kv.key, b.kv.key);

/**
 * A Driver on one SQLite file (see schema.ts for the tables). One
 * connection, used synchronously (the checkpointer's thread has its own,
 * which only checkpoints): the process is the only writer, every
 * write is one BEGIN IMMEDIATE transaction or a SAVEPOINT of an open batch
 * (group commit), and reads see the connection's state, which is committed
 * state unless a batch is open.
 */
export class SqliteDriver implements Driver {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly st: Statements;
  private readonly txn: Database.Transaction<(fn: () => unknown) => unknown>;
  private readonly pageSize: number;
  /**
   * meta's 'revision' and 'compact', cached: this connection is the only
   * writer. A write() that rolls back restores `revision`; `compacted`
   * changes only after its own transaction commits.
   */
  private revision: number;
  private compacted: number;
  /** `revision` when the open batch began; undefined when none is open. */
  private batchBase: number | undefined;
  private readonly batchSql: { begin: Database.Statement; commit: Database.Statement; rollback: Database.Statement };
  /** File databases only: the owner lock (owner-lock.ts) and the checkpointer's thread. */
  private readonly owner: Database.Database | undefined;
  private readonly checkpointer: Checkpointer | undefined;

  constructor(path: string, opts: SqliteDriverOptions = {}) {
    this.path = path;
    const isFile = path !== '' && path !== ':memory:' && !path.startsWith('file:');
    const created = isFile && !existsSync(path);
    const busyTimeoutMs = opts.busyTimeoutMs ?? 5000;
    let owner: Database.Database | undefined;
    let db: Database.Database | undefined;
    try {
      // One process owns the file: the driver caches the revision and
      // MVCC's watchers only see their own process's writes, so a second
      // tsk8s on the same data dir must fail (SQLITE_BUSY) rather than write.
      if (isFile) owner = takeOwnerLock(path, busyTimeoutMs);
      db = new Database(path, { timeout: busyTimeoutMs });
      // The store holds Secrets: keep a new file private. SQLite gives the
      // -wal and -shm files the same mode.
      if (created) chmodSync(path, 0o600);
      prepareDatabase(db, path, { synchronous: opts.synchronous ?? 'normal', cacheSizeKiB: opts.cacheSizeKiB ?? 8192 });
      this.st = prepareStatements(db);
    } catch (err) {
      if (db?.open === true) db.close();
      owner?.close();
      throw translateSqliteError(err, path, true);
    }
    this.db = db;
    this.owner = owner;
    const checkpointerFailed = (err: Error): void => opts.logger?.warn('checkpointer thread failed; the writer checkpoints alone', { path, error: err.message });
    this.checkpointer = isFile ? new Checkpointer(path, checkpointerFailed) : undefined;
    this.txn = db.transaction((fn: () => unknown) => fn());
    this.batchSql = { begin: db.prepare('BEGIN IMMEDIATE'), commit: db.prepare('COMMIT'), rollback: db.prepare('ROLLBACK') };
    this.pageSize = Number(db.pragma('page_size', { simple: true }));
    this.revision = this.st.currentRevision.get() ?? 1;
    this.compacted = this.st.compactRevision.get() ?? 0;
  }

  /** Runs fn, translating SQLite failures (the one place they are translated). */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      throw translateSqliteError(err, this.path, this.db.open);
    }
  }

  private assertOpen(): void {
    if (!this.db.open) throw new StoreError('closed');
  }

  /** Inside a batch, fn runs as a SAVEPOINT of the batch's transaction. */
  write<T>(fn: () => T): T {
    const revision = this.revision;
    try {
      // Some errors (e.g. SQLITE_FULL) make SQLite roll back the whole
      // transaction; a batch's later writes must not start a fresh one.
      if (this.batchBase !== undefined && !this.db.inTransaction) throw new Error(`sqlite store ${this.path}: the batch was rolled back`);
      return this.txn.immediate(fn) as T;
    } catch (err) {
      this.revision = this.batchBase !== undefined && !this.db.inTransaction ? this.batchBase : revision;
      throw translateSqliteError(err, this.path, this.db.open);
    }
  }

  openBatch(): void {
    this.guard(() => {
      if (this.batchBase !== undefined || this.db.inTransaction) throw new Error('SqliteDriver.openBatch: a transaction is open');
      this.batchSql.begin.run();
    });
    this.batchBase = this.revision;
  }

  commitBatch(): void {
    const base = this.batchBase;
    if (base === undefined) throw new Error('SqliteDriver.commitBatch: no batch is open');
    this.batchBase = undefined;
    try {
      if (!this.db.inTransaction) throw new Error(`sqlite store ${this.path}: the batch was rolled back`);
      // meta's revision is written once per batch, not once per write.
      if (this.revision !== base) this.st.setMeta.run({ name: 'revision', value: this.revision });
      this.batchSql.commit.run();
    } catch (err) {
      this.revision = base;
      if (this.db.open && this.db.inTransaction) this.guard(() => this.batchSql.rollback.run());
      throw translateSqliteError(err, this.path, this.db.open);
    }
  }

  currentRevision(): number {
    this.assertOpen();
    return this.revision;
  }

  compactRevision(): number {
    this.assertOpen();
    return this.compacted;
  }

  get(key: Buffer): KeyValue | undefined {
    return this.guard(() => {
      const row = this.st.get.get({ key });
      return row === undefined ? undefined : packedToKv(row);
    });
  }

  range(from: Buffer, to: Buffer | null, revision: number, limit: number, keysOnly: boolean): KeyValue[] {
    return this.guard(() => {
      const params = { ...bounds(from, to), limit: limit > 0 ? limit : -1 };
      if (revision >= this.revision) {
        return this.rangeCurrent(from, to, limit, keysOnly);
      }
      const byId = keysOnly ? this.st.rowKeysById : this.st.rowById;
      return pick(this.st.rangeAt, to)
        .all({ ...params, revision })
        .map(({ id }) => {
          const row = byId.get({ id });
          if (row === undefined) throw new Error(`sqlite store ${this.path}: history row ${id} vanished during a read`);
          return toKv(row);
        });
    });
  }

  /** The live key-values in [from, to), read in chunks so that no one blob grows with the range. */
  private rangeCurrent(from: Buffer, to: Buffer | null, limit: number, keysOnly: boolean): KeyValue[] {
    const out: KeyValue[] = [];
    const stmt = pick(keysOnly ? this.st.rangeCurrentKeys : this.st.rangeCurrent, to);
    for (let lo = from; ; ) {
      const want = limit > 0 ? Math.min(rangeChunkRows, limit - out.length) : rangeChunkRows;
      const got = unpackRange(stmt.get({ ...bounds(lo, to), limit: want }) ?? [null, null], out);
      if (got < want || out.length === limit) return out;
      // The next key after the last one read.
      lo = Buffer.concat([(out[out.length - 1] as KeyValue).key, zeroByte]);
    }
  }

  count(from: Buffer, to: Buffer | null, revision: number): number {
    return this.guard(() => {
      if (revision >= this.revision) return pick(this.st.countCurrent, to).get(bounds(from, to)) ?? 0;
      return pick(this.st.countAt, to).get({ ...bounds(from, to), revision }) ?? 0;
    });
  }

  append(revision: number, changes: readonly Change[]): void {
    this.guard(() => {
      if (!this.db.inTransaction) throw new Error('SqliteDriver.append must run inside write()');
      if (revision !== this.revision + 1) {
        throw new Error(`SqliteDriver.append: revision ${revision} does not follow the current revision ${this.revision}`);
      }
      // Key order within a revision makes (revision, id) order key order.
      const sorted = changes.length > 1 ? [...changes].sort(byKey) : changes;
      for (const { kv, deleted } of sorted) {
        if (deleted) {
          this.st.insertHistory.run({ key: kv.key, revision, createRevision: 0, version: 0, lease: 0n, deleted: 1, value: empty });
          this.st.deleteCurrent.run({ key: kv.key });
          continue;
        }
        const row = { key: kv.key, revision, createRevision: kv.createRevision, version: kv.version, lease: kv.lease };
        const { lastInsertRowid } = this.st.insertHistory.run({ ...row, deleted: 0, value: kv.value });
        this.st.upsertCurrent.run({ ...row, id: lastInsertRowid });
      }
      if (this.batchBase === undefined) this.st.setMeta.run({ name: 'revision', value: revision });
      this.revision = revision;
    });
  }

  changes(from: Buffer, to: Buffer | null, fromRevision: number, toRevision: number, maxChanges: number): StoredChange[] {
    return this.guard(() => {
      const stmt = pick(this.st.changes, to);
      const limit = maxChanges > 0 ? maxChanges : -1;
      const rows = stmt.all({ ...bounds(from, to), fromRevision, toRevision, limit });
      const last = rows[rows.length - 1];
      if (limit > 0 && rows.length === limit && last !== undefined) {
        // The limit fell inside a revision: finish it, never split one.
        const tail = stmt.all({ ...bounds(from, to), fromRevision: Number(last.revision), toRevision: Number(last.revision), limit: -1 });
        for (const row of tail) if (row.id > last.id) rows.push(row);
      }
      return rows.map(toChange);
    });
  }

  /**
   * Compacts whole revisions (compactRevision(), hi] in one transaction and
   * records hi as the compact revision in it, so compactRevision() reports
   * progress step by step and history below it is always fully compacted,
   * even if the process dies between steps. hi <= revision, at most
   * `batchRevisions` revisions, and also at most `batchRevisions` history
   * rows (a txn or lease expiry can write thousands of rows at one
   * revision) unless the first revision alone has more: one revision is
   * never split. Must not run inside write().
   */
  compactStep(revision: number, batchRevisions: number): number {
    return this.guard(() => {
      if (this.db.inTransaction) throw new Error('SqliteDriver.compactStep must not run inside write()');
      if (revision <= this.compacted) return this.compacted;
      if (revision > this.revision) throw new StoreError('future-revision');
      const lo = this.compacted;
      const batch = Math.max(1, Math.floor(batchRevisions));
      let hi = Math.min(revision, lo + batch);
      const stop = this.st.compactStepEnd.get({ lo, rows: batch });
      if (stop !== undefined) hi = Math.min(hi, Math.max(lo + 1, stop - 1));
      const bounds = { lo, hi };
      this.txn.immediate(() => {
        this.st.compactSuperseded.run(bounds);
        this.st.compactDeletions.run(bounds);
        this.st.setMeta.run({ name: 'compact', value: bounds.hi });
      });
      this.compacted = bounds.hi;
      return bounds.hi;
    });
  }

  /**
   * Returns excess free pages to the filesystem (bounded per call) and
   * checkpoints the WAL, truncating it. Must not run inside write().
   */
  afterCompaction(): void {
    this.guard(() => {
      if (this.db.inTransaction) throw new Error('SqliteDriver.afterCompaction must not run inside write()');
      if (this.db.memory) return;
      const pages = this.st.pageCount.get() ?? 0;
      const excess = (this.st.freelistCount.get() ?? 0) - Math.floor(pages * keepFreeFraction);
      if (excess > 0) this.db.pragma(`incremental_vacuum(${Math.min(excess, maxVacuumPages)})`);
      const truncate = (): unknown => this.db.pragma('wal_checkpoint(TRUNCATE)');
      if (this.checkpointer) this.checkpointer.exclusive(truncate);
      else truncate();
    });
  }

  keysWithLease(lease: bigint): Buffer[] {
    return this.guard(() => this.st.keysWithLease.all({ lease }));
  }

  putLease(lease: StoredLease): void {
    this.guard(() => this.st.putLease.run({ id: lease.id, grantedTtl: lease.grantedTtl, expiresAt: lease.expiresAt }));
  }

  deleteLease(id: bigint): void {
    this.guard(() => this.st.deleteLease.run({ id }));
  }

  getLease(id: bigint): StoredLease | undefined {
    return this.guard(() => {
      const row = this.st.getLease.get({ id });
      return row === undefined ? undefined : toLease(row);
    });
  }

  allLeases(): StoredLease[] {
    return this.guard(() => this.st.allLeases.all().map(toLease));
  }

  /** dbSize counts the WAL too (bytes on disk); dbSizeInUse counts live pages of the main file. */
  size(): { dbSize: number; dbSizeInUse: number } {
    return this.guard(() => {
      const pages = this.st.pageCount.get() ?? 0;
      const free = this.st.freelistCount.get() ?? 0;
      return { dbSize: pages * this.pageSize + this.walSize(), dbSizeInUse: (pages - free) * this.pageSize };
    });
  }

  close(): void {
    this.checkpointer?.stop();
    if (this.db.open) this.guard(() => this.db.close());
    if (this.owner?.open === true) this.owner.close();
  }

  private walSize(): number {
    if (this.db.memory) return 0;
    try {
      return statSync(`${this.path}-wal`).size;
    } catch {
      return 0; // no WAL yet, or just truncated away
    }
  }
}

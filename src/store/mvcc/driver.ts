import type { KeyValue } from '../types.js';

/**
 * Storage primitives under the shared MVCC layer (`mvcc/`). The layer owns
 * etcd's semantics (revisions, versions, txn evaluation, leases, watch,
 * compaction scheduling); a driver only stores and finds rows. Drivers are
 * synchronous: one in-process writer, so a read-check-write inside `write()`
 * is atomic and revisions never have gaps.
 *
 * Key ranges are half-open [from, to); `to === null` means no upper bound.
 * Keys compare bytewise (memcmp).
 */
export interface Driver {
  /**
   * Runs fn as one atomic write transaction (SQLite: BEGIN IMMEDIATE). A throw
   * rolls back. The MVCC layer never nests write() calls.
   */
  write<T>(fn: () => T): T;

  /**
   * Group commit, for drivers whose commit is costly (both or neither).
   * openBatch() opens a transaction that the following write() calls join,
   * each nested (a throw rolls back only that write). commitBatch() commits
   * them all, or, when that fails, rolls them all back (currentRevision()
   * included) and throws. While a batch is open, reads see its writes: the
   * MVCC layer commits before it reads (see group-commit.ts). compactStep()
   * and afterCompaction() must not run inside a batch.
   */
  openBatch?(): void;
  commitBatch?(): void;

  /** Highest revision written (1 for a fresh store). Read on every request: keep it cheap. */
  currentRevision(): number;
  /** Revision history was compacted to (0 when never compacted). */
  compactRevision(): number;

  /** The latest live version of key, or undefined (absent or deleted). */
  get(key: Buffer): KeyValue | undefined;
  /**
   * Live keys in [from, to) as of `revision` (the latest version of each key
   * with modRevision <= revision, unless that version is a deletion), in key
   * order, at most `limit` (0: all). keysOnly may leave `value` empty.
   */
  range(from: Buffer, to: Buffer | null, revision: number, limit: number, keysOnly: boolean): KeyValue[];
  /** Number of live keys in [from, to) as of `revision`. */
  count(from: Buffer, to: Buffer | null, revision: number): number;

  /**
   * Writes one revision: every change made by one transaction. Must run
   * inside write(). `revision` is currentRevision() + 1; a deletion row has
   * deleted=true and carries only key and lease 0. The MVCC layer passes at
   * most one change per key, in key order, and never an empty list.
   */
  append(revision: number, changes: readonly Change[]): void;

  /**
   * Changes with revision in [fromRevision, toRevision] for keys in
   * [from, to), in revision order then key order, each with the key's
   * previous version (undefined for a create, or when compaction removed it).
   * Returns whole revisions and stops after the revision in which
   * `maxChanges` is reached. Never called with fromRevision below
   * compactRevision(); versions compaction removed are simply absent.
   */
  changes(from: Buffer, to: Buffer | null, fromRevision: number, toRevision: number, maxChanges: number): StoredChange[];

  /**
   * Removes history below `revision` by at most `batchRevisions` revisions
   * (superseded versions and deletions at or below the target), in one
   * transaction. Returns the revision compacted to so far, which must grow
   * with every call until it equals `revision`; from then on
   * compactRevision() reports it. The caller loops, and itself refuses reads
   * below the target while the loop runs.
   */
  compactStep(revision: number, batchRevisions: number): number;
  /** Reclaims space after compaction (SQLite: WAL checkpoint). */
  afterCompaction(): void;

  /** Current live keys attached to the lease. */
  keysWithLease(lease: bigint): Buffer[];
  putLease(lease: StoredLease): void;
  deleteLease(id: bigint): void;
  getLease(id: bigint): StoredLease | undefined;
  allLeases(): StoredLease[];

  /** [bytes on disk or in memory, bytes in use]. */
  size(): { dbSize: number; dbSizeInUse: number };
  close(): void;
}

export interface Change {
  kv: KeyValue;
  deleted: boolean;
}

export interface StoredChange {
  kv: KeyValue;
  deleted: boolean;
  /** The key's version before this change; undefined when this change created the key. */
  prev: KeyValue | undefined;
}

export interface StoredLease {
  id: bigint;
  /** Seconds granted. */
  grantedTtl: number;
  /** Wall-clock deadline in ms since the epoch; persisted so TTLs survive restarts. */
  expiresAt: number;
}

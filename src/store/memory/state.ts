// The memory driver's data, kept deliberately plain: a sorted key list, every
// version of every key, a per-revision log of which keys changed, and the
// leases. Keys are held as latin1 strings, which map bytes 1:1 to UTF-16
// code units, so JS string order is exactly memcmp order.
import type { KeyValue } from '../types.js';
import type { StoredLease } from '../mvcc/driver.js';

export interface Row {
  kv: KeyValue;
  deleted: boolean;
}

export interface LogEntry {
  revision: number;
  /** Ids of the keys changed at this revision, sorted. */
  ids: string[];
}

export class MemoryState {
  /** Ids of every key with history (live or not), sorted. */
  readonly keys: string[] = [];
  /** Versions of each key by ascending modRevision; deletions are rows too. */
  readonly history = new Map<string, Row[]>();
  /** One entry per revision still holding history, ascending. */
  readonly log: LogEntry[] = [];
  /** Live keys attached to each lease. */
  readonly leaseKeys = new Map<bigint, Set<string>>();
  readonly leases = new Map<bigint, StoredLease>();
  current = 1;
  compact = 0;
  /** Rough bytes held, for status(). */
  bytes = 0;
}

export function idOf(key: Buffer): string {
  return key.toString('latin1');
}

export function keyOf(id: string): Buffer {
  return Buffer.from(id, 'latin1');
}

/** First index in sorted `ids` whose id is >= `id`. */
export function lowerBound(ids: readonly string[], id: string): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ids[mid] ?? '') < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the last row with modRevision <= revision, or -1. */
export function rowIndexAt(rows: readonly Row[], revision: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((rows[mid]?.kv.modRevision ?? 0) <= revision) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Index of the first log entry with revision >= revision. */
export function logIndexFrom(log: readonly LogEntry[], revision: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((log[mid]?.revision ?? 0) < revision) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Approximate bytes a row holds (key, value and fixed overhead). */
export function rowBytes(row: Row): number {
  return row.kv.key.length + row.kv.value.length + 48;
}

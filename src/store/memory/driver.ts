// MemoryDriver: the reference Driver. Plain data (see state.ts), binary
// searches, no cleverness. write() keeps an undo log, so a throw inside it
// leaves the state exactly as it was.
import { StoreError } from '../errors.js';
import type { KeyValue } from '../types.js';
import type { Change, Driver, StoredChange, StoredLease } from '../mvcc/driver.js';
import { compactHistory } from './compact.js';
import { MemoryState, idOf, keyOf, logIndexFrom, lowerBound, rowBytes, rowIndexAt, type Row } from './state.js';

export class MemoryDriver implements Driver {
  /** Inverse operations of the running write(), newest last; null outside write(). */
  private undo: (() => void)[] | null = null;
  private closed = false;

  constructor(private readonly state: MemoryState = new MemoryState()) {}

  /** A new driver over the same data, as if the process restarted (this one should be closed). */
  reopen(): MemoryDriver {
    return new MemoryDriver(this.state);
  }

  write<T>(fn: () => T): T {
    if (this.closed) throw new StoreError('closed');
    if (this.undo) throw new Error('MemoryDriver.write is not reentrant');
    const undo: (() => void)[] = [];
    this.undo = undo;
    try {
      return fn();
    } catch (err) {
      for (let i = undo.length - 1; i >= 0; i--) undo[i]?.();
      throw err;
    } finally {
      this.undo = null;
    }
  }

  currentRevision(): number {
    return this.state.current;
  }

  compactRevision(): number {
    return this.state.compact;
  }

  get(key: Buffer): KeyValue | undefined {
    const rows = this.state.history.get(idOf(key));
    const last = rows?.[rows.length - 1];
    return last && !last.deleted ? { ...last.kv } : undefined;
  }

  range(from: Buffer, to: Buffer | null, revision: number, limit: number, keysOnly: boolean): KeyValue[] {
    const out: KeyValue[] = [];
    this.scan(from, to, revision, (kv) => {
      out.push(keysOnly ? { ...kv, value: Buffer.alloc(0) } : { ...kv });
      return limit === 0 || out.length < limit;
    });
    return out;
  }

  count(from: Buffer, to: Buffer | null, revision: number): number {
    let n = 0;
    this.scan(from, to, revision, () => {
      n++;
      return true;
    });
    return n;
  }

  append(revision: number, changes: readonly Change[]): void {
    const undo = this.undo;
    if (!undo) throw new Error('MemoryDriver.append must run inside write()');
    const s = this.state;
    if (revision !== s.current + 1) throw new Error(`append at revision ${revision}, expected ${s.current + 1}`);
    const ids: string[] = [];
    for (const change of changes) ids.push(this.appendRow(change, undo));
    ids.sort();
    s.log.push({ revision, ids });
    undo.push(() => s.log.pop());
    const before = s.current;
    s.current = revision;
    undo.push(() => (s.current = before));
  }

  changes(from: Buffer, to: Buffer | null, fromRevision: number, toRevision: number, maxChanges: number): StoredChange[] {
    const s = this.state;
    const fromId = idOf(from);
    const toId = to === null ? null : idOf(to);
    const out: StoredChange[] = [];
    for (let i = logIndexFrom(s.log, fromRevision); i < s.log.length; i++) {
      const entry = s.log[i];
      if (!entry || entry.revision > toRevision) break;
      for (const id of entry.ids) {
        if (id < fromId || (toId !== null && id >= toId)) continue;
        const rows = s.history.get(id) ?? [];
        const at = rowIndexAt(rows, entry.revision);
        const row = rows[at];
        // Compaction may have dropped this version (a deletion or a superseded put).
        if (!row || row.kv.modRevision !== entry.revision) continue;
        const before = rows[at - 1];
        out.push({ kv: { ...row.kv }, deleted: row.deleted, prev: before && !before.deleted ? { ...before.kv } : undefined });
      }
      if (out.length >= maxChanges) break;
    }
    return out;
  }

  compactStep(revision: number, batchRevisions: number): number {
    if (this.closed) throw new StoreError('closed');
    return compactHistory(this.state, revision, batchRevisions);
  }

  afterCompaction(): void {
    // Nothing to reclaim: dropped rows are garbage-collected.
  }

  keysWithLease(lease: bigint): Buffer[] {
    return [...(this.state.leaseKeys.get(lease) ?? [])].sort().map(keyOf);
  }

  putLease(lease: StoredLease): void {
    const leases = this.state.leases;
    const before = leases.get(lease.id);
    leases.set(lease.id, { ...lease });
    this.undo?.push(() => (before ? leases.set(lease.id, before) : leases.delete(lease.id)));
  }

  deleteLease(id: bigint): void {
    const leases = this.state.leases;
    const before = leases.get(id);
    if (!before) return;
    leases.delete(id);
    this.undo?.push(() => leases.set(id, before));
  }

  getLease(id: bigint): StoredLease | undefined {
    const lease = this.state.leases.get(id);
    return lease ? { ...lease } : undefined;
  }

  allLeases(): StoredLease[] {
    return [...this.state.leases.values()].map((l) => ({ ...l }));
  }

  size(): { dbSize: number; dbSizeInUse: number } {
    return { dbSize: this.state.bytes, dbSizeInUse: this.state.bytes };
  }

  close(): void {
    this.closed = true;
  }

  /** Calls visit with each live kv in [from, to) as of revision, in key order, until it returns false. */
  private scan(from: Buffer, to: Buffer | null, revision: number, visit: (kv: KeyValue) => boolean): void {
    const s = this.state;
    const toId = to === null ? null : idOf(to);
    for (let i = lowerBound(s.keys, idOf(from)); i < s.keys.length; i++) {
      const id = s.keys[i];
      if (id === undefined || (toId !== null && id >= toId)) break;
      const rows = s.history.get(id) ?? [];
      const row = rows[rowIndexAt(rows, revision)];
      if (!row || row.deleted) continue;
      if (!visit(row.kv)) break;
    }
  }

  /** Adds one version of a key, keeping the key list and lease index in step; records the undo. */
  private appendRow(change: Change, undo: (() => void)[]): string {
    const s = this.state;
    const id = idOf(change.kv.key);
    let rows = s.history.get(id);
    if (!rows) {
      const created: Row[] = [];
      rows = created;
      s.history.set(id, created);
      const at = lowerBound(s.keys, id);
      s.keys.splice(at, 0, id);
      undo.push(() => {
        s.keys.splice(lowerBound(s.keys, id), 1);
        s.history.delete(id);
      });
    }
    const previous = rows[rows.length - 1];
    if (previous && !previous.deleted) this.unlinkLease(previous.kv.lease, id, undo);
    const kv: KeyValue = { ...change.kv, key: Buffer.from(change.kv.key), value: Buffer.from(change.kv.value) };
    const row: Row = { kv, deleted: change.deleted };
    const target = rows;
    target.push(row);
    s.bytes += rowBytes(row);
    undo.push(() => {
      target.pop();
      s.bytes -= rowBytes(row);
    });
    if (!change.deleted) this.linkLease(kv.lease, id, undo);
    return id;
  }

  private linkLease(lease: bigint, id: string, undo: (() => void)[]): void {
    if (lease === 0n) return;
    const index = this.state.leaseKeys;
    let set = index.get(lease);
    if (!set) {
      set = new Set();
      index.set(lease, set);
    }
    const keys = set;
    keys.add(id);
    undo.push(() => {
      keys.delete(id);
      if (keys.size === 0) index.delete(lease);
    });
  }

  private unlinkLease(lease: bigint, id: string, undo: (() => void)[]): void {
    if (lease === 0n) return;
    const index = this.state.leaseKeys;
    const keys = index.get(lease);
    if (!keys?.delete(id)) return;
    if (keys.size === 0) index.delete(lease);
    undo.push(() => {
      const set = index.get(lease) ?? new Set<string>();
      set.add(id);
      index.set(lease, set);
    });
  }
}

// Read views over the driver. `DriverReader` answers plain reads;
// `WriteView` is one write txn's view: reads at the txn's own revision see
// the changes it has made so far (as etcd's txn does), and the changes are
// collected, one per key, to be appended as a single revision at the end.
import type { KeyValue } from '../types.js';
import type { Driver, StoredChange } from './driver.js';
import { inRange, isSingleKey, type KeyRange } from './keyrange.js';
import type { RangeSource } from './range.js';

export class DriverReader implements RangeSource {
  constructor(
    protected readonly driver: Driver,
    /** The driver's current revision when the read started. */
    readonly baseRevision: number,
    readonly compactRevision: number,
  ) {}

  get revision(): number {
    return this.baseRevision;
  }

  kvs(range: KeyRange, revision: number, limit: number, keysOnly: boolean): KeyValue[] {
    if (revision === this.baseRevision && isSingleKey(range)) {
      const kv = this.driver.get(range.from);
      return kv ? [keysOnly ? withoutValue(kv) : kv] : [];
    }
    const kvs = this.driver.range(range.from, range.to, revision, limit, keysOnly);
    return keysOnly ? kvs.map(withoutValue) : kvs;
  }

  count(range: KeyRange, revision: number): number {
    if (revision === this.baseRevision && isSingleKey(range)) return this.driver.get(range.from) ? 1 : 0;
    return this.driver.count(range.from, range.to, revision);
  }
}

/** Drivers may leave values in keys-only reads; responses must not carry them. */
function withoutValue(kv: KeyValue): KeyValue {
  return kv.value.length === 0 ? kv : { ...kv, value: Buffer.alloc(0) };
}

export class WriteView extends DriverReader {
  /** Pending changes by key (latin1 keeps bytes 1:1 and sorts like memcmp). */
  private readonly pending = new Map<string, StoredChange>();

  constructor(driver: Driver, compactRevision: number) {
    super(driver, driver.currentRevision(), compactRevision);
  }

  /** The revision this txn's writes get. */
  get writeRevision(): number {
    return this.baseRevision + 1;
  }

  /** The current revision as seen inside the txn: the write revision once something was written. */
  override get revision(): number {
    return this.pending.size > 0 ? this.baseRevision + 1 : this.baseRevision;
  }

  /** The key's live version as seen inside the txn. */
  get(key: Buffer): KeyValue | undefined {
    const change = this.pending.get(key.toString('latin1'));
    if (change) return change.deleted ? undefined : change.kv;
    return this.driver.get(key);
  }

  override kvs(range: KeyRange, revision: number, limit: number, keysOnly: boolean): KeyValue[] {
    if (this.pending.size === 0 || revision <= this.baseRevision) {
      return super.kvs(range, Math.min(revision, this.baseRevision), limit, keysOnly);
    }
    const merged = this.overlay(range);
    const cut = limit > 0 ? merged.slice(0, limit) : merged;
    return keysOnly ? cut.map(withoutValue) : cut;
  }

  override count(range: KeyRange, revision: number): number {
    if (this.pending.size === 0 || revision <= this.baseRevision) {
      return super.count(range, Math.min(revision, this.baseRevision));
    }
    return this.overlay(range).length;
  }

  /** Records a put; `kv.modRevision` must be writeRevision. */
  put(kv: KeyValue): void {
    this.record(kv.key, { kv, deleted: false, prev: undefined });
  }

  /** Records the deletion of a live key. */
  delete(key: Buffer): void {
    const kv: KeyValue = {
      key,
      createRevision: 0,
      modRevision: this.writeRevision,
      version: 0,
      value: Buffer.alloc(0),
      lease: 0n,
    };
    this.record(key, { kv, deleted: true, prev: undefined });
  }

  /** The collected changes in key order, each with the key's version before the txn. */
  changes(): StoredChange[] {
    return [...this.pending.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
  }

  /**
   * One change per key: a second write to a key keeps the pre-txn `prev`, and
   * deleting a key this txn created leaves no change at all. (The txn checks
   * reject such txns up front; this keeps the view consistent regardless.)
   */
  private record(key: Buffer, change: StoredChange): void {
    const id = key.toString('latin1');
    const earlier = this.pending.get(id);
    const prev = earlier ? earlier.prev : this.driver.get(key);
    if (change.deleted && earlier && !prev) {
      this.pending.delete(id);
      return;
    }
    this.pending.set(id, { ...change, prev });
  }

  private overlay(range: KeyRange): KeyValue[] {
    const byKey = new Map<string, KeyValue>();
    for (const kv of this.driver.range(range.from, range.to, this.baseRevision, 0, false)) {
      byKey.set(kv.key.toString('latin1'), kv);
    }
    for (const [id, change] of this.pending) {
      if (!inRange(change.kv.key, range)) continue;
      if (change.deleted) byKey.delete(id);
      else byKey.set(id, change.kv);
    }
    return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, kv]) => kv);
  }
}

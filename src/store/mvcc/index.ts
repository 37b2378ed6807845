// The shared MVCC layer: etcd v3 semantics over any synchronous Driver.
export { MvccStore, type MvccOptions } from './store.js';
export { ManualClock, systemClock, type Clock, type Timer } from './clock.js';
export type { Change, Driver, StoredChange, StoredLease } from './driver.js';
export { normalizeRange, prefixEnd, type KeyRange } from './keyrange.js';

// Fast paths for the apiserver's three write shapes (create, guarded update,
// guarded delete). Each is one point read and at most one appended change in
// a single driver transaction: no txn planning, no view, no overlay.
import { StoreError } from '../errors.js';
import type { CasResult } from '../backend.js';
import type { KeyValue } from '../types.js';
import type { Driver, StoredChange } from './driver.js';
import { nextKv, type LeaseExists } from './txn.js';
import { requireKey } from './txn-check.js';

/** The CAS result, plus the change to publish to watchers when one was written. */
export interface CasOutcome {
  result: CasResult;
  change?: StoredChange;
}

/** Puts key only if it does not exist. On failure `kv` is the existing key. */
export function casCreate(driver: Driver, key: Buffer, value: Buffer, lease: bigint, leaseExists: LeaseExists): CasOutcome {
  requireKey(key);
  return driver.write(() => {
    const current = driver.get(key);
    if (current) return failed(driver, current);
    return put(driver, undefined, key, value, lease, leaseExists);
  });
}

/** Puts key only if its modRevision is `expected` (0: only if absent). */
export function casUpdate(
  driver: Driver,
  key: Buffer,
  value: Buffer,
  expected: number,
  lease: bigint,
  leaseExists: LeaseExists,
): CasOutcome {
  requireKey(key);
  return driver.write(() => {
    const current = driver.get(key);
    if ((current?.modRevision ?? 0) !== expected) return failed(driver, current);
    return put(driver, current, key, value, lease, leaseExists);
  });
}

/**
 * Deletes key only if its modRevision is `expected`. As with etcd's
 * `MOD == 0` compare, expected 0 on an absent key succeeds without writing.
 */
export function casDelete(driver: Driver, key: Buffer, expected: number): CasOutcome {
  requireKey(key);
  return driver.write(() => {
    const current = driver.get(key);
    if ((current?.modRevision ?? 0) !== expected) return failed(driver, current);
    if (!current) return { result: { succeeded: true, revision: driver.currentRevision() } };
    const revision = driver.currentRevision() + 1;
    const kv: KeyValue = { key: current.key, createRevision: 0, modRevision: revision, version: 0, value: Buffer.alloc(0), lease: 0n };
    driver.append(revision, [{ kv, deleted: true }]);
    return { result: { succeeded: true, revision, kv: current }, change: { kv, deleted: true, prev: current } };
  });
}

function failed(driver: Driver, current: KeyValue | undefined): CasOutcome {
  const revision = driver.currentRevision();
  return { result: current ? { succeeded: false, revision, kv: current } : { succeeded: false, revision } };
}

function put(
  driver: Driver,
  prev: KeyValue | undefined,
  key: Buffer,
  value: Buffer,
  lease: bigint,
  leaseExists: LeaseExists,
): CasOutcome {
  if (lease !== 0n && !leaseExists(lease)) throw new StoreError('lease-not-found');
  const revision = driver.currentRevision() + 1;
  const kv = nextKv(prev, Buffer.from(key), Buffer.from(value), lease, revision);
  driver.append(revision, [{ kv, deleted: false }]);
  return { result: { succeeded: true, revision, kv }, change: { kv, deleted: false, prev } };
}

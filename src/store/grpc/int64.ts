// Checked conversions of decoded int64 fields (decimal strings, see proto.ts)
// into the store's types. Revisions become numbers only when they are safe
// integers; lease and watch ids stay bigint. Each helper says what an
// out-of-range value means, matching what etcd answers for it.
import { StoreError } from '../errors.js';
import { Code, RpcError } from './rpc-error.js';
import type { Int64 } from './wire.js';

const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);
const minSafe = -maxSafe;

/** Any decoded int64 as a bigint. proto-loader only yields decimal strings; anything else is a bad request. */
export function int64(value: Int64 | undefined): bigint {
  if (value === undefined || value === '') return 0n;
  try {
    return BigInt(value);
  } catch {
    throw new RpcError(Code.INVALID_ARGUMENT, `invalid int64 value "${value}"`);
  }
}

/** Clamps into the safe-integer range: for values that only bound or compare. */
export function clampedInt(value: Int64 | undefined): number {
  const v = int64(value);
  return Number(v > maxSafe ? maxSafe : v < minSafe ? minSafe : v);
}

/**
 * A revision to read at: 0 or less means the current one (as etcd treats it);
 * beyond the safe range it can only be in the future.
 */
export function readRevision(value: Int64): number {
  const v = int64(value);
  if (v <= 0n) return 0;
  if (v > maxSafe) throw new StoreError('future-revision');
  return Number(v);
}

/**
 * A compaction target: passed on as is (the store answers 'compacted' for
 * 0 and below, as etcd does); beyond the safe range it is in the future.
 */
export function compactRevision(value: Int64): number {
  const v = int64(value);
  if (v > maxSafe) throw new StoreError('future-revision');
  return Number(v < minSafe ? minSafe : v);
}

/** A watch start: negative means compacted history (-1), huge means a future that never comes (waits). */
export function watchStart(value: Int64): number {
  const v = int64(value);
  if (v < 0n) return -1;
  return Number(v > maxSafe ? maxSafe : v);
}

/** A range limit: 0 or less, or more than could ever be returned, means no limit (as in etcd). */
export function limit(value: Int64): number {
  const v = int64(value);
  return v <= 0n || v > maxSafe ? 0 : Number(v);
}

/** A lease TTL in seconds: huge values are etcd's "too large lease TTL". */
export function leaseTtl(value: Int64): number {
  const v = int64(value);
  if (v > maxSafe) throw new StoreError('lease-ttl-too-large');
  return Number(v < minSafe ? minSafe : v);
}

/** A revision bound of a range filter (min/max mod/create revision): 0 or less is no bound. */
export function revisionBound(value: Int64): number | undefined {
  const v = clampedInt(value);
  return v > 0 ? v : undefined;
}

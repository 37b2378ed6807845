// Txn compare evaluation (pure). etcd's rules:
// - a compare reads the state before the txn's ops run;
// - with a range_end it must hold for every key in the range;
// - a missing key (or an empty range) compares as a zero KeyValue: version,
//   create/mod revision and lease are 0, so e.g. `MOD == 0` means "absent";
// - a VALUE compare on a missing key is always false, whatever the result op.
import type { Compare, CompareResult, KeyValue } from '../types.js';

/** Whether `compare` holds for `kvs`, the live keys in its range. */
export function compareHolds(compare: Compare, kvs: readonly KeyValue[]): boolean {
  if (kvs.length === 0) {
    if (compare.target === 'VALUE') return false;
    return compareOne(compare, undefined);
  }
  for (const kv of kvs) {
    if (!compareOne(compare, kv)) return false;
  }
  return true;
}

function compareOne(c: Compare, kv: KeyValue | undefined): boolean {
  switch (c.target) {
    case 'VERSION':
      return holds(c.result, Math.sign((kv?.version ?? 0) - c.version));
    case 'CREATE':
      return holds(c.result, Math.sign((kv?.createRevision ?? 0) - c.createRevision));
    case 'MOD':
      return holds(c.result, Math.sign((kv?.modRevision ?? 0) - c.modRevision));
    case 'LEASE': {
      const lease = kv?.lease ?? 0n;
      return holds(c.result, lease === c.lease ? 0 : lease > c.lease ? 1 : -1);
    }
    case 'VALUE':
      return kv !== undefined && holds(c.result, Buffer.compare(kv.value, c.value));
  }
}

/** `sign` is the sign of (actual - wanted). */
function holds(result: CompareResult, sign: number): boolean {
  switch (result) {
    case 'EQUAL':
      return sign === 0;
    case 'NOT_EQUAL':
      return sign !== 0;
    case 'GREATER':
      return sign > 0;
    case 'LESS':
      return sign < 0;
  }
}

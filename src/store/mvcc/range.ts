// Range request evaluation over a RangeSource (the driver, or a write txn's
// view of it). Facts honoured (ETCD-FACTS §5.2, §5.4, §5.9):
// - the header revision is the current one, even for a historical read;
// - revision > current → 'future-revision'; 0 < revision < compact → 'compacted';
// - count is the number of keys in range at that revision, regardless of
//   limit and of the min/max filters; count_only ignores limit;
// - keys_only drops values but keeps revisions and version;
// - sorting or min/max filters disable the server-side limit: everything in
//   range is read, then filtered, sorted and cut to `limit`.
import { StoreError } from '../errors.js';
import type { KeyValue, RangeRequest, RangeResponse, SortOrder, SortTarget } from '../types.js';
import { isEmptyRange, normalizeRange, type KeyRange } from './keyrange.js';
import { requireKey } from './txn-check.js';

export interface RangeSource {
  /** The current revision as this reader sees it: the header revision. */
  readonly revision: number;
  readonly compactRevision: number;
  /** Live kvs in range as of `revision`, in key order, at most `limit` (0: all). */
  kvs(range: KeyRange, revision: number, limit: number, keysOnly: boolean): KeyValue[];
  /** Live keys in range as of `revision`. */
  count(range: KeyRange, revision: number): number;
}

export function executeRange(src: RangeSource, req: RangeRequest): RangeResponse {
  requireKey(req.key);
  const revision = readRevision(src, req.revision);
  const range = normalizeRange(req.key, req.rangeEnd);
  const header = src.revision;
  if (isEmptyRange(range)) return { revision: header, kvs: [], more: false, count: 0 };
  if (req.countOnly) return { revision: header, kvs: [], more: false, count: src.count(range, revision) };

  const limit = req.limit !== undefined && req.limit > 0 ? req.limit : 0;
  const order = effectiveOrder(req.sortOrder ?? 'NONE', req.sortTarget ?? 'KEY');
  const filtered = hasRevisionFilter(req);
  const keysOnly = req.keysOnly === true;

  if (order === 'NONE' && !filtered) {
    if (limit === 0) {
      const kvs = src.kvs(range, revision, 0, keysOnly);
      return { revision: header, kvs, more: false, count: kvs.length };
    }
    // One extra row tells whether more exist; only then is a count needed.
    const kvs = src.kvs(range, revision, limit + 1, keysOnly);
    if (kvs.length <= limit) return { revision: header, kvs, more: false, count: kvs.length };
    kvs.length = limit;
    return { revision: header, kvs, more: true, count: src.count(range, revision) };
  }

  // Sorting by value needs the values even when the answer leaves them out.
  const byValue = order !== 'NONE' && req.sortTarget === 'VALUE';
  const all = src.kvs(range, revision, 0, keysOnly && !byValue);
  let kvs = filtered ? all.filter((kv) => passesFilters(kv, req)) : all;
  if (order !== 'NONE') kvs = sortKvs(kvs, req.sortTarget ?? 'KEY', order);
  const more = limit > 0 && kvs.length > limit;
  if (more) kvs = kvs.slice(0, limit);
  if (keysOnly && byValue) kvs = kvs.map((kv) => ({ ...kv, value: Buffer.alloc(0) }));
  return { revision: header, kvs, more, count: all.length };
}

/** The revision a read happens at, checked against compaction and the present. */
export function readRevision(src: RangeSource, requested: number | undefined): number {
  if (requested === undefined || requested <= 0) return src.revision;
  if (!Number.isSafeInteger(requested)) throw new RangeError(`revision ${requested} is not a safe integer`);
  if (requested > src.revision) throw new StoreError('future-revision');
  if (requested < src.compactRevision) throw new StoreError('compacted', { compactRevision: src.compactRevision });
  return requested;
}

/**
 * Rows come in ascending key order already, so KEY/ASCEND needs no sort; a
 * non-KEY target without an order sorts ascending (as etcd does).
 */
function effectiveOrder(order: SortOrder, target: SortTarget): SortOrder {
  if (order === 'NONE' && target !== 'KEY') return 'ASCEND';
  if (order === 'ASCEND' && target === 'KEY') return 'NONE';
  return order;
}

function hasRevisionFilter(req: RangeRequest): boolean {
  return (
    (req.minModRevision ?? 0) > 0 ||
    (req.maxModRevision ?? 0) > 0 ||
    (req.minCreateRevision ?? 0) > 0 ||
    (req.maxCreateRevision ?? 0) > 0
  );
}

/** 0 (or absent) disables a bound. */
function passesFilters(kv: KeyValue, req: RangeRequest): boolean {
  const minMod = req.minModRevision ?? 0;
  const maxMod = req.maxModRevision ?? 0;
  const minCreate = req.minCreateRevision ?? 0;
  const maxCreate = req.maxCreateRevision ?? 0;
  if (minMod > 0 && kv.modRevision < minMod) return false;
  if (maxMod > 0 && kv.modRevision > maxMod) return false;
  if (minCreate > 0 && kv.createRevision < minCreate) return false;
  if (maxCreate > 0 && kv.createRevision > maxCreate) return false;
  return true;
}

/** Stable sort, so equal targets keep ascending key order. */
export function sortKvs(kvs: readonly KeyValue[], target: SortTarget, order: SortOrder): KeyValue[] {
  const sign = order === 'DESCEND' ? -1 : 1;
  const cmp = comparator(target);
  return [...kvs].sort((a, b) => sign * cmp(a, b));
}

function comparator(target: SortTarget): (a: KeyValue, b: KeyValue) => number {
  switch (target) {
    case 'KEY':
      return (a, b) => Buffer.compare(a.key, b.key);
    case 'VERSION':
      return (a, b) => a.version - b.version;
    case 'CREATE':
      return (a, b) => a.createRevision - b.createRevision;
    case 'MOD':
      return (a, b) => a.modRevision - b.modRevision;
    case 'VALUE':
      return (a, b) => Buffer.compare(a.value, b.value);
  }
}

// Wire ⇄ store conversions for KV messages and watch events. Responses leave
// zero values out, as etcd's encoder does (protobufjs would encode them
// when present). Decoded requests
// follow proto.ts's contract; int64 fields go through the checked helpers of
// int64.ts. Validation done here is what etcd does at its API layer before
// the store runs anything (an empty key, an op or compare it cannot read).
import { StoreError } from '../errors.js';
import type {
  Compare,
  CompareResult,
  DeleteRangeRequest,
  DeleteRangeResponse,
  Event,
  KeyValue,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  RequestOp,
  ResponseOp,
  SortOrder,
  SortTarget,
  TxnRequest,
  TxnResponse,
} from '../types.js';
import { nestedHeader } from './header.js';
import { clampedInt, int64, limit, readRevision, revisionBound } from './int64.js';
import { Code, RpcError } from './rpc-error.js';
import type {
  WireCompare,
  WireDeleteRangeRequest,
  WireDeleteRangeResponse,
  WireEnum,
  WireEvent,
  WireHeader,
  WireKeyValue,
  WirePutRequest,
  WirePutResponse,
  WireRangeRequest,
  WireRangeResponse,
  WireRequestOp,
  WireResponseOp,
  WireTxnRequest,
  WireTxnResponse,
} from './wire.js';

const sortOrders: readonly SortOrder[] = ['NONE', 'ASCEND', 'DESCEND'];
const sortTargets: readonly SortTarget[] = ['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'];
const compareResults: readonly CompareResult[] = ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'];

function oneOf<T extends string>(value: WireEnum, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

/** etcd rejects an empty key before anything else ("etcdserver: key is not provided"). */
export function requireKey(key: Buffer): Buffer {
  if (key.length === 0) throw new StoreError('key-not-provided');
  return key;
}

function optionalEnd(rangeEnd: Buffer): Buffer | undefined {
  return rangeEnd.length > 0 ? rangeEnd : undefined;
}

// ---- requests ----

export function rangeIn(r: WireRangeRequest): RangeRequest {
  return {
    key: requireKey(r.key),
    rangeEnd: optionalEnd(r.range_end),
    limit: limit(r.limit),
    revision: readRevision(r.revision),
    keysOnly: r.keys_only,
    countOnly: r.count_only,
    // An unknown order sorts nothing, as in etcd; an unknown target (which
    // crashes etcd 3.4) sorts by key.
    sortOrder: oneOf(r.sort_order, sortOrders) ?? 'NONE',
    sortTarget: oneOf(r.sort_target, sortTargets) ?? 'KEY',
    minModRevision: revisionBound(r.min_mod_revision),
    maxModRevision: revisionBound(r.max_mod_revision),
    minCreateRevision: revisionBound(r.min_create_revision),
    maxCreateRevision: revisionBound(r.max_create_revision),
  };
}

/** etcd's checks of a put before it runs (api/v3rpc/key.go), with its messages. */
export function putIn(r: WirePutRequest): PutRequest {
  requireKey(r.key);
  if (r.ignore_value && r.value.length > 0) throw new RpcError(Code.INVALID_ARGUMENT, 'etcdserver: value is provided');
  if (r.ignore_lease && int64(r.lease) !== 0n) throw new RpcError(Code.INVALID_ARGUMENT, 'etcdserver: lease is provided');
  return {
    key: r.key,
    value: r.value,
    lease: int64(r.lease),
    prevKv: r.prev_kv,
    ignoreValue: r.ignore_value,
    ignoreLease: r.ignore_lease,
  };
}

export function deleteRangeIn(r: WireDeleteRangeRequest): DeleteRangeRequest {
  return { key: requireKey(r.key), rangeEnd: optionalEnd(r.range_end), prevKv: r.prev_kv };
}

/**
 * The value compared is read from the oneof member `target` names; an absent
 * one is 0 (or empty). Enum values this server does not know are evaluated
 * as etcd 3.4 does: an unknown result holds (undefined: drop the compare); an
 * unknown target compares as equal, so only EQUAL holds.
 */
export function compareIn(c: WireCompare): Compare | undefined {
  const base = { key: requireKey(c.key), rangeEnd: optionalEnd(c.range_end) };
  const result = oneOf(c.result, compareResults);
  if (result === undefined) return undefined;
  switch (c.target) {
    case 'VERSION':
      return { ...base, result, target: 'VERSION', version: clampedInt(c.version) };
    case 'CREATE':
      return { ...base, result, target: 'CREATE', createRevision: clampedInt(c.create_revision) };
    case 'MOD':
      return { ...base, result, target: 'MOD', modRevision: clampedInt(c.mod_revision) };
    case 'VALUE':
      return { ...base, result, target: 'VALUE', value: c.value ?? Buffer.alloc(0) };
    case 'LEASE':
      return { ...base, result, target: 'LEASE', lease: int64(c.lease) };
    default:
      // No key has a create revision below 0 (a missing one compares as 0): never true.
      return result === 'EQUAL' ? undefined : { key: base.key, result: 'LESS', target: 'CREATE', createRevision: 0 };
  }
}

/** An op with no request set is what etcd calls "key not found". */
export function requestOpIn(op: WireRequestOp): RequestOp {
  if (op.request_range) return { range: rangeIn(op.request_range) };
  if (op.request_put) return { put: putIn(op.request_put) };
  if (op.request_delete_range) return { deleteRange: deleteRangeIn(op.request_delete_range) };
  if (op.request_txn) return { txn: txnIn(op.request_txn) };
  throw new StoreError('key-not-found');
}

export function txnIn(r: WireTxnRequest): TxnRequest {
  const compare: Compare[] = [];
  for (const c of r.compare) {
    const converted = compareIn(c);
    if (converted) compare.push(converted);
  }
  return { compare, success: r.success.map(requestOpIn), failure: r.failure.map(requestOpIn) };
}

/** True when a txn may write (etcd limits the size of writes only). */
export function txnWrites(r: WireTxnRequest): boolean {
  const writes = (op: WireRequestOp): boolean =>
    op.request_put !== undefined || op.request_delete_range !== undefined || (op.request_txn !== undefined && txnWrites(op.request_txn));
  return r.success.some(writes) || r.failure.some(writes);
}

// ---- responses ----

export function kvOut(kv: KeyValue): WireKeyValue {
  const out: WireKeyValue = { key: kv.key, mod_revision: kv.modRevision };
  if (kv.createRevision !== 0) out.create_revision = kv.createRevision;
  if (kv.version !== 0) out.version = kv.version;
  if (kv.value.length > 0) out.value = kv.value;
  if (kv.lease !== 0n) out.lease = kv.lease.toString();
  return out;
}

export function rangeOut(r: RangeResponse, header: WireHeader): WireRangeResponse {
  const out: WireRangeResponse = { header, kvs: r.kvs.map(kvOut) };
  if (r.more) out.more = true;
  if (r.count !== 0) out.count = r.count;
  return out;
}

export function putOut(r: PutResponse, header: WireHeader): WirePutResponse {
  return r.prevKv ? { header, prev_kv: kvOut(r.prevKv) } : { header };
}

export function deleteRangeOut(r: DeleteRangeResponse, header: WireHeader): WireDeleteRangeResponse {
  const out: WireDeleteRangeResponse = { header, prev_kvs: r.prevKvs.map(kvOut) };
  if (r.deleted !== 0) out.deleted = r.deleted;
  return out;
}

/**
 * Responses nested in the txn carry a header with only the revision, and a
 * nested txn an empty header, as etcd's do.
 */
export function txnOut(r: TxnResponse, header: WireHeader): WireTxnResponse {
  const out: WireTxnResponse = { header, responses: r.responses.map(responseOpOut) };
  if (r.succeeded) out.succeeded = true;
  return out;
}

function responseOpOut(op: ResponseOp): WireResponseOp {
  if ('range' in op) return { response_range: rangeOut(op.range, nestedHeader(op.range.revision)) };
  if ('put' in op) return { response_put: putOut(op.put, nestedHeader(op.put.revision)) };
  if ('deleteRange' in op) return { response_delete_range: deleteRangeOut(op.deleteRange, nestedHeader(op.deleteRange.revision)) };
  return { response_txn: txnOut(op.txn, {}) };
}

/**
 * One wire object per store KeyValue: the store hands the same KeyValue to
 * every watcher of its key, and encode.ts keeps each one's bytes, so an
 * event is converted and encoded once however many watchers see it.
 */
const sharedKvs = new WeakMap<KeyValue, WireKeyValue>();

function sharedKvOut(kv: KeyValue): WireKeyValue {
  let out = sharedKvs.get(kv);
  if (!out) {
    out = kvOut(kv);
    sharedKvs.set(kv, out);
  }
  return out;
}

export function eventOut(e: Event): WireEvent {
  const out: WireEvent = { kv: sharedKvOut(e.kv) };
  if (e.type === 'DELETE') out.type = 'DELETE';
  if (e.prevKv) out.prev_kv = sharedKvOut(e.prevKv);
  return out;
}

/** Rough encoded size of an event, for cutting watch responses (keys and values dominate). */
export function eventBytes(e: Event): number {
  return 48 + e.kv.key.length + e.kv.value.length + (e.prevKv ? 40 + e.prevKv.key.length + e.prevKv.value.length : 0);
}

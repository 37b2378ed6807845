// Write ops applied to a WriteView: put, delete-range and general txns.
// Everything a txn writes lands at one revision (the view's writeRevision);
// a txn that writes nothing leaves the revision alone. A throw anywhere
// aborts the whole driver transaction, so a failed txn writes nothing.
import { StoreError } from '../errors.js';
import type {
  DeleteRangeRequest,
  DeleteRangeResponse,
  KeyValue,
  PutRequest,
  PutResponse,
  RequestOp,
  ResponseOp,
  TxnRequest,
  TxnResponse,
} from '../types.js';
import { compareHolds } from './compare.js';
import { isEmptyRange, normalizeRange } from './keyrange.js';
import { executeRange } from './range.js';
import { requireKey } from './txn-check.js';
import type { WriteView } from './view.js';

export type LeaseExists = (id: bigint) => boolean;

/** The next version of a key: create fields on a create, carried forward on an update. */
export function nextKv(prev: KeyValue | undefined, key: Buffer, value: Buffer, lease: bigint, revision: number): KeyValue {
  return {
    key,
    createRevision: prev ? prev.createRevision : revision,
    modRevision: revision,
    version: prev ? prev.version + 1 : 1,
    value,
    lease,
  };
}

export function applyPut(view: WriteView, req: PutRequest, leaseExists: LeaseExists): PutResponse {
  requireKey(req.key);
  const prev = view.get(req.key);
  if ((req.ignoreValue || req.ignoreLease) && !prev) throw new StoreError('key-not-found');
  const lease = req.ignoreLease && prev ? prev.lease : (req.lease ?? 0n);
  if (lease !== 0n && !leaseExists(lease)) throw new StoreError('lease-not-found');
  // Own the bytes: callers may reuse their buffers after we answer.
  const value = req.ignoreValue && prev ? prev.value : Buffer.from(req.value);
  view.put(nextKv(prev, Buffer.from(req.key), value, lease, view.writeRevision));
  return req.prevKv && prev ? { revision: view.writeRevision, prevKv: prev } : { revision: view.writeRevision };
}

export function applyDeleteRange(view: WriteView, req: DeleteRangeRequest): DeleteRangeResponse {
  requireKey(req.key);
  const range = normalizeRange(req.key, req.rangeEnd);
  const kvs = isEmptyRange(range) ? [] : view.kvs(range, view.revision, 0, false);
  for (const kv of kvs) view.delete(kv.key);
  return { revision: view.revision, deleted: kvs.length, prevKvs: req.prevKv ? kvs : [] };
}

/** Which branch each (nested) txn takes; decided before any op runs. */
interface Plan {
  succeeded: boolean;
  ops: readonly RequestOp[];
  nested: ReadonlyMap<number, Plan>;
}

/**
 * Runs a txn whose request already passed checkTxn. As in etcd, every
 * compare, nested ones included, reads the state before the txn's first op;
 * ops then run in order, and later reads see earlier writes.
 */
export function applyTxn(view: WriteView, req: TxnRequest, leaseExists: LeaseExists): TxnResponse {
  return execute(view, plan(view, req), leaseExists);
}

function plan(view: WriteView, req: TxnRequest): Plan {
  const succeeded = req.compare.every((c) => {
    const range = normalizeRange(c.key, c.rangeEnd);
    return compareHolds(c, isEmptyRange(range) ? [] : view.kvs(range, view.revision, 0, false));
  });
  const ops = succeeded ? req.success : req.failure;
  const nested = new Map<number, Plan>();
  ops.forEach((op, i) => {
    if ('txn' in op) nested.set(i, plan(view, op.txn));
  });
  return { succeeded, ops, nested };
}

function execute(view: WriteView, p: Plan, leaseExists: LeaseExists): TxnResponse {
  const responses = p.ops.map((op, i): ResponseOp => {
    if ('range' in op) return { range: executeRange(view, op.range) };
    if ('put' in op) return { put: applyPut(view, op.put, leaseExists) };
    if ('deleteRange' in op) return { deleteRange: applyDeleteRange(view, op.deleteRange) };
    const nested = p.nested.get(i);
    if (!nested) throw new Error('txn plan lost a nested txn');
    return { txn: execute(view, nested, leaseExists) };
  });
  return { revision: view.revision, succeeded: p.succeeded, responses };
}

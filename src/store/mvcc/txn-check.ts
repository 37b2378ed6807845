// Static checks of a txn request, done before anything is read or written
// (etcd does them at its API layer, so both branches are checked whichever
// one runs).
import { StoreError } from '../errors.js';
import type { RequestOp, TxnRequest } from '../types.js';
import { inRange, normalizeRange, type KeyRange } from './keyrange.js';

/** etcd's default --max-txn-ops. */
export const defaultMaxTxnOps = 128;

/**
 * Throws 'too-many-ops' when a compare list or a branch has more than maxOps
 * entries (at any nesting level), 'key-not-provided' for an op with an empty
 * key, and 'duplicate-key' when one branch writes a key twice.
 */
export function checkTxn(req: TxnRequest, maxOps: number): void {
  checkShape(req, maxOps);
  writesOf(req.success);
  writesOf(req.failure);
}

function checkShape(req: TxnRequest, maxOps: number): void {
  if (req.compare.length > maxOps || req.success.length > maxOps || req.failure.length > maxOps) {
    throw new StoreError('too-many-ops');
  }
  for (const op of [...req.success, ...req.failure]) {
    if ('txn' in op) checkShape(op.txn, maxOps);
    else requireKey(keyOf(op));
  }
}

export function requireKey(key: Buffer): void {
  if (key.length === 0) throw new StoreError('key-not-provided');
}

function keyOf(op: Exclude<RequestOp, { txn: TxnRequest }>): Buffer {
  if ('range' in op) return op.range.key;
  if ('put' in op) return op.put.key;
  return op.deleteRange.key;
}

/** Keys a list of ops may put, and ranges it may delete. */
interface Writes {
  puts: Map<string, Buffer>;
  deletes: KeyRange[];
}

/**
 * Collects what one branch may write and throws 'duplicate-key' when a key
 * could be written twice at the txn's single revision: two puts of a key, or a
 * put inside a deleted range. Deletes may overlap each other. A nested txn's
 * success and failure branches exclude each other, so they may write the same
 * key; against its siblings a nested txn counts with both branches.
 *
 * This is a little stricter than etcd, which lets a nested put precede a
 * sibling delete of the same key; with one change per key per revision we
 * could not record that as two events, and no known client sends it.
 */
function writesOf(ops: readonly RequestOp[]): Writes {
  const acc: Writes = { puts: new Map(), deletes: [] };
  for (const op of ops) {
    if ('put' in op) {
      add(acc, { puts: new Map([[op.put.key.toString('latin1'), op.put.key]]), deletes: [] });
    } else if ('deleteRange' in op) {
      add(acc, { puts: new Map(), deletes: [normalizeRange(op.deleteRange.key, op.deleteRange.rangeEnd)] });
    } else if ('txn' in op) {
      const then = writesOf(op.txn.success);
      const otherwise = writesOf(op.txn.failure);
      add(acc, { puts: new Map([...then.puts, ...otherwise.puts]), deletes: [...then.deletes, ...otherwise.deletes] });
    }
  }
  return acc;
}

function add(acc: Writes, next: Writes): void {
  for (const [id, key] of next.puts) {
    if (acc.puts.has(id) || acc.deletes.some((r) => inRange(key, r))) throw new StoreError('duplicate-key');
  }
  for (const range of next.deletes) {
    for (const key of acc.puts.values()) {
      if (inRange(key, range)) throw new StoreError('duplicate-key');
    }
  }
  for (const [id, key] of next.puts) acc.puts.set(id, key);
  acc.deletes.push(...next.deletes);
}

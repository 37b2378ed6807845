// etcdserverpb.KV: Range, Put, DeleteRange, Txn, Compact over a Backend.
import type { Logger } from '../../log/logger.js';
import type { Backend } from '../backend.js';
import { StoreError } from '../errors.js';
import { deleteRangeIn, deleteRangeOut, putIn, putOut, rangeIn, rangeOut, txnIn, txnOut, txnWrites } from './codec.js';
import { header } from './header.js';
import { compactRevision } from './int64.js';
import type { RpcHandler } from './rpc-server.js';
import { unary } from './status.js';
import type {
  WireCompactionRequest,
  WireDeleteRangeRequest,
  WireDeleteRangeResponse,
  WireHeaderOnly,
  WirePutRequest,
  WirePutResponse,
  WireRangeRequest,
  WireRangeResponse,
  WireTxnRequest,
  WireTxnResponse,
} from './wire.js';

/** etcd's --max-request-bytes default: larger writes are "request is too large". */
export const maxRequestBytes = 1.5 * 1024 * 1024;

export function kvService(backend: Backend, log: Logger): Record<string, RpcHandler> {
  // etcd bounds what goes through raft (writes); reads are not limited.
  const checkSize = (size: number): void => {
    if (size > maxRequestBytes) throw new StoreError('request-too-large');
  };
  return {
    Range: unary<WireRangeRequest, WireRangeResponse>(log, 'Range', async (req) => {
      const res = await backend.range(rangeIn(req));
      return rangeOut(res, header(res.revision));
    }),
    Put: unary<WirePutRequest, WirePutResponse>(log, 'Put', async (req, size) => {
      checkSize(size);
      const res = await backend.put(putIn(req));
      return putOut(res, header(res.revision));
    }),
    DeleteRange: unary<WireDeleteRangeRequest, WireDeleteRangeResponse>(log, 'DeleteRange', async (req, size) => {
      checkSize(size);
      const res = await backend.deleteRange(deleteRangeIn(req));
      return deleteRangeOut(res, header(res.revision));
    }),
    Txn: unary<WireTxnRequest, WireTxnResponse>(log, 'Txn', async (req, size) => {
      if (txnWrites(req)) checkSize(size);
      const res = await backend.txn(txnIn(req));
      return txnOut(res, header(res.revision));
    }),
    // `physical` needs no handling: compaction has finished when the store answers.
    Compact: unary<WireCompactionRequest, WireHeaderOnly>(log, 'Compact', async (req) => {
      const res = await backend.compact(compactRevision(req.revision));
      return { header: header(res.revision) };
    }),
  };
}

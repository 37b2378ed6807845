// etcdserverpb.KV: Range, Put, DeleteRange, Txn, Compact over a Backend.
import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import type { Logger } from '../../log/logger.js';
import type { Backend } from '../backend.js';
import { StoreError } from '../errors.js';
import { deleteRangeIn, deleteRangeOut, putIn, putOut, rangeIn, rangeOut, txnIn, txnOut, txnWrites } from './codec.js';
import { header } from './header.js';
import { compactRevision } from './int64.js';
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

/** Reports the encoded size of a decoded request message (see server.ts). */
export type RequestSize = (request: object) => number;

export function kvService(backend: Backend, log: Logger, sizeOf: RequestSize): UntypedServiceImplementation {
  // etcd bounds what goes through raft (writes); reads are not limited.
  const checkSize = (req: object): void => {
    if (sizeOf(req) > maxRequestBytes) throw new StoreError('request-too-large');
  };
  return {
    Range: unary<WireRangeRequest, WireRangeResponse>(log, 'Range', async (req) => {
      const res = await backend.range(rangeIn(req));
      return rangeOut(res, header(res.revision));
    }),
    Put: unary<WirePutRequest, WirePutResponse>(log, 'Put', async (req) => {
      checkSize(req);
      const res = await backend.put(putIn(req));
      return putOut(res, header(res.revision));
    }),
    DeleteRange: unary<WireDeleteRangeRequest, WireDeleteRangeResponse>(log, 'DeleteRange', async (req) => {
      checkSize(req);
      const res = await backend.deleteRange(deleteRangeIn(req));
      return deleteRangeOut(res, header(res.revision));
    }),
    Txn: unary<WireTxnRequest, WireTxnResponse>(log, 'Txn', async (req) => {
      if (txnWrites(req)) checkSize(req);
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

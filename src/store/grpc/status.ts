// One place that turns failures into gRPC statuses. StoreErrors keep etcd's
// exact message (clients match on the text) with the code etcd sends for it;
// anything unexpected is logged here and answered INTERNAL without details.
import type { Logger } from '../../log/logger.js';
import { isStoreError, type StoreErrorCode } from '../errors.js';
import type { StreamCall } from './rpc-call.js';
import { Code, internalError, RpcError, type CodeName } from './rpc-error.js';
import type { RpcHandler } from './rpc-server.js';

/** The gRPC code etcd answers each store error with (api/v3rpc/rpctypes). */
const storeCodes: Record<StoreErrorCode, CodeName> = {
  compacted: 'OUT_OF_RANGE',
  'future-revision': 'OUT_OF_RANGE',
  'key-not-provided': 'INVALID_ARGUMENT',
  'duplicate-key': 'INVALID_ARGUMENT',
  'too-many-ops': 'INVALID_ARGUMENT',
  'key-not-found': 'INVALID_ARGUMENT',
  'lease-not-found': 'NOT_FOUND',
  'lease-exists': 'FAILED_PRECONDITION',
  'lease-ttl-too-large': 'OUT_OF_RANGE',
  'request-too-large': 'INVALID_ARGUMENT',
  unsupported: 'UNIMPLEMENTED',
  closed: 'UNAVAILABLE',
};

/** The status to answer `err` with; unexpected errors are logged (they are our bugs or storage failures). */
export function toRpcError(err: unknown, log: Logger, method: string): RpcError {
  if (isStoreError(err)) return new RpcError(Code[storeCodes[err.code]], err.message);
  if (err instanceof RpcError) return err;
  log.error('request failed', { method, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  return internalError;
}

/**
 * A unary method from an async function of the request and its encoded
 * size: its result is the response, a throw becomes the status chosen by
 * toRpcError.
 */
export function unary<Req, Res>(log: Logger, method: string, fn: (req: Req, size: number) => Promise<Res>): RpcHandler {
  return {
    kind: 'unary',
    run: async (req, size) => {
      const started = log.enabled('debug') ? performance.now() : 0;
      try {
        const res = await fn(req as Req, size);
        if (started) log.debug('served', { method, ms: Math.round(performance.now() - started) });
        return res;
      } catch (err) {
        const failure = toRpcError(err, log, method);
        if (started) log.debug('failed', { method, code: failure.code, details: failure.details });
        throw failure;
      }
    },
  };
}

/** A streaming method: `open` gets each call before its first request. */
export function streaming<Req, Res>(open: (call: StreamCall<Req, Res>) => void): RpcHandler {
  return { kind: 'stream', open: (call) => open(call as StreamCall<Req, Res>) };
}

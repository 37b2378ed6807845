// One place that turns failures into gRPC statuses. StoreErrors keep etcd's
// exact message (clients match on the text) with the code etcd sends for it;
// anything unexpected is logged here and answered INTERNAL without details.
import { status as Status, type handleUnaryCall, type ServerUnaryCall } from '@grpc/grpc-js';
import type { Logger } from '../../log/logger.js';
import { isStoreError, type StoreErrorCode } from '../errors.js';

export type GrpcCodeName = keyof typeof Status;

/** A request the wire layer rejects before the store sees it. */
export class WireError extends Error {
  constructor(
    readonly grpcCode: GrpcCodeName,
    message: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

/** The gRPC code etcd answers each store error with (api/v3rpc/rpctypes). */
const storeCodes: Record<StoreErrorCode, GrpcCodeName> = {
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

export interface GrpcFailure {
  code: Status;
  details: string;
}

/** The status to answer `err` with; unexpected errors are logged (they are our bugs or storage failures). */
export function toGrpcFailure(err: unknown, log: Logger, method: string): GrpcFailure {
  if (isStoreError(err)) return { code: Status[storeCodes[err.code]], details: err.message };
  if (err instanceof WireError) return { code: Status[err.grpcCode], details: err.message };
  log.error('request failed', { method, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  return { code: Status.INTERNAL, details: 'tsk8s: internal error serving the request (see the server log)' };
}

/**
 * Adapts an async handler to grpc-js: its result is the response, a throw or
 * rejection becomes the status chosen by toGrpcFailure.
 */
export function unary<Req, Res>(
  log: Logger,
  method: string,
  fn: (req: Req, call: ServerUnaryCall<Req, Res>) => Promise<Res>,
): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const started = log.enabled('debug') ? performance.now() : 0;
    (async () => fn(call.request, call))().then(
      (res) => {
        callback(null, res);
        if (started) log.debug('served', { method, ms: Math.round(performance.now() - started) });
      },
      (err: unknown) => {
        const failure = toGrpcFailure(err, log, method);
        callback(failure);
        if (started) log.debug('failed', { method, code: Status[failure.code], details: failure.details });
      },
    );
  };
}

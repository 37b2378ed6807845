// One CRI connection and its unary calls: deadline, cancellation and the one
// place where gRPC statuses become CriErrors.
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { CriError, isCriError, type CriErrorCode } from './errors.js';
import { criMethods, type CriMethod, type CriServiceName, type Wire } from './proto.js';
import type { CallOptions } from './runtime.js';

/** The kubelet's limit (upstream's 16 MiB): ListContainers of a busy node can be large. */
const maxMessageBytes = 16 * 1024 * 1024;

const codes: Partial<Record<status, CriErrorCode>> = {
  [status.NOT_FOUND]: 'not-found',
  [status.ALREADY_EXISTS]: 'already-exists',
  [status.UNAVAILABLE]: 'unavailable',
  [status.DEADLINE_EXCEEDED]: 'deadline',
  [status.CANCELLED]: 'cancelled',
  [status.INVALID_ARGUMENT]: 'invalid-argument',
  [status.FAILED_PRECONDITION]: 'failed-precondition',
  [status.UNIMPLEMENTED]: 'unimplemented',
};

/**
 * containerd answers a name clash (a sandbox or container name still held
 * by an earlier attempt) with UNKNOWN and this text, not ALREADY_EXISTS.
 */
const nameReserved = /failed to reserve (sandbox|container) name/;

export function toCriError(err: ServiceError, method: string): CriError {
  const code = codes[err.code] ?? (nameReserved.test(err.details) ? 'already-exists' : 'runtime');
  return new CriError(code, method, `${method}: ${err.details || err.message}`);
}

export interface Deadlines {
  /** Of every call but pulls, in ms. */
  timeoutMs: number;
  pullTimeoutMs: number;
}

/**
 * Stops and removals of what is already gone resolve (the contract of
 * runtime.ts); containerd answers NOT_FOUND to some of them.
 */
export async function gone(call: Promise<Wire>): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!isCriError(err, 'not-found')) throw err;
  }
}

export class CriConnection {
  private readonly client: Client;
  private readonly methods = criMethods();
  private closed = false;

  constructor(endpoint: string) {
    // Keepalive stays off (grpc-js sends no pings unless asked): the runtime
    // is local and idle connections are normal between pod changes.
    this.client = new Client(endpoint, credentials.createInsecure(), {
      'grpc.max_receive_message_length': maxMessageBytes,
      'grpc.max_send_message_length': maxMessageBytes,
      'grpc.enable_retries': 0,
    });
  }

  /**
   * Calls `service/method` with `request`; the deadline is `timeoutMs`
   * (Infinity for none). Rejects only with CriError.
   */
  call(service: CriServiceName, method: string, request: object, timeoutMs: number, opts: CallOptions = {}): Promise<Wire> {
    const def: CriMethod | undefined = this.methods[service][method];
    if (!def) return Promise.reject(new CriError('unimplemented', method, `${method}: not in proto/cri/api.proto`));
    if (this.closed) return Promise.reject(new CriError('unavailable', method, `${method}: the CRI client is closed`));
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(new CriError('cancelled', method));
    return new Promise((resolve, reject) => {
      const deadline = Number.isFinite(timeoutMs) ? Date.now() + timeoutMs : Infinity;
      const onAbort = (): void => call.cancel();
      const call = this.client.makeUnaryRequest(
        def.path,
        def.requestSerialize,
        def.responseDeserialize,
        request,
        new Metadata(),
        { deadline },
        (err, response) => {
          signal?.removeEventListener('abort', onAbort);
          if (err) reject(toCriError(err, method));
          else if (response) resolve(response);
          else reject(new CriError('runtime', method, `${method}: empty response`));
        },
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }
}

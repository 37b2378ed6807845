// gRPC status codes (the numbers are the protocol's) and the error a handler
// or the transport throws to end a call with one.

export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type CodeName = keyof typeof Code;
export type CodeNumber = (typeof Code)[CodeName];

/** Ends a call with `code` and `details` (sent as `grpc-status` / `grpc-message`). */
export class RpcError extends Error {
  constructor(
    readonly code: CodeNumber,
    readonly details: string,
  ) {
    super(details);
    this.name = 'RpcError';
  }
}

/** The answer to a failure that is ours (a bug or a storage failure), logged where it is caught; its details stay in the log. */
export const internalError = new RpcError(Code.INTERNAL, 'tsk8s: internal error serving the request (see the server log)');

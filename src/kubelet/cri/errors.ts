// CRI errors: one catalogue with stable codes. Every ContainerRuntime
// rejects with a CriError; the gRPC client translates status codes here and
// the fake throws the same codes, so kubelet code branches on `code` only.
// The message is the runtime's own text (it names the id or image).

export const criErrorCodes = {
  'not-found': 'the sandbox, container or image does not exist',
  'already-exists': 'a sandbox or container with that name already exists',
  unavailable: 'the container runtime is not reachable',
  deadline: 'the call did not finish before its deadline',
  cancelled: 'the call was cancelled',
  'invalid-argument': 'the runtime rejected the request',
  'failed-precondition': 'the object is not in a state that allows the call',
  unimplemented: 'the runtime does not implement this call',
  runtime: 'the runtime failed to carry out the call',
} as const;

export type CriErrorCode = keyof typeof criErrorCodes;

/** What the user can do about some codes; the kubelet adds it to events and logs. */
export const criErrorSuggestions: Partial<Record<CriErrorCode, string>> = {
  unavailable: 'check that containerd is running and its socket path is right',
  deadline: 'the runtime may be overloaded; the call is retried',
};

export class CriError extends Error {
  readonly code: CriErrorCode;
  /** The CRI method that failed ("ContainerStatus"). */
  readonly method: string;

  constructor(code: CriErrorCode, method: string, message?: string) {
    super(message || `${method}: ${criErrorCodes[code]}`);
    this.name = 'CriError';
    this.code = code;
    this.method = method;
  }
}

export function isCriError(err: unknown, code?: CriErrorCode): err is CriError {
  return err instanceof CriError && (code === undefined || err.code === code);
}

export const isNotFound = (err: unknown): boolean => isCriError(err, 'not-found');

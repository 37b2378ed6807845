// Client errors that are not the server's answer: one catalogue with stable
// codes. What the server says (any non-2xx response, a watch ERROR event) is
// an ApiError carrying its Status instead, so callers check those by reason.
// Messages name the URL or resource at fault; they never contain keys or
// certificates.
import { ApiError, StatusReason, failureStatus, fromStatus, isStatus, type Status } from '../machinery/index.js';

export const clientErrorCodes = {
  'connection-failed': 'the API server could not be reached (refused, reset, TLS handshake failed); check the address and certificates',
  'bad-response': 'the API server answered with a body that is not the JSON the request expects',
  'bad-config': 'the transport options are unusable (for example a base URL that is not http or https)',
  'bad-request': 'the client was asked for something it cannot send (an empty or unsafe name, a namespaced object without a namespace)',
} as const;

export type ClientErrorCode = keyof typeof clientErrorCodes;

export class ClientError extends Error {
  readonly code: ClientErrorCode;

  constructor(code: ClientErrorCode, message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ClientError';
    this.code = code;
  }
}

export function isClientError(err: unknown, code?: ClientErrorCode): err is ClientError {
  return err instanceof ClientError && (code === undefined || err.code === code);
}

/** Reasons upstream's client assumes for a bare HTTP code (client-go's NewGenericServerResponse). */
const reasonsByCode: Readonly<Record<number, StatusReason>> = {
  400: StatusReason.BadRequest,
  401: StatusReason.Unauthorized,
  403: StatusReason.Forbidden,
  404: StatusReason.NotFound,
  405: StatusReason.MethodNotAllowed,
  406: StatusReason.NotAcceptable,
  409: StatusReason.Conflict,
  410: StatusReason.Gone,
  413: StatusReason.RequestEntityTooLarge,
  415: StatusReason.UnsupportedMediaType,
  422: StatusReason.Invalid,
  429: StatusReason.TooManyRequests,
  500: StatusReason.InternalError,
  503: StatusReason.ServiceUnavailable,
  504: StatusReason.Timeout,
};

/**
 * The ApiError for a non-2xx answer: the Status the server sent, or (when
 * the body is not a Status, e.g. a proxy's HTML page) a Status built from
 * the code alone, so predicates like isNotFound still work.
 */
export function apiErrorFor(code: number, body: unknown): ApiError {
  if (isStatus(body)) {
    const status: Status = body.code === undefined ? { ...body, code } : body;
    return fromStatus(status);
  }
  const text = typeof body === 'string' && body.length > 0 ? `: ${body.slice(0, 200)}` : '';
  const reason = reasonsByCode[code] ?? StatusReason.Unknown;
  return new ApiError(failureStatus({ code, reason, message: `the server responded with the status code ${code} but did not return a Status${text}` }));
}

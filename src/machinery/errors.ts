// API errors: an ApiError carries the Status the server sends. Constructors
// reproduce upstream's reasons, codes, details and message shapes
// (apimachinery api/errors, apiserver negotiation, storage and authorization
// responses), because kubectl and client libraries print those messages and
// tests compare them. Checking an error is done by reason (predicates.ts),
// never by message.
//
// `gr` arguments are a group-resource written `resource[.group]` (`pods`,
// `deployments.apps`); `gk` arguments a group-kind written `Kind[.group]`
// (`Pod`, `Deployment.apps`). Neither a resource nor a kind contains a dot,
// so the first dot separates the group.

import { fieldErrorCauses, fieldErrorsMessage, type FieldError } from './fielderrors.js';
import { quote } from './quote.js';
import { CauseType, StatusReason, failureStatus, type Status, type StatusCause, type StatusDetails } from './status.js';

/** An error whose Status is the HTTP response body; `code` is the HTTP status. */
export class ApiError extends Error {
  readonly status: Status;

  constructor(status: Status, options?: { cause?: unknown }) {
    super(status.message ?? '', options);
    this.name = 'ApiError';
    this.status = status;
  }

  /** The HTTP status code (0 if the Status has none). */
  get code(): number {
    return this.status.code ?? 0;
  }

  /** The reason, `''` (Unknown) if the Status has none. */
  get reason(): StatusReason {
    return this.status.reason ?? StatusReason.Unknown;
  }
}

/** Upstream's optimistic-concurrency message (registry OptimisticLockErrorMsg). */
export const optimisticLockMessage = 'the object has been modified; please apply your changes to the latest version and try again';

/** 410 messages from upstream's storage layer. */
export const expiredMessages = {
  list: 'The resourceVersion for the provided list is too old.',
  watch: 'The resourceVersion for the provided watch is too old.',
  continueExpired:
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
  inconsistentContinue:
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
} as const;

/** Splits `resource[.group]` (or `Kind[.group]`) at the first dot. */
export function splitGroup(qualified: string): { name: string; group: string } {
  const dot = qualified.indexOf('.');
  return dot < 0 ? { name: qualified, group: '' } : { name: qualified.slice(0, dot), group: qualified.slice(dot + 1) };
}

function fail(code: number, reason: StatusReason, message: string, details?: StatusDetails): ApiError {
  return new ApiError(failureStatus({ code, reason, message, details }));
}

function resourceDetails(gr: string, name: string): StatusDetails {
  const { name: resource, group } = splitGroup(gr);
  return { name, group, kind: resource };
}

/** 404 NotFound: `pods "x" not found`. */
export function notFound(gr: string, name: string): ApiError {
  return fail(404, StatusReason.NotFound, `${gr} ${quote(name)} not found`, resourceDetails(gr, name));
}

/** 409 AlreadyExists: `pods "x" already exists`. */
export function alreadyExists(gr: string, name: string): ApiError {
  return fail(409, StatusReason.AlreadyExists, `${gr} ${quote(name)} already exists`, resourceDetails(gr, name));
}

/** 409 AlreadyExists after generateName retries ran out; the client may retry after the delay. */
export function generateNameConflict(gr: string, name: string, retryAfterSeconds: number): ApiError {
  const message = `${gr} ${quote(name)} already exists, the server was not able to generate a unique name for the object`;
  return fail(409, StatusReason.AlreadyExists, message, { ...resourceDetails(gr, name), retryAfterSeconds });
}

/** 409 Conflict: `Operation cannot be fulfilled on <gr> "<name>": <message>`; the message defaults to the optimistic-lock text. */
export function conflict(gr: string, name: string, message: string = optimisticLockMessage): ApiError {
  return fail(409, StatusReason.Conflict, `Operation cannot be fulfilled on ${gr} ${quote(name)}: ${message}`, resourceDetails(gr, name));
}

/** 409 Conflict from server-side apply; causes have type FieldManagerConflict. */
export function applyConflict(causes: StatusCause[], message: string): ApiError {
  return fail(409, StatusReason.Conflict, message, { causes });
}

/**
 * 422 Invalid: `Pod "x" is invalid: <errors>`, where one error is shown bare
 * and several (duplicates dropped) as `[a, b]`. Causes carry every error.
 */
export function invalid(gk: string, name: string, errors: readonly FieldError[]): ApiError {
  const { name: kind, group } = splitGroup(gk);
  const aggregate = fieldErrorsMessage(errors);
  const head = `${gk} ${quote(name)} is invalid`;
  const message = aggregate === undefined ? head : `${head}: ${aggregate}`;
  return fail(422, StatusReason.Invalid, message, { name, group, kind, causes: fieldErrorCauses(errors) });
}

/** 400 BadRequest with a free-text message. */
export function badRequest(message: string): ApiError {
  return fail(400, StatusReason.BadRequest, message);
}

/** 401 Unauthorized; an empty message becomes `not authorized`. */
export function unauthorized(message = ''): ApiError {
  return fail(401, StatusReason.Unauthorized, message === '' ? 'not authorized' : message);
}

/**
 * 403 Forbidden: `<gr> "<name>" is forbidden: <reason>`; without a name
 * `<gr> is forbidden: <reason>`; without a resource `forbidden: <reason>`.
 */
export function forbidden(gr: string, name: string, reason: string): ApiError {
  let message: string;
  if (gr === '') message = `forbidden: ${reason}`;
  else if (name === '') message = `${gr} is forbidden: ${reason}`;
  else message = `${gr} ${quote(name)} is forbidden: ${reason}`;
  return fail(403, StatusReason.Forbidden, message, resourceDetails(gr, name));
}

/** What an authorizer was asked, for the 403 an authorization denial produces. */
export interface DeniedRequest {
  user: string;
  verb: string;
  /** Resource requests: the resource, optional subresource, API group ('' for core), namespace ('' when cluster-scoped) and name. */
  resource?: { resource: string; subresource?: string; group: string; namespace: string; name: string };
  /** Non-resource requests (`/healthz`, `/version`): the path. */
  path?: string;
}

const htmlSanitizer: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * The 403 an authorization denial produces, as upstream's apiserver words it:
 * `pods "x" is forbidden: User "u" cannot get resource "pods" in API group ""
 * in the namespace "ns"`, or `... at the cluster scope`, or for a path
 * `forbidden: User "u" cannot get path "/x"`. The authorizer's reason, if
 * any, is appended after `: `. As upstream, `&<>` in the user-derived part
 * are HTML-escaped.
 */
export function forbiddenRequest(req: DeniedRequest, reason = ''): ApiError {
  const user = quote(req.user);
  let text: string;
  let gr = '';
  let name = '';
  const r = req.resource;
  if (r === undefined) {
    text = `User ${user} cannot ${req.verb} path ${quote(req.path ?? '')}`;
  } else {
    const resource = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
    const where = r.namespace !== '' ? `in the namespace ${quote(r.namespace)}` : 'at the cluster scope';
    text = `User ${user} cannot ${req.verb} resource ${quote(resource)} in API group ${quote(r.group)} ${where}`;
    gr = r.group === '' ? r.resource : `${r.resource}.${r.group}`;
    name = r.name;
  }
  text = text.replace(/[&<>]/g, (c) => htmlSanitizer[c] ?? c);
  return forbidden(gr, name, reason === '' ? text : `${text}: ${reason}`);
}

/** 405 MethodNotAllowed: `<action> is not supported on resources of kind "<gr>"`. */
export function methodNotSupported(gr: string, action: string): ApiError {
  const { name: resource, group } = splitGroup(gr);
  return fail(405, StatusReason.MethodNotAllowed, `${action} is not supported on resources of kind ${quote(gr)}`, { group, kind: resource });
}

/**
 * 406 NotAcceptable: `only the following media types are accepted: a, b`, or
 * with a conversion target (Table) `... accepted when converting to <target>: a, b`.
 */
export function notAcceptable(accepted: readonly string[], target?: string): ApiError {
  const when = target === undefined ? '' : ` when converting to ${target}`;
  return fail(406, StatusReason.NotAcceptable, `only the following media types are accepted${when}: ${accepted.join(', ')}`);
}

/** 415 UnsupportedMediaType: `the body of the request was in an unknown format - accepted media types include: a, b`. */
export function unsupportedMediaType(accepted: readonly string[]): ApiError {
  const message = `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`;
  return fail(415, StatusReason.UnsupportedMediaType, message);
}

/** 413 RequestEntityTooLarge: `Request entity too large: <message>`. */
export function requestEntityTooLarge(message: string): ApiError {
  return fail(413, StatusReason.RequestEntityTooLarge, `Request entity too large: ${message}`);
}

/** 410 Gone (deprecated upstream in favour of Expired, kept for clients that send it). */
export function gone(message: string): ApiError {
  return fail(410, StatusReason.Gone, message);
}

/** 410 Expired with a free-text message (see expiredMessages). */
export function expired(message: string): ApiError {
  return fail(410, StatusReason.Expired, message);
}

/** 410 Expired for a watch from a compacted revision: `too old resource version: <requested> (<oldest available - 1>)`. */
export function tooOldResourceVersion(requested: bigint | number | string, oldest: bigint | number | string): ApiError {
  return expired(`too old resource version: ${String(requested)} (${String(oldest)})`);
}

/**
 * 410 Expired for a continue token whose snapshot was compacted. With a new
 * token (one that continues at the latest revision) the Status carries it in
 * metadata.continue and says so; without, the shorter message is used.
 */
export function continueExpired(newContinue?: string): ApiError {
  if (newContinue === undefined || newContinue === '') return expired(expiredMessages.continueExpired);
  const status = failureStatus({ code: 410, reason: StatusReason.Expired, message: expiredMessages.inconsistentContinue, metadata: { continue: newContinue } });
  return new ApiError(status);
}

/** 429 TooManyRequests with the message as given; details carry retryAfterSeconds (the Retry-After header) and any causes. */
export function tooManyRequests(message: string, retryAfterSeconds = 0, causes?: StatusCause[]): ApiError {
  return fail(429, StatusReason.TooManyRequests, message, causes === undefined ? { retryAfterSeconds } : { retryAfterSeconds, causes });
}

/** 500 InternalError: `Internal error occurred: <err>`; the error text is also the single cause. */
export function internalError(err: unknown): ApiError {
  const text = err instanceof Error ? err.message : String(err);
  const status = failureStatus({ code: 500, reason: StatusReason.InternalError, message: `Internal error occurred: ${text}`, details: { causes: [{ message: text }] } });
  return new ApiError(status, err instanceof Error ? { cause: err } : undefined);
}

/** 500 ServerTimeout: the operation could not complete in time; the client should retry. */
export function serverTimeout(gr: string, operation: string, retryAfterSeconds: number): ApiError {
  const { name: resource, group } = splitGroup(gr);
  const message = `The ${operation} operation against ${gr} could not be completed at this time, please try again.`;
  return fail(500, StatusReason.ServerTimeout, message, { name: operation, group, kind: resource, retryAfterSeconds });
}

/** 503 ServiceUnavailable with a free-text message. */
export function serviceUnavailable(message: string): ApiError {
  return fail(503, StatusReason.ServiceUnavailable, message);
}

/** 504 Timeout: `Timeout: <message>`; the operation may still complete. */
export function timeout(message: string, retryAfterSeconds = 0): ApiError {
  return fail(504, StatusReason.Timeout, `Timeout: ${message}`, { retryAfterSeconds });
}

/** 504 Timeout for a consistent read at a revision the store has not reached yet. */
export function tooLargeResourceVersion(requested: bigint | number | string, current: bigint | number | string, retryAfterSeconds: number): ApiError {
  const message = `Timeout: Too large resource version: ${String(requested)}, current: ${String(current)}`;
  const causes = [{ reason: CauseType.ResourceVersionTooLarge, message: 'Too large resource version' }];
  return fail(504, StatusReason.Timeout, message, { causes, retryAfterSeconds });
}

/** Rebuilds an ApiError from a Status received over the wire (client side). */
export function fromStatus(status: Status): ApiError {
  return new ApiError(status);
}

/** The error as an ApiError: itself if it is one, else a 500 InternalError wrapping it. */
export function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : internalError(err);
}

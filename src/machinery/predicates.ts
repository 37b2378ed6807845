// Error predicates, checked by reason as upstream's `errors.IsNotFound` and
// friends: an error matches when its reason is the one named, or when its
// reason is not one of the known reasons and its HTTP code is the one that
// reason uses (a Status from an older or foreign server). Errors wrapped in
// `cause` chains are looked through, as Go's errors.As does.

import { ApiError } from './errors.js';
import { StatusReason, type Status, type StatusCause } from './status.js';

const knownReasons: ReadonlySet<string> = new Set(Object.values(StatusReason).filter((r) => r !== ''));

/** The first ApiError in the error's cause chain. */
export function findApiError(err: unknown): ApiError | undefined {
  const seen = new Set<unknown>();
  let current = err;
  while (current instanceof Error && !seen.has(current)) {
    if (current instanceof ApiError) return current;
    seen.add(current);
    current = current.cause;
  }
  return undefined;
}

/** The Status of the error, if it is (or wraps) an ApiError. */
export function statusOf(err: unknown): Status | undefined {
  return findApiError(err)?.status;
}

/** The reason of the error; `''` (Unknown) when it carries none. */
export function reasonOf(err: unknown): StatusReason {
  return findApiError(err)?.reason ?? StatusReason.Unknown;
}

function check(reason: StatusReason, code: number | undefined, strictReason = true) {
  return (err: unknown): boolean => {
    const e = findApiError(err);
    if (e === undefined) return false;
    if (e.reason === reason) return true;
    if (code === undefined || e.code !== code) return false;
    return !strictReason || !knownReasons.has(e.reason);
  };
}

export const isNotFound = check(StatusReason.NotFound, 404);
/** AlreadyExists is matched by reason only (409 is shared with Conflict). */
export const isAlreadyExists = check(StatusReason.AlreadyExists, undefined);
export const isConflict = check(StatusReason.Conflict, 409);
export const isInvalid = check(StatusReason.Invalid, 422);
export const isGone = check(StatusReason.Gone, 410);
/** Expired is matched by reason only (410 is shared with Gone). */
export const isResourceExpired = check(StatusReason.Expired, undefined);
export const isNotAcceptable = check(StatusReason.NotAcceptable, 406);
export const isUnsupportedMediaType = check(StatusReason.UnsupportedMediaType, 415);
export const isMethodNotSupported = check(StatusReason.MethodNotAllowed, 405);
export const isServiceUnavailable = check(StatusReason.ServiceUnavailable, 503);
export const isBadRequest = check(StatusReason.BadRequest, 400);
export const isUnauthorized = check(StatusReason.Unauthorized, 401);
export const isForbidden = check(StatusReason.Forbidden, 403);
export const isTimeout = check(StatusReason.Timeout, 504);
/** ServerTimeout is matched by reason only (its code, 500, says nothing). */
export const isServerTimeout = check(StatusReason.ServerTimeout, undefined);
export const isInternalError = check(StatusReason.InternalError, 500);
/** As upstream, a 429 matches whatever its reason (this check predates the others). */
export const isTooManyRequests = check(StatusReason.TooManyRequests, 429, false);
/** As upstream, a 413 matches whatever its reason. */
export const isRequestEntityTooLarge = check(StatusReason.RequestEntityTooLarge, 413, false);
/** A watch or list that must restart from a fresh list: Expired or Gone. */
export function isExpiredOrGone(err: unknown): boolean {
  return isResourceExpired(err) || isGone(err);
}

/** The first cause of the given type (`reason` on the wire) in the error's details. */
export function statusCause(err: unknown, type: string): StatusCause | undefined {
  return statusOf(err)?.details?.causes?.find((c) => c.reason === type);
}

/** Whether the error's details hold a cause of the given type. */
export function hasStatusCause(err: unknown, type: string): boolean {
  return statusCause(err, type) !== undefined;
}

/**
 * The delay the server asked for, in seconds, when the error suggests
 * retrying later (upstream SuggestsClientDelay): any ServerTimeout with
 * details (even with 0 seconds), or any Status with retryAfterSeconds > 0.
 */
export function suggestsClientDelay(err: unknown): number | undefined {
  const status = statusOf(err);
  if (status?.details === undefined) return undefined;
  const seconds = status.details.retryAfterSeconds ?? 0;
  if (status.reason === StatusReason.ServerTimeout || seconds > 0) return seconds;
  return undefined;
}

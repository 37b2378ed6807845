// The errors of patch application. Upstream answers malformed directive
// formats with 400, lists of lists and failed JSON patch operations with a
// bare 422 ("the server rejected our request due to an error in our
// request"), and everything else its strategic merge code reports (missing
// merge keys, wrong value types, unknown directives) as a 500 carrying the
// message. Those are the client's mistakes, so here they are 400s with the
// same messages. The 422 keeps upstream's message and details and adds the
// specific reason as a cause on the field `patch`, which kubectl prints.
import { ApiError, badRequest } from '../errors.js';
import { CauseType, StatusReason, failureStatus } from '../status.js';
import { goType, goValue } from './json.js';

export const badPrimitiveList = (): ApiError => badRequest('invalid patch format of primitive list');
export const badRetainKeys = (): ApiError => badRequest('invalid patch format of retainKeys');
export const badSetElementOrder = (): ApiError => badRequest('invalid patch format of setElementOrder list');

/** An element of a list merged by key lacks the key. */
export function noMergeKey(element: unknown, mergeKey: string): ApiError {
  return badRequest(`map: ${goValue(element)} does not contain declared merge key: ${mergeKey}`);
}

/** A value has the wrong type; `expected` is a Go type name such as `[]interface {}`. */
export function badArgType(expected: string, actual: unknown): ApiError {
  return badRequest(`expected a ${expected}, but received a ${goType(actual)}`);
}

/** A `$patch` directive with a value that is not allowed where it stands. */
export function badPatchType(directive: unknown, map: unknown): ApiError {
  return badRequest(`unknown patch type: ${goValue(directive)} in map: ${goValue(map)}`);
}

/** 422 Invalid with upstream's generic message; `detail` says what went wrong. */
export function unprocessablePatch(detail: string): ApiError {
  const message = 'the server rejected our request due to an error in our request';
  const causes = [{ reason: CauseType.FieldValueInvalid, message: detail, field: 'patch' }];
  return new ApiError(failureStatus({ code: 422, reason: StatusReason.Invalid, message, details: { causes } }));
}

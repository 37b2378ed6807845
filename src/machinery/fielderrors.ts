// Field-level validation errors, as upstream's util/validation/field: each
// names a field path (`spec.containers[0].image`), a type and a detail, and
// renders to the same text (`Required value`, `Invalid value: "x": msg`,
// `Unsupported value: "x": supported values: "a", "b"`). A list of them
// becomes the causes and the message of a 422 Invalid (see errors.ts).

import { formatValue, quote } from './quote.js';
import { CauseType, type StatusCause } from './status.js';

/** Field error types: the CauseType that ends up in the Status cause. */
export type FieldErrorType =
  | typeof CauseType.FieldValueNotFound
  | typeof CauseType.FieldValueRequired
  | typeof CauseType.FieldValueDuplicate
  | typeof CauseType.FieldValueInvalid
  | typeof CauseType.FieldValueNotSupported
  | typeof CauseType.FieldValueForbidden
  | typeof CauseType.FieldValueTooLong
  | typeof CauseType.FieldValueTooMany
  | typeof CauseType.InternalError
  | typeof CauseType.FieldValueTypeInvalid;

/** Marks a bad value that must not be printed (upstream's omitValue). */
export const omitValue: unique symbol = Symbol('omitValue');

export interface FieldError {
  readonly type: FieldErrorType;
  /** The path of the field; upstream prints a nil path as `<nil>`. */
  readonly field: string;
  readonly badValue: unknown;
  readonly detail: string;
}

const typeText: Readonly<Record<FieldErrorType, string>> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** Types whose message never shows the bad value. */
const valueless: ReadonlySet<FieldErrorType> = new Set<FieldErrorType>([
  CauseType.FieldValueRequired,
  CauseType.FieldValueForbidden,
  CauseType.FieldValueTooLong,
  CauseType.InternalError,
]);

function make(type: FieldErrorType, field: string, badValue: unknown, detail: string): FieldError {
  return { type, field, badValue, detail };
}

/** A value that was looked up (an id, a reference) does not exist. */
export function fieldNotFound(field: string, value: unknown): FieldError {
  return make(CauseType.FieldValueNotFound, field, value, '');
}

/** A required value is missing (empty string, null, empty list). */
export function fieldRequired(field: string, detail = ''): FieldError {
  return make(CauseType.FieldValueRequired, field, '', detail);
}

/** A value that must be unique is repeated. */
export function fieldDuplicate(field: string, value: unknown): FieldError {
  return make(CauseType.FieldValueDuplicate, field, value, '');
}

/** A malformed value (failed pattern, out of range, ...). */
export function fieldInvalid(field: string, value: unknown, detail: string): FieldError {
  return make(CauseType.FieldValueInvalid, field, value, detail);
}

/** A value outside an enumeration; the supported values are listed, quoted, in the order given. */
export function fieldNotSupported(field: string, value: unknown, supported: readonly string[]): FieldError {
  const detail = supported.length > 0 ? `supported values: ${supported.map(quote).join(', ')}` : '';
  return make(CauseType.FieldValueNotSupported, field, value, detail);
}

/** A well-formed value that is not allowed here (policy, immutability, ...). */
export function fieldForbidden(field: string, detail: string): FieldError {
  return make(CauseType.FieldValueForbidden, field, '', detail);
}

/** A value longer than `maxLength` bytes; a negative maxLength gives the generic text. The value is never shown. */
export function fieldTooLong(field: string, maxLength: number): FieldError {
  const detail = maxLength >= 0 ? `may not be more than ${maxLength} bytes` : 'value is too long';
  return make(CauseType.FieldValueTooLong, field, '<value omitted>', detail);
}

/** A list with too many items; a negative count is not shown, a negative maximum gives the generic text. */
export function fieldTooMany(field: string, actual: number, max: number): FieldError {
  const detail = max >= 0 ? `must have at most ${max} items` : 'has too many items';
  return make(CauseType.FieldValueTooMany, field, actual >= 0 ? actual : omitValue, detail);
}

/** A failure not caused by the user's input. */
export function fieldInternal(field: string, err: unknown): FieldError {
  return make(CauseType.InternalError, field, null, err instanceof Error ? err.message : String(err));
}

/** A value of the wrong type for the schema. */
export function fieldTypeInvalid(field: string, value: unknown, detail: string): FieldError {
  return make(CauseType.FieldValueTypeInvalid, field, value, detail);
}

/** The message without the field: `Invalid value: "x": detail`. */
export function fieldErrorBody(e: FieldError): string {
  let s = typeText[e.type];
  if (!valueless.has(e.type) && e.badValue !== omitValue) s += `: ${formatValue(e.badValue)}`;
  if (e.detail !== '') s += `: ${e.detail}`;
  return s;
}

/** The full message: `spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
export function fieldErrorMessage(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/**
 * Joins messages as upstream's error aggregate does: duplicates dropped, one
 * message bare, several as `[a, b]`. Undefined for an empty list.
 */
export function aggregateMessages(messages: readonly string[]): string | undefined {
  const unique = [...new Set(messages)];
  if (unique.length === 0) return undefined;
  if (unique.length === 1) return unique[0];
  return `[${unique.join(', ')}]`;
}

/** The aggregate message of a list of field errors (see aggregateMessages). */
export function fieldErrorsMessage(errors: readonly FieldError[]): string | undefined {
  return aggregateMessages(errors.map(fieldErrorMessage));
}

/** Status causes for a list of field errors, one per error (not deduplicated, as upstream). */
export function fieldErrorCauses(errors: readonly FieldError[]): StatusCause[] {
  return errors.map((e) => ({ reason: e.type, message: fieldErrorBody(e), field: e.field }));
}

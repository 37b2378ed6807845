// The `includeObject` query parameter of a Table request: what each row's
// `object` carries. Upstream's default (absent or empty) is Metadata.
import { badRequest, fieldErrorMessage, fieldInvalid, type ApiError } from '../../machinery/index.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const allowed: ReadonlySet<string> = new Set<IncludeObject>(['None', 'Metadata', 'Object']);

/**
 * The includeObject value, or a 400 BadRequest for anything else, with
 * upstream's message (`Unable to convert to Table as requested:
 * includeObject: Invalid value: "x": must be ...`). Values are
 * case-sensitive, as upstream's are.
 */
export function parseIncludeObject(value: string | null | undefined): IncludeObject | ApiError {
  if (value === null || value === undefined || value === '') return 'Metadata';
  if (allowed.has(value)) return value as IncludeObject;
  const error = fieldInvalid('includeObject', value, "must be 'Metadata', 'Object', 'None', or empty");
  return badRequest(`Unable to convert to Table as requested: ${fieldErrorMessage(error)}`);
}

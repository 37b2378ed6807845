// The `fieldValidation` query parameter of create, update and patch
// (upstream's server-side field validation): objects are checked against
// the generated schema of their kind after decoding and before defaulting.
//   Strict → 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: strict decoding error: unknown field "spec.foo"`
//   Warn (the default) → the field is dropped and a `Warning: 299 - "unknown field \"spec.foo\""` header sent
//   Ignore → the field is dropped silently
// Custom kinds are checked against their CRD's schema; kinds without any
// definition are not checked.
import type { GroupVersionKind } from '../../api/object.js';
import { badRequest, fieldErrorMessage, fieldNotSupported } from '../../machinery/index.js';
import type { ApiResponse } from '../rest/types.js';
import { loadDefinitions, type DefinitionIndex } from './definitions.js';
import { schemaRefPrefix } from './schema.js';
import { scanUnknownFields } from './unknown-fields.js';

export type FieldValidationMode = 'Ignore' | 'Warn' | 'Strict';

const modes: readonly string[] = ['Ignore', 'Strict', 'Warn'];

/** The mode a request asks for; absent or empty means Warn. An unknown value is a 400. */
export function fieldValidationMode(query: URLSearchParams): FieldValidationMode {
  const value = query.get('fieldValidation') ?? '';
  if (value === '') return 'Warn';
  if (!modes.includes(value)) throw badRequest(fieldErrorMessage(fieldNotSupported('fieldValidation', value, ['', ...modes])));
  return value as FieldValidationMode;
}

export interface FieldCheck {
  /** Warnings collected so far, as Warning header values (Warn mode only). */
  readonly warnings: string[];
  /**
   * Checks an object about to be written and returns it without its
   * undeclared fields (a copy when any were dropped; the input is never
   * mutated). `previous` is the stored object an update starts from: fields
   * it already carried are dropped but not blamed on the request. Throws a
   * 400 in Strict mode.
   */
  check<T>(obj: T, previous?: unknown): T;
}

function quoteWarning(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * The check for writes of `gvk` asked for by `query`. Definitions are the
 * kind's own when it carries them (custom kinds), else the generated ones,
 * unless given.
 */
export function fieldCheck(
  gvk: GroupVersionKind & { fieldDefinitions?: DefinitionIndex },
  query: URLSearchParams,
  index: DefinitionIndex | undefined = gvk.fieldDefinitions ?? loadDefinitions(),
): FieldCheck {
  const mode = fieldValidationMode(query);
  const warnings: string[] = [];
  const name = index?.nameOf(gvk);
  const check = <T>(obj: T, previous?: unknown): T => {
    if (index === undefined || name === undefined) return obj;
    const root = { $ref: schemaRefPrefix + name };
    const scan = scanUnknownFields(index.definitions, root, obj, true);
    if (scan.unknown.length === 0) return obj;
    const inherited = previous === undefined ? new Set<string>() : new Set(scanUnknownFields(index.definitions, root, previous, false).unknown);
    const blamed = scan.unknown.filter((path) => !inherited.has(path));
    if (mode === 'Strict' && blamed.length > 0) {
      const fields = blamed.map((path) => `unknown field "${path}"`).join(', ');
      throw badRequest(`${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: strict decoding error: ${fields}`);
    }
    if (mode === 'Warn') for (const path of blamed) warnings.push(`299 - ${quoteWarning(`unknown field "${path}"`)}`);
    return scan.value as T;
  };
  return { warnings, check };
}

/**
 * The response with the collected warnings in a `Warning` header
 * (comma-separated, as HTTP allows; a retried update collects a warning
 * once per attempt, so duplicates are dropped).
 */
export function withWarnings(response: ApiResponse, warnings: readonly string[]): ApiResponse {
  if (warnings.length === 0 || response.type !== 'object') return response;
  return { ...response, headers: { ...response.headers, Warning: [...new Set(warnings)].join(', ') } };
}

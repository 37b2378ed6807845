// Validates custom objects against their version's schema with ajv, filling
// in schema defaults as it goes, and reports failures as field errors with
// upstream's paths and messages (`spec.replicas in body must be of type
// integer: "string"`). The one user of ajv.
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import {
  fieldDuplicate,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  fieldTooMany,
  fieldTypeInvalid,
  type FieldError,
} from '../../machinery/index.js';
import { toAjvSchema } from './ajv-schema.js';
import type { JSONSchemaProps } from './types.js';

export interface ObjectValidator {
  /** Fills absent fields that have a schema default (mutates `obj`) and returns the schema violations. */
  validate(obj: Record<string, unknown>): FieldError[];
}

/** Go's name for a JSON value's type, as upstream's messages print it. */
function goType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

/** `spec.items[0].name` for ajv's `/spec/items/0/name`, using the value to tell indexes from keys. */
function fieldPath(obj: unknown, pointer: string): { path: string; value: unknown } {
  let path = '';
  let value: unknown = obj;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value)) {
      path += `[${segment}]`;
      value = value[Number(segment)];
    } else {
      path = path === '' ? segment : `${path}.${segment}`;
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[segment] : undefined;
    }
  }
  return { path, value };
}

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function toFieldError(obj: unknown, err: ErrorObject): FieldError | undefined {
  const { path, value } = fieldPath(obj, err.instancePath);
  const p = err.params as Record<string, unknown>;
  const inBody = `${path} in body`;
  switch (err.keyword) {
    case 'required':
      return fieldRequired(child(path, String(p.missingProperty)));
    case 'type': {
      const want = Array.isArray(p.type) ? (p.type as string[]).filter((t) => t !== 'null').join(',') : String(p.type);
      return fieldTypeInvalid(path, goType(value), `${inBody} must be of type ${want}: "${goType(value)}"`);
    }
    case 'enum':
      return fieldNotSupported(path, value, ((p.allowedValues as unknown[]) ?? []).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))));
    case 'minimum':
      return fieldInvalid(path, value, `${inBody} should be greater than or equal to ${String(p.limit)}`);
    case 'maximum':
      return fieldInvalid(path, value, `${inBody} should be less than or equal to ${String(p.limit)}`);
    case 'exclusiveMinimum':
      return fieldInvalid(path, value, `${inBody} should be greater than ${String(p.limit)}`);
    case 'exclusiveMaximum':
      return fieldInvalid(path, value, `${inBody} should be less than ${String(p.limit)}`);
    case 'maxLength':
      return fieldTooLong(path, Number(p.limit));
    case 'minLength':
      return fieldInvalid(path, value, `${inBody} should be at least ${String(p.limit)} chars long`);
    case 'pattern':
      return fieldInvalid(path, value, `${inBody} should match '${String(p.pattern)}'`);
    case 'maxItems':
      return fieldTooMany(path, Array.isArray(value) ? value.length : -1, Number(p.limit));
    case 'minItems':
      return fieldInvalid(path, value, `${inBody} should have at least ${String(p.limit)} items`);
    case 'uniqueItems':
      return fieldDuplicate(`${path}[${String(p.i)}]`, Array.isArray(value) ? value[Number(p.i)] : undefined);
    case 'multipleOf':
      return fieldInvalid(path, value, `${inBody} should be a multiple of ${String(p.multipleOf)}`);
    case 'maxProperties':
      return fieldTooMany(path, typeof value === 'object' && value !== null ? Object.keys(value).length : -1, Number(p.limit));
    case 'minProperties':
      return fieldInvalid(path, value, `${inBody} should have at least ${String(p.limit)} properties`);
    case 'anyOf':
      return fieldInvalid(path, value, `${inBody} must validate at least one schema (anyOf)`);
    case 'oneOf':
      return fieldInvalid(path, value, `${inBody} must validate one and only one schema (oneOf)`);
    case 'not':
      return fieldInvalid(path, value, `${inBody} must not validate the schema (not)`);
    default:
      // allOf failures are reported through the branch that failed.
      return err.keyword === 'allOf' ? undefined : fieldInvalid(path, value, err.message ?? 'is invalid');
  }
}

/**
 * Compiles a version's schema (throws ajv's error for a schema ajv cannot
 * compile). Each schema gets its own ajv instance, so nothing compiled for
 * a CRD outlives the CRD.
 */
export function compileValidator(schema: JSONSchemaProps): ObjectValidator {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, validateFormats: false, unicodeRegExp: false });
  const run: ValidateFunction = ajv.compile(toAjvSchema(schema));
  return {
    validate(obj) {
      if (run(obj)) return [];
      const out: FieldError[] = [];
      const seen = new Set<string>();
      for (const err of run.errors ?? []) {
        // A failed anyOf/oneOf/not is reported once, not through each branch's complaints.
        if (/\/(anyOf|oneOf)\/\d+\/|\/not\//.test(err.schemaPath)) continue;
        const fe = toFieldError(obj, err);
        if (fe === undefined) continue;
        const key = `${fe.type}|${fe.field}|${fe.detail}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(fe);
      }
      return out;
    },
  };
}

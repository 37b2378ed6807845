// Finds the fields of a decoded object that its schema does not declare
// (upstream's strict decoding), and drops them when asked to (what decoding
// into typed structs does to them). Values are walked against the generated
// definitions: object properties by name, list items by index, map values
// under any key. An object schema without properties (RawExtension,
// FieldsV1, JSON) accepts anything, and so does a value whose JSON type
// differs from its schema's: type errors are validation's business.
import { resolveSchema, type Definitions, type Schema } from './schema.js';

export interface UnknownFieldScan {
  /** Paths of the undeclared fields as upstream prints them: `spec.foo`, `spec.containers[0].bar`. */
  unknown: string[];
  /** With pruning, the value without those fields (the input itself when nothing was dropped, never mutated); else the input. */
  value: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

class Scanner {
  readonly unknown: string[] = [];

  constructor(
    private readonly defs: Definitions,
    private readonly prune: boolean,
  ) {}

  scan(schema: Schema | undefined, value: unknown, path: string): unknown {
    const resolved = resolveSchema(this.defs, schema);
    if (resolved === undefined) return value;
    if (Array.isArray(value)) return resolved.items === undefined ? value : this.list(resolved.items, value, path);
    if (!isPlainObject(value)) return value;
    if (resolved.properties !== undefined) return this.object(resolved.properties, resolved.additionalProperties, value, path);
    if (typeof resolved.additionalProperties === 'object') return this.map(resolved.additionalProperties, value, path);
    return value;
  }

  private list(items: Schema, value: unknown[], path: string): unknown[] {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = this.scan(items, item, `${path}[${i}]`);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }

  private map(values: Schema, value: Record<string, unknown>, path: string): Record<string, unknown> {
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const next = this.scan(values, item, child(path, key));
      if (next !== item) (out ??= { ...value })[key] = next;
    }
    return out ?? value;
  }

  private object(
    properties: Record<string, Schema>,
    additional: Schema | boolean | undefined,
    value: Record<string, unknown>,
    path: string,
  ): Record<string, unknown> {
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const declared = Object.hasOwn(properties, key) ? properties[key] : typeof additional === 'object' ? additional : undefined;
      if (declared === undefined && additional !== true) {
        this.unknown.push(child(path, key));
        if (this.prune) delete (out ??= { ...value })[key];
        continue;
      }
      const next = declared === undefined ? item : this.scan(declared, item, child(path, key));
      if (next !== item) (out ??= { ...value })[key] = next;
    }
    return out ?? value;
  }
}

/**
 * The undeclared fields of `value` under `schema` (a definition reference or
 * a schema), in document order; with `prune`, also the value without them.
 */
export function scanUnknownFields(defs: Definitions, schema: Schema, value: unknown, prune: boolean): UnknownFieldScan {
  const scanner = new Scanner(defs, prune);
  const next = scanner.scan(schema, value, '');
  return { unknown: scanner.unknown, value: prune ? next : value };
}

// Reading untrusted JSON during validation. A Check collects field errors;
// its readers return a value of the expected type, or record a type error
// (`must be of type string`) and return undefined, so that validators never
// throw and never compound one wrong type into a cascade of other errors.
import { fieldTypeInvalid, type FieldError } from '../../machinery/index.js';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Absent from the JSON or null: what a Go nil pointer, map or slice decodes from. */
export function isUnset(v: unknown): v is undefined | null {
  return v === undefined || v === null;
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

export class Check {
  readonly errors: FieldError[] = [];

  add(...errs: FieldError[]): void {
    this.errors.push(...errs);
  }

  private wrong(path: string, value: unknown, type: string): undefined {
    this.errors.push(fieldTypeInvalid(path, value, `must be of type ${type}`));
    return undefined;
  }

  /** An object, or undefined when absent (no error) or of another type (error). */
  obj(v: unknown, path: string): Obj | undefined {
    if (isUnset(v)) return undefined;
    return isObj(v) ? v : this.wrong(path, v, 'object');
  }

  /** A list; [] when absent or of another type (error). */
  list(v: unknown, path: string): unknown[] {
    if (isUnset(v)) return [];
    return Array.isArray(v) ? v : (this.wrong(path, v, 'array') ?? []);
  }

  /** A string; '' when absent, undefined when of another type (error). */
  str(v: unknown, path: string): string | undefined {
    if (isUnset(v)) return '';
    return typeof v === 'string' ? v : this.wrong(path, v, 'string');
  }

  /** An integer; undefined when absent or of another type (error). */
  int(v: unknown, path: string): number | undefined {
    if (isUnset(v)) return undefined;
    return typeof v === 'number' && Number.isInteger(v) ? v : this.wrong(path, v, 'integer');
  }

  /** A boolean; undefined when absent or of another type (error). */
  bool(v: unknown, path: string): boolean | undefined {
    if (isUnset(v)) return undefined;
    return typeof v === 'boolean' ? v : this.wrong(path, v, 'boolean');
  }

  /** A map of strings; entries of other types are reported (`path[key]`) and dropped. */
  strMap(v: unknown, path: string): Record<string, string> {
    const o = this.obj(v, path);
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(o ?? {})) {
      if (typeof value === 'string') out[key] = value;
      else this.wrong(`${path}[${key}]`, value, 'string');
    }
    return out;
  }

  /** A list of strings; elements of other types are reported (`path[i]`) and dropped. */
  strList(v: unknown, path: string): string[] {
    const out: string[] = [];
    for (const [i, item] of this.list(v, path).entries()) {
      if (typeof item === 'string') out.push(item);
      else this.wrong(`${path}[${i}]`, item, 'string');
    }
    return out;
  }

  /** The object elements of a list with their index paths; other elements are reported. */
  objList(v: unknown, path: string): [Obj, string][] {
    const out: [Obj, string][] = [];
    for (const [i, item] of this.list(v, path).entries()) {
      const o = this.obj(item, `${path}[${i}]`);
      if (o) out.push([o, `${path}[${i}]`]);
      else if (isUnset(item)) this.wrong(`${path}[${i}]`, item, 'object');
    }
    return out;
  }

  /** An int-or-string (ports, percentages); undefined when absent or of another type (error). */
  intOrString(v: unknown, path: string): number | string | undefined {
    if (isUnset(v)) return undefined;
    if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))) return v;
    return this.wrong(path, v, 'integer or string');
  }
}

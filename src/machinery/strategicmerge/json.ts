// Plain-JSON helpers for the patch algorithms: type tests on untrusted
// values, own-key access that is safe for a `__proto__` key, and Go-style
// renderings of values and types for messages shaped like upstream's.

export type JsonObject = Record<string, unknown>;

/** The JSON kind of a value; two values merge only when their kinds agree. */
export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function hasOwn(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

export function kindOf(value: unknown): JsonKind {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'null';
  }
}

/** Sets an own data property, also for the key `__proto__` (plain assignment would set the prototype). */
export function put(obj: JsonObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** A value as Go's `%v` prints decoded JSON: `map[k:v]` with sorted keys, `[a b]`, `<nil>`. */
export function goValue(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(goValue).join(' ')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `map[${keys.map((k) => `${k}:${goValue(value[k])}`).join(' ')}]`;
  }
  return String(value);
}

/** The Go type decoded JSON has (integers decode as int64 on the server). */
export function goType(value: unknown): string {
  switch (kindOf(value)) {
    case 'object':
      return 'map[string]interface {}';
    case 'array':
      return '[]interface {}';
    case 'number':
      return Number.isInteger(value) ? 'int64' : 'float64';
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    default:
      return '<nil>';
  }
}

/** How Go's JSON decoder names a value's kind in "cannot unmarshal <kind> into ..." errors. */
export function goJsonKind(value: unknown): string {
  const kind = kindOf(value);
  return kind === 'boolean' ? 'bool' : kind;
}

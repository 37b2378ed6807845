// Accessors for defaulting untrusted JSON in place. Defaulters run before
// validation, so any field may hold a value of the wrong type: these
// helpers only ever descend into real objects and arrays and leave
// everything else for validation to report.

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object at `o[key]`, or undefined when absent or not an object. */
export function child(o: Obj | undefined, key: string): Obj | undefined {
  const v = o?.[key];
  return isObj(v) ? v : undefined;
}

/**
 * The object at `o[key]`, created empty when absent or null (a Go struct
 * or a nil pointer being filled); undefined when it holds another type.
 */
export function ensure(o: Obj | undefined, key: string): Obj | undefined {
  if (o === undefined) return undefined;
  const v = o[key];
  if (v === undefined || v === null) {
    const made: Obj = {};
    o[key] = made;
    return made;
  }
  return isObj(v) ? v : undefined;
}

/** The object elements of the array at `o[key]` (other elements skipped). */
export function items(o: Obj | undefined, key: string): Obj[] {
  const v = o?.[key];
  return Array.isArray(v) ? v.filter(isObj) : [];
}

/** A Go pointer left nil: absent or null. */
export function isUnset(v: unknown): boolean {
  return v === undefined || v === null;
}

/** Sets `o[key]` when it is a nil pointer (absent or null). */
export function setIfUnset(o: Obj | undefined, key: string, value: unknown): void {
  if (o !== undefined && isUnset(o[key])) o[key] = value;
}

/** Sets `o[key]` when it holds Go's zero value for a string (absent, null or ''). */
export function setIfEmpty(o: Obj | undefined, key: string, value: string): void {
  if (o !== undefined && (isUnset(o[key]) || o[key] === '')) o[key] = value;
}

/** Sets `o[key]` when it holds Go's zero value for a number (absent, null or 0). */
export function setIfZero(o: Obj | undefined, key: string, value: number): void {
  if (o !== undefined && (isUnset(o[key]) || o[key] === 0)) o[key] = value;
}

/** Whether a map or list field is empty as Go's len() sees it (absent, null, {} or []). */
export function isEmptyCollection(v: unknown): boolean {
  if (isUnset(v)) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObj(v) && Object.keys(v).length === 0;
}

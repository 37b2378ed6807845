// Defensive readers for printers. Stored objects are typed, but a printer
// must not throw on one that is malformed (a field of the wrong type, a
// list that is not a list), so every value a printer iterates or formats
// goes through one of these first.

/** The array itself, or an empty list for anything that is not an array. */
export function list<T>(value: readonly T[] | undefined | null): readonly T[] {
  return Array.isArray(value) ? value : [];
}

/** The string itself, or `''` for anything else. */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A finite number truncated to an integer (int32/int64 fields), or 0. */
export function int(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0;
}

/** An optional integer: undefined unless the value is a finite number. */
export function optionalInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : undefined;
}

/** A plain object's own entries as a record, or an empty one. */
export function record(value: unknown): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return value as Record<string, unknown>;
}

/** The number of keys of a map-valued field (`data`, `binaryData`). */
export function size(value: unknown): number {
  return Object.keys(record(value)).length;
}

/** `true` only for the boolean true. */
export function flag(value: unknown): boolean {
  return value === true;
}

/**
 * A Quantity or IntOrString as upstream's String() prints it. Stored
 * quantities are already in canonical form, so strings pass through;
 * numbers print as integers do.
 */
export function scalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

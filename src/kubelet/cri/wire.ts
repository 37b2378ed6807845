// Reading decoded CRI messages (see proto.ts for their shape) without
// trusting them: every reader returns the field's default when the field is
// missing or of another type, so a runtime that omits a field cannot crash
// the kubelet. int64 strings become bigint (nanoseconds) or numbers clamped
// to the safe-integer range (everything else), as types.ts promises.
import type { Wire } from './proto.js';

const maxSafe = BigInt(Number.MAX_SAFE_INTEGER);

function isWire(v: unknown): v is Wire {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v);
}

function toBigInt(v: unknown): bigint {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return BigInt(v);
  return 0n;
}

export function str(w: Wire | undefined, key: string): string {
  const v = w?.[key];
  return typeof v === 'string' ? v : '';
}

export function bool(w: Wire | undefined, key: string): boolean {
  return w?.[key] === true;
}

/** An int32/int64/uint64 field as a number, clamped to ±(2^53-1). */
export function num(w: Wire | undefined, key: string): number {
  const v = toBigInt(w?.[key]);
  return Number(v > maxSafe ? maxSafe : v < -maxSafe ? -maxSafe : v);
}

/** An int64 nanosecond field, exact. */
export function nanos(w: Wire | undefined, key: string): bigint {
  return toBigInt(w?.[key]);
}

/** An enum field's name, or `fallback` when the runtime sent a value this .proto does not know. */
export function enumName<T extends string>(w: Wire | undefined, key: string, known: readonly T[], fallback: T): T {
  const v = w?.[key];
  return known.find((k) => k === v) ?? fallback;
}

export function obj(w: Wire | undefined, key: string): Wire | undefined {
  const v = w?.[key];
  return isWire(v) ? v : undefined;
}

export function list(w: Wire | undefined, key: string): Wire[] {
  const v = w?.[key];
  return Array.isArray(v) ? v.filter(isWire) : [];
}

export function strings(w: Wire | undefined, key: string): string[] {
  const v = w?.[key];
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

export function bytes(w: Wire | undefined, key: string): Buffer {
  const v = w?.[key];
  return Buffer.isBuffer(v) ? v : Buffer.alloc(0);
}

/** A map<string, string> field as a fresh plain object. */
export function labels(w: Wire | undefined, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  const v = obj(w, key);
  if (v) for (const [k, s] of Object.entries(v)) if (typeof s === 'string') out[k] = s;
  return out;
}

/** An optional UInt64Value/Int64Value wrapper: undefined when absent. */
export function wrapped(w: Wire | undefined, key: string): number | undefined {
  const v = obj(w, key);
  return v ? num(v, 'value') : undefined;
}

/** An optional UInt64Value wrapper, exact (cumulative nanoseconds). */
export function wrappedBig(w: Wire | undefined, key: string): bigint | undefined {
  const v = obj(w, key);
  return v ? nanos(v, 'value') : undefined;
}

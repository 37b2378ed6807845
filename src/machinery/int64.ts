// Go integer parsing rules that selectors and quantities depend on.

export const maxInt64 = 2n ** 63n - 1n;
export const minInt64 = -(2n ** 63n);

/** Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range; undefined when it would fail. */
export function parseInt64(s: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n >= minInt64 && n <= maxInt64 ? n : undefined;
}

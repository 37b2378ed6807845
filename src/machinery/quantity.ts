// Kubernetes resource quantities (`500m`, `1.5`, `2Gi`, `1e3`): exact
// decimal values, never floats. A Quantity is `unscaled × 10^exponent`
// with at most 9 fractional digits (parsing rounds finer values away from
// zero, as upstream) plus the suffix family it was written in, which
// canonical formatting keeps: `0.5Gi` → `512Mi`, `1.5` → `1500m`, `1e3` →
// `1e3`. Parsing is in quantityparse.ts; this file formats, compares and
// converts.

export const QuantityFormat = {
  DecimalExponent: 'DecimalExponent',
  BinarySI: 'BinarySI',
  DecimalSI: 'DecimalSI',
} as const;

export type QuantityFormat = (typeof QuantityFormat)[keyof typeof QuantityFormat];

export interface Quantity {
  /** The value is unscaled × 10^exponent, exactly. */
  readonly unscaled: bigint;
  /** Base-10 exponent, an int32 as upstream's scale. */
  readonly exponent: number;
  readonly format: QuantityFormat;
  /**
   * The text it was parsed from, when upstream keeps that text as its string
   * form (an already-canonical input, give or take a sign or leading zeros:
   * `+1`, `01`, `1E3`, `1.500`). formatQuantity returns it unchanged.
   */
  readonly text?: string;
}

const decimalSuffixes: ReadonlyMap<number, string> = new Map([
  [-9, 'n'],
  [-6, 'u'],
  [-3, 'm'],
  [0, ''],
  [3, 'k'],
  [6, 'M'],
  [9, 'G'],
  [12, 'T'],
  [15, 'P'],
  [18, 'E'],
]);

const binarySuffixes: readonly string[] = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const abs = (n: bigint): bigint => (n < 0n ? -n : n);
const digitCount = (n: bigint): number => abs(n).toString().length;

/** Finest precision a quantity keeps: 10^-9 (nano). */
export const nanoExponent = -9;

/**
 * Rounds `unscaled × 10^exponent` away from zero to at most 9 fractional
 * digits, as upstream does so that a request for some resource never
 * becomes none (`0.1n` → `1n`).
 */
export function roundToNano(unscaled: bigint, exponent: number): [bigint, number] {
  if (exponent >= nanoExponent || unscaled === 0n) return [unscaled, exponent];
  const shift = nanoExponent - exponent;
  const s = unscaled < 0n ? -1n : 1n;
  if (shift > digitCount(unscaled)) return [s, nanoExponent];
  const d = 10n ** BigInt(shift);
  const q = unscaled / d;
  return [unscaled % d === 0n ? q : q + s, nanoExponent];
}

/** A quantity of `unscaled × 10^exponent` in the given format, rounded to nano precision. */
export function newQuantity(unscaled: bigint, exponent = 0, format: QuantityFormat = QuantityFormat.DecimalSI): Quantity {
  const [u, e] = roundToNano(unscaled, exponent);
  return { unscaled: u, exponent: e, format };
}

/** A quantity of `milli / 1000` (upstream NewMilliQuantity). */
export function newMilliQuantity(milli: bigint, format: QuantityFormat = QuantityFormat.DecimalSI): Quantity {
  return { unscaled: milli, exponent: -3, format };
}

/** The same value in another format, to be formatted canonically in it (`1e3` as DecimalSI is `1k`). */
export function withFormat(q: Quantity, format: QuantityFormat): Quantity {
  return { unscaled: q.unscaled, exponent: q.exponent, format };
}

export function isZeroQuantity(q: Quantity): boolean {
  return q.unscaled === 0n;
}

/** -1, 0 or 1. */
export function quantitySign(q: Quantity): number {
  return q.unscaled > 0n ? 1 : q.unscaled < 0n ? -1 : 0;
}


/** Removes up to `max` factors of `base` from `n`, returning what is left and how many were removed. */
function removeFactors(n: bigint, base: bigint, max = Infinity): [bigint, number] {
  let times = 0;
  while (times < max && n !== 0n && n % base === 0n) {
    n /= base;
    times++;
  }
  return [n, times];
}

/** The canonical decimal form: mantissa with the exponent lowered to a multiple of 3. */
function canonicalDecimal(q: Quantity): [bigint, number] {
  let [m, times] = removeFactors(q.unscaled, 10n);
  let e = q.exponent + times;
  while (e % 3 !== 0) {
    m *= 10n;
    e--;
  }
  return [m, e];
}

/**
 * The canonical text of a quantity, as upstream's Quantity.String(): the
 * largest suffix that leaves an integer mantissa, in the quantity's format.
 * BinarySI values below 1024 in magnitude, or not whole, are written in
 * DecimalSI. One deliberate difference: DecimalSI values of 10^21 and more
 * stay at the `E` suffix (`1000E`) where upstream drops the suffix and so
 * changes the value.
 */
export function formatQuantity(q: Quantity): string {
  if (q.text !== undefined) return q.text;
  if (q.unscaled === 0n) return '0';
  let format = q.format;
  if (format === QuantityFormat.BinarySI) {
    const whole = integerValue(q);
    if (whole === undefined || abs(whole) < 1024n) format = QuantityFormat.DecimalSI;
    else {
      const [m, times] = removeFactors(whole, 1024n, binarySuffixes.length - 1);
      return `${m}${binarySuffixes[times] ?? ''}`;
    }
  }
  let [m, e] = canonicalDecimal(q);
  if (format === QuantityFormat.DecimalExponent) return e === 0 ? `${m}` : `${m}e${e}`;
  if (e > 18) {
    m *= 10n ** BigInt(e - 18);
    e = 18;
  }
  return `${m}${decimalSuffixes.get(e) ?? ''}`;
}

/** The value as an integer when it is whole (exponent ≥ 0, or no fractional digits), else undefined. */
function integerValue(q: Quantity): bigint | undefined {
  if (q.exponent >= 0) return q.exponent > 4096 ? undefined : q.unscaled * 10n ** BigInt(q.exponent);
  const shift = -q.exponent;
  if (shift > digitCount(q.unscaled)) return undefined;
  const d = 10n ** BigInt(shift);
  return q.unscaled % d === 0n ? q.unscaled / d : undefined;
}

/** Compares two quantities by value: -1, 0 or 1. Exact, and cheap even for extreme exponents. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const sa = quantitySign(a);
  const sb = quantitySign(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  // Orders of magnitude first, so that aligning exponents never needs a large power of ten.
  const oa = digitCount(a.unscaled) + a.exponent;
  const ob = digitCount(b.unscaled) + b.exponent;
  if (oa !== ob) return (oa < ob ? -1 : 1) * sa;
  let x = a.unscaled;
  let y = b.unscaled;
  if (a.exponent > b.exponent) x *= 10n ** BigInt(a.exponent - b.exponent);
  else y *= 10n ** BigInt(b.exponent - a.exponent);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Largest power of ten a conversion will build; beyond it the result could not be used anyway. */
const maxConversionDigits = 4096;

/**
 * The value in units of 10^scale, rounded away from zero when inexact (as
 * upstream's ScaledValue rounds int64 amounts up): scale 0 gives the value
 * (bytes, cores rounded up), -3 milli-units. Throws a RangeError when the
 * result would have more than 4096 digits.
 */
export function quantityScaledValue(q: Quantity, scale: number): bigint {
  const shift = q.exponent - scale;
  if (shift >= 0) {
    if (q.unscaled === 0n) return 0n;
    if (shift + digitCount(q.unscaled) > maxConversionDigits) throw new RangeError(`quantity ${formatQuantity(q)} is too large to convert`);
    return q.unscaled * 10n ** BigInt(shift);
  }
  if (-shift > digitCount(q.unscaled)) return BigInt(quantitySign(q));
  const d = 10n ** BigInt(-shift);
  const quotient = q.unscaled / d;
  if (q.unscaled % d === 0n) return quotient;
  return quotient + BigInt(quantitySign(q));
}

/** The value in milli-units (`1500m` → 1500n, `2` → 2000n), rounded away from zero. */
export function quantityMilliValue(q: Quantity): bigint {
  return quantityScaledValue(q, -3);
}

/** The value in whole units (bytes for memory, `2Gi` → 2147483648n), rounded away from zero. */
export function quantityValue(q: Quantity): bigint {
  return quantityScaledValue(q, 0);
}

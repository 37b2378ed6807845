// Parsing of quantity strings, following upstream's ParseQuantity step by
// step: the same accepted forms (including oddities such as `1.`, `.5`,
// `1.G`), the same three error messages, the same rounding and capping, and
// the same rule for when the input text is kept as the string form.

import { maxInt64, parseInt64 } from './int64.js';
import { QuantityFormat, compareQuantities, roundToNano, type Quantity } from './quantity.js';

const splitRegex = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';

export const quantityErrors = {
  format: `quantities must match the regular expression '${splitRegex}'`,
  numeric: 'unable to parse numeric part of quantity',
  suffix: "unable to parse quantity's suffix",
} as const;

export type QuantityErrorCode = keyof typeof quantityErrors;

/** A quantity string that does not parse; the message is upstream's. */
export class QuantityError extends Error {
  readonly code: QuantityErrorCode;
  constructor(code: QuantityErrorCode) {
    super(quantityErrors[code]);
    this.name = 'QuantityError';
    this.code = code;
  }
}

interface Scanned {
  positive: boolean;
  /** Whether the number part has any digit (`.`, `-` and `+.` have none). */
  hasDigit: boolean;
  num: string;
  denom: string;
  suffix: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const suffixChars = 'eEinumkKMGTP';

/** Splits `[sign] digits [. digits] suffix`; undefined when the suffix has stray characters. */
function scan(str: string): Scanned | undefined {
  const end = str.length;
  let pos = 0;
  let positive = true;
  if (str[0] === '-' || str[0] === '+') {
    positive = str[0] === '+';
    pos++;
  }
  // Leading zeros; a string of only zeros (or only a sign) is zero.
  const numberStart = pos;
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, hasDigit: pos > numberStart, num: '0', denom: '', suffix: '' };
  let i = pos;
  while (isDigit(str[i])) i++;
  const num = str.slice(pos, i) || '0';
  pos = i;
  let denom = '';
  if (str[pos] === '.') {
    let j = ++pos;
    while (isDigit(str[j])) j++;
    denom = str.slice(pos, j);
    pos = j;
  }
  const suffixStart = pos;
  const hasDigit = /[0-9]/.test(str.slice(numberStart, suffixStart));
  while (pos < end && suffixChars.includes(str[pos] ?? '')) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (isDigit(str[pos])) pos++;
  if (pos < end) return undefined;
  return { positive, hasDigit, num, denom, suffix: str.slice(suffixStart) };
}

interface Suffix {
  base: 10 | 2;
  exponent: number;
  format: QuantityFormat;
}

const fixedSuffixes: ReadonlyMap<string, Suffix> = new Map<string, Suffix>([
  ...(['', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E'] as const).map(
    (s): [string, Suffix] => [s, { base: 10, exponent: { '': 0, n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }[s], format: 'DecimalSI' }],
  ),
  ...(['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const).map((s, i): [string, Suffix] => [s, { base: 2, exponent: 10 * (i + 1), format: 'BinarySI' }]),
]);

function interpretSuffix(suffix: string): Suffix | undefined {
  const fixed = fixedSuffixes.get(suffix);
  if (fixed !== undefined) return fixed;
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const parsed = parseInt64(suffix.slice(1));
    // Upstream narrows the exponent to int32 without a range check.
    if (parsed !== undefined) return { base: 10, exponent: Number(BigInt.asIntN(32, parsed)), format: 'DecimalExponent' };
  }
  return undefined;
}

/**
 * Whether upstream takes its int64 fast path for this input (few enough
 * digits, at most 9 fractional digits, no overflow) and, if so, whether it
 * keeps the input text as the string form because the input already looked
 * canonical: decimal forms with an exponent that is a multiple of 3, no
 * trailing `000` and no leading zero digit; binary forms whose number is not
 * a multiple of 8.
 */
function fastPath(s: Scanned, suffix: Suffix): { keepsText: boolean } | undefined {
  const { num, denom } = s;
  let precision: number;
  let scale: number;
  let mantissa = 1n;
  if (suffix.format !== QuantityFormat.BinarySI) {
    scale = suffix.exponent;
    precision = 18 - (num.length + denom.length);
  } else if (suffix.exponent >= 0 && denom === '') {
    scale = 0;
    mantissa = 1n << BigInt(suffix.exponent);
    precision = 15 - num.length - Math.trunc((suffix.exponent * 3) / 10) - 1;
  } else {
    return undefined;
  }
  scale -= denom.length;
  if (precision < 0 || scale < -9) return undefined;
  const shifted = num + denom;
  const digits = BigInt(shifted);
  if (digits * mantissa > maxInt64) return undefined;
  if (suffix.format === QuantityFormat.BinarySI) return { keepsText: suffix.exponent % 10 === 0 && (digits & 7n) !== 0n };
  return { keepsText: scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0' };
}

const maxBinary: Quantity = { unscaled: maxInt64, exponent: 0, format: QuantityFormat.BinarySI };
const one: Quantity = { unscaled: 1n, exponent: 0, format: QuantityFormat.DecimalSI };

/**
 * Parses a quantity string. No whitespace is allowed. Values are rounded
 * away from zero to nano precision; BinarySI values are capped at 2^63-1
 * in magnitude, and a BinarySI value between 0 and 1 becomes DecimalSI.
 * Throws a QuantityError with upstream's message.
 */
export function parseQuantity(str: string): Quantity {
  if (str === '') throw new QuantityError('format');
  if (str === '0') return { unscaled: 0n, exponent: 0, format: QuantityFormat.DecimalSI, text: str };
  const scanned = scan(str);
  if (scanned === undefined) throw new QuantityError('format');
  const suffix = interpretSuffix(scanned.suffix);
  if (suffix === undefined) throw new QuantityError('suffix');
  const fast = fastPath(scanned, suffix);
  // Off the fast path upstream re-reads the number as a decimal, which needs a digit (`.Pi` fails, `.Ki` is 0).
  if (fast === undefined && !scanned.hasDigit) throw new QuantityError('numeric');

  const digits = BigInt(scanned.num + scanned.denom);
  let unscaled = scanned.positive ? digits : -digits;
  let exponent = scanned.denom === '' ? 0 : -scanned.denom.length;
  if (suffix.base === 10) exponent += suffix.exponent;
  else unscaled <<= BigInt(suffix.exponent);
  [unscaled, exponent] = roundToNano(unscaled, exponent);

  let format = suffix.format;
  if (format === QuantityFormat.BinarySI) {
    const magnitude: Quantity = { unscaled: unscaled < 0n ? -unscaled : unscaled, exponent, format };
    if (compareQuantities(magnitude, maxBinary) > 0) [unscaled, exponent] = [unscaled < 0n ? -maxInt64 : maxInt64, 0];
    else if (unscaled !== 0n && compareQuantities(magnitude, one) < 0) format = QuantityFormat.DecimalSI;
  }
  const q: Quantity = { unscaled, exponent, format };
  return fast?.keepsText === true ? { ...q, text: str } : q;
}

/**
 * Reads a quantity from a decoded JSON value, as upstream's UnmarshalJSON:
 * a string is trimmed and parsed, a number parsed from its JS text, null is
 * zero. (A JSON number's original spelling is lost in decoding, so `1e3`
 * sent as a number reads back as `1k`, where upstream would keep `1e3`.)
 */
export function quantityFromJSON(value: unknown): Quantity {
  if (value === null) return { unscaled: 0n, exponent: 0, format: QuantityFormat.DecimalSI };
  if (typeof value === 'string') return parseQuantity(value.trim());
  if (typeof value === 'number' && Number.isFinite(value)) return parseQuantity(String(value));
  throw new QuantityError('format');
}

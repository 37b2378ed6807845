// Renders values the way upstream's error messages do, so that our messages
// match theirs byte for byte: strings are quoted as Go's `%q` (strconv.Quote)
// quotes them, and bad values in field errors are printed as Go prints the
// typed value behind the JSON.

const printable = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

const namedEscapes: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/**
 * Quotes `s` as Go's strconv.Quote does: printable characters stay as they
 * are, the usual C escapes are used, other control characters become `\xNN`,
 * other non-printable code points `\uNNNN` or `\UNNNNNNNN`. A lone surrogate
 * (which has no UTF-8 encoding) is shown as U+FFFD, as Go shows the
 * replacement character a lossy UTF-8 conversion would produce.
 */
export function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const named = namedEscapes[ch];
    if (named !== undefined) {
      out += named;
      continue;
    }
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
    else if (printable.test(ch)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/**
 * Formats a non-integral number as Go's `%v` formats a float64: the shortest
 * digits that round-trip, in exponent form (`1.5e+06`, `1e-05`) when the
 * decimal exponent is below -4 or at least 6 (Go's `%g` rule for shortest
 * precision).
 */
export function formatFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const [mantissa = '0', expText = '0'] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

/** A value to print verbatim in a message, for Go renderings no JS value maps to (`[]string(nil)`). */
export class GoLiteral {
  constructor(readonly text: string) {}
}

/**
 * Formats a field error's bad value as upstream's field.Error does: strings
 * quoted, integers and booleans bare, null as the quoted string "null",
 * string lists as a Go `[]string{...}` literal. Other objects, which Go would
 * print as a Go struct literal, are shown as JSON instead.
 */
export function formatValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'number':
      return Number.isInteger(value) && Number.isSafeInteger(value) ? String(value) : formatFloat(value);
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'undefined':
      return quote('null');
    default:
      break;
  }
  if (value === null) return quote('null');
  if (value instanceof GoLiteral) return value.text;
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) {
    return `[]string{${value.map(quote).join(', ')}}`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

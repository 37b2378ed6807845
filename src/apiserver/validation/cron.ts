// A check of standard five-field cron schedules and `@` descriptors, with
// the error texts of the cron parser upstream uses. It validates; it does
// not compute run times (the CronJob controller owns that).

interface Bounds {
  min: number;
  max: number;
  names?: readonly string[];
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const fields: readonly Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: months },
  { min: 0, max: 6, names: days },
];

const descriptors = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

function parseNumber(text: string, bounds: Bounds): number | string {
  const named = bounds.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + bounds.min;
  if (!/^[0-9]+$/.test(text)) return `failed to parse int from ${text}: strconv.Atoi: parsing "${text}": invalid syntax`;
  return Number(text);
}

/** One comma-separated item of a field: `*`, `?`, `a`, `a-b`, each optionally `/step`. */
function checkRange(expr: string, bounds: Bounds): string | undefined {
  const [rangePart = '', stepPart, extra] = expr.split('/');
  if (extra !== undefined) return `too many slashes: ${expr}`;
  let start: number;
  let end: number;
  if (rangePart === '*' || rangePart === '?') {
    start = bounds.min;
    end = bounds.max;
  } else {
    const [lo = '', hi, more] = rangePart.split('-');
    if (more !== undefined) return `too many hyphens: ${expr}`;
    const a = parseNumber(lo, bounds);
    if (typeof a === 'string') return a;
    start = a;
    const b = hi === undefined ? a : parseNumber(hi, bounds);
    if (typeof b === 'string') return b;
    end = b;
  }
  if (stepPart !== undefined) {
    const step = parseNumber(stepPart, { min: 0, max: 0 });
    if (typeof step === 'string') return step;
    if (step <= 0) return `step of range should be a positive number: ${expr}`;
  }
  if (start < bounds.min) return `beginning of range (${start}) below minimum (${bounds.min}): ${expr}`;
  if (end > bounds.max) return `end of range (${end}) above maximum (${bounds.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  return undefined;
}

/** The parse error of a schedule, or undefined when it is valid. */
export function cronScheduleError(schedule: string): string | undefined {
  let spec = schedule;
  if (/^(CRON_)?TZ=/.test(spec)) {
    const i = spec.indexOf(' ');
    if (i < 0) return 'missing spec';
    spec = spec.slice(i).trim();
  }
  if (spec.startsWith('@')) {
    if (descriptors.has(spec)) return undefined;
    if (spec.startsWith('@every ')) return /^\d+(\.\d+)?(ns|us|µs|ms|s|m|h)(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))*$/.test(spec.slice(7).trim()) ? undefined : `failed to parse duration ${spec}`;
    return `unrecognized descriptor: ${spec}`;
  }
  const parts = spec.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== fields.length) return `expected exactly 5 fields, found ${parts.length}: [${parts.join(' ')}]`;
  for (const [i, part] of parts.entries()) {
    for (const item of part.split(',')) {
      const err = checkRange(item, fields[i] ?? { min: 0, max: 0 });
      if (err) return err;
    }
  }
  return undefined;
}

// The query of `GET /containerLogs/...` (upstream's PodLogOptions) and the
// selection it makes: lines since a time, the last N lines, timestamps in
// front, and at most so many bytes.
import { formatTimeNanos, parseTimeNanos, type LogLine } from './logformat.js';

export interface LogOptions {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Only the last N lines of what is there when the request comes. */
  tailLines?: number;
  /** Only lines stamped at or after this time (nanoseconds since the epoch). */
  sinceNanos?: bigint;
  /** Stop after this many bytes of output. */
  limitBytes?: number;
}

export function queryFlag(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  return v === 'true' || v === '1' || v === '';
}

function nonNegativeInt(query: URLSearchParams, name: string, min: number): number | string | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) return `${name}: Invalid value: "${raw}": must be ${min === 0 ? 'greater than or equal to 0' : 'greater than 0'}`;
  return n;
}

/** The options of a log request, or the message of a 400 for a bad one. */
export function parseLogOptions(query: URLSearchParams, now: Date): LogOptions | string {
  const opts: LogOptions = { follow: queryFlag(query, 'follow'), previous: queryFlag(query, 'previous'), timestamps: queryFlag(query, 'timestamps') };
  const tail = nonNegativeInt(query, 'tailLines', 0);
  const limit = nonNegativeInt(query, 'limitBytes', 1);
  const sinceSeconds = nonNegativeInt(query, 'sinceSeconds', 1);
  for (const v of [tail, limit, sinceSeconds]) if (typeof v === 'string') return v;
  const sinceTime = query.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) return 'at most one of `sinceTime` or `sinceSeconds` may be specified';
  if (typeof tail === 'number') opts.tailLines = tail;
  if (typeof limit === 'number') opts.limitBytes = limit;
  if (typeof sinceSeconds === 'number') opts.sinceNanos = BigInt(now.getTime() - sinceSeconds * 1000) * 1_000_000n;
  if (sinceTime) {
    const nanos = parseTimeNanos(sinceTime);
    if (nanos === undefined) return `sinceTime: Invalid value: "${sinceTime}": must be an RFC3339 time`;
    opts.sinceNanos = nanos;
  }
  return opts;
}

/** The lines of a file's content the options select (since, then the last N). */
export function selectLines(lines: LogLine[], opts: LogOptions): LogLine[] {
  const since = opts.sinceNanos;
  const recent = since === undefined ? lines : lines.filter((l) => l.nanos >= since);
  if (opts.tailLines === undefined) return recent;
  return opts.tailLines === 0 ? [] : recent.slice(-opts.tailLines);
}

/** Renders lines as the response body, counting bytes against `limitBytes`. */
export class LogOutput {
  private left: number;

  constructor(private readonly opts: LogOptions) {
    this.left = opts.limitBytes ?? Number.POSITIVE_INFINITY;
  }

  /** True once `limitBytes` have been produced. */
  get full(): boolean {
    return this.left <= 0;
  }

  render(lines: readonly LogLine[]): Buffer {
    const parts: Buffer[] = [];
    for (const line of lines) {
      if (this.left <= 0) break;
      if (this.opts.sinceNanos !== undefined && line.nanos < this.opts.sinceNanos) continue;
      let bytes = this.opts.timestamps ? Buffer.concat([Buffer.from(`${formatTimeNanos(line.nanos)} `), line.text]) : line.text;
      if (bytes.length > this.left) bytes = bytes.subarray(0, this.left);
      this.left -= bytes.length;
      parts.push(bytes);
    }
    return Buffer.concat(parts);
  }
}

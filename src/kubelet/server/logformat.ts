// The CRI container log format, as containerd writes it: one record per
// line, `<RFC3339Nano time> <stdout|stderr> <P|F> <text>`. A `P` (partial)
// record is continued by the next records of the same stream up to the `F`
// (full) one; the decoder joins them into one line with the first record's
// time. Lines that do not parse are skipped, as upstream does.

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
  /** Nanoseconds since the epoch. */
  nanos: bigint;
  stream: LogStream;
  /** The line's text including its trailing newline. */
  text: Buffer;
}

interface Record {
  nanos: bigint;
  stream: LogStream;
  partial: boolean;
  content: Buffer;
}

const timePattern = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;

/** Nanoseconds since the epoch of an RFC 3339 time with up to nine fraction digits; undefined when it is not one. */
export function parseTimeNanos(text: string): bigint | undefined {
  const m = timePattern.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** `2006-01-02T15:04:05.000000000Z` in UTC, nine fraction digits always (upstream's output format). */
export function formatTimeNanos(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n;
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

function parseRecord(line: Buffer): Record | undefined {
  const s1 = line.indexOf(0x20);
  if (s1 < 0) return undefined;
  const s2 = line.indexOf(0x20, s1 + 1);
  if (s2 < 0) return undefined;
  const nanos = parseTimeNanos(line.subarray(0, s1).toString('latin1'));
  const stream = line.subarray(s1 + 1, s2).toString('latin1');
  if (nanos === undefined || (stream !== 'stdout' && stream !== 'stderr')) return undefined;
  // The tag field may carry more tags after `:`; only P/F matters.
  const s3 = line.indexOf(0x20, s2 + 1);
  const tagEnd = s3 < 0 ? line.length : s3;
  const tag = line.subarray(s2 + 1, tagEnd).toString('latin1').split(':')[0];
  const content = s3 < 0 ? Buffer.alloc(0) : line.subarray(s3 + 1);
  return { nanos, stream, partial: tag === 'P', content };
}

/** Turns chunks of a log file into complete lines; holds back an unfinished record and unfinished partials. */
export class LogDecoder {
  private rest: Buffer = Buffer.alloc(0);
  private readonly partials = new Map<LogStream, { nanos: bigint; parts: Buffer[] }>();

  push(chunk: Buffer): LogLine[] {
    const data = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    const out: LogLine[] = [];
    let start = 0;
    for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
      const record = parseRecord(data.subarray(start, nl));
      start = nl + 1;
      if (record) this.add(record, out);
    }
    this.rest = Buffer.from(data.subarray(start));
    return out;
  }

  private add(r: Record, out: LogLine[]): void {
    const pending = this.partials.get(r.stream);
    if (r.partial) {
      if (pending) pending.parts.push(r.content);
      else this.partials.set(r.stream, { nanos: r.nanos, parts: [r.content] });
      return;
    }
    this.partials.delete(r.stream);
    const parts = pending ? [...pending.parts, r.content, newline] : [r.content, newline];
    out.push({ nanos: pending?.nanos ?? r.nanos, stream: r.stream, text: Buffer.concat(parts) });
  }
}

const newline = Buffer.from('\n');

/** Every complete line of a whole log file. */
export function decodeLog(data: Buffer): LogLine[] {
  return new LogDecoder().push(data);
}

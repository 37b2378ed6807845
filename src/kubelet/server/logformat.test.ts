import t from 'tap';
import { decodeLog, formatTimeNanos, LogDecoder, parseTimeNanos } from './logformat.js';

const text = (lines: { text: Buffer }[]) => lines.map((l) => l.text.toString()).join('');

t.test('times keep nanoseconds and come out in UTC with nine digits', async (t) => {
  const n = parseTimeNanos('2026-01-02T03:04:05.123456789Z');
  t.equal(n, 1767323045123456789n);
  t.equal(formatTimeNanos(n as bigint), '2026-01-02T03:04:05.123456789Z');
  t.equal(parseTimeNanos('2026-01-02T05:04:05.5+02:00'), 1767323045500000000n, 'offsets are honoured, short fractions padded');
  t.equal(formatTimeNanos(1767323045000000000n), '2026-01-02T03:04:05.000000000Z');
  t.equal(parseTimeNanos('yesterday'), undefined);
});

t.test('full lines of both streams, in file order', async (t) => {
  const lines = decodeLog(Buffer.from('2026-01-02T03:04:05.1Z stdout F a\n2026-01-02T03:04:05.2Z stderr F b\n'));
  t.same(lines.map((l) => [l.stream, l.text.toString()]), [['stdout', 'a\n'], ['stderr', 'b\n']]);
});

t.test('partial records are joined into one line stamped with the first', async (t) => {
  const lines = decodeLog(Buffer.from('2026-01-02T03:04:05.1Z stdout P abc\n2026-01-02T03:04:05.2Z stderr F x\n2026-01-02T03:04:05.3Z stdout P def\n2026-01-02T03:04:05.4Z stdout F ghi\n'));
  t.same(lines.map((l) => l.text.toString()), ['x\n', 'abcdefghi\n']);
  t.equal(lines[1]?.nanos, parseTimeNanos('2026-01-02T03:04:05.1Z'));
});

t.test('chunks split anywhere; an unfinished record waits; junk is skipped', async (t) => {
  const d = new LogDecoder();
  const all = Buffer.from('2026-01-02T03:04:05.1Z stdout F one\nnot a record\n2026-01-02T03:04:05.2Z stdout F two\n2026-01-02T03:04:05.3Z stdout F thr');
  const got = [];
  for (let i = 0; i < all.length; i += 7) got.push(...d.push(all.subarray(i, i + 7)));
  t.equal(text(got), 'one\ntwo\n');
  t.equal(text(d.push(Buffer.from('ee\n'))), 'three\n');
  t.equal(text(decodeLog(Buffer.from('2026-01-02T03:04:05.1Z stdout F \n'))), '\n', 'an empty line stays a line');
  t.equal(text(decodeLog(Buffer.from('2026-01-02T03:04:05.1Z stdout F:x a b\n'))), 'a b\n', 'extra tags after the P/F tag are ignored');
});

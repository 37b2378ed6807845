import t from 'tap';
import { decodeLog } from './logformat.js';
import { LogOutput, parseLogOptions, selectLines, type LogOptions } from './logoptions.js';

const now = new Date('2026-01-02T03:05:00Z');
const file = decodeLog(
  Buffer.from(['2026-01-02T03:04:00.000000001Z stdout F one', '2026-01-02T03:04:30Z stdout F two', '2026-01-02T03:04:50Z stderr F three', ''].join('\n')),
);
const opts = (q: string): LogOptions => {
  const o = parseLogOptions(new URLSearchParams(q), now);
  if (typeof o === 'string') throw new Error(o);
  return o;
};
const render = (q: string): string => {
  const o = opts(q);
  return new LogOutput(o).render(selectLines(file, o)).toString();
};

t.test('the query', async (t) => {
  t.same(opts('follow=true&timestamps=1&previous=false'), { follow: true, previous: false, timestamps: true });
  t.same(opts('tailLines=3&limitBytes=10'), { follow: false, previous: false, timestamps: false, tailLines: 3, limitBytes: 10 });
  t.equal(opts('sinceSeconds=20').sinceNanos, BigInt(now.getTime() - 20_000) * 1_000_000n);
  t.match(parseLogOptions(new URLSearchParams('tailLines=-1'), now), /tailLines: Invalid value: "-1": must be greater than or equal to 0/);
  t.match(parseLogOptions(new URLSearchParams('limitBytes=0'), now), /limitBytes: .*must be greater than 0/);
  t.match(parseLogOptions(new URLSearchParams('sinceSeconds=1&sinceTime=2026-01-02T03:04:00Z'), now), /at most one of/);
  t.match(parseLogOptions(new URLSearchParams('sinceTime=soon'), now), /sinceTime/);
});

t.test('selection: all, tail, since, timestamps, limit', async (t) => {
  t.equal(render(''), 'one\ntwo\nthree\n');
  t.equal(render('tailLines=2'), 'two\nthree\n');
  t.equal(render('tailLines=0'), '');
  t.equal(render('tailLines=9'), 'one\ntwo\nthree\n');
  t.equal(render('sinceSeconds=30'), 'two\nthree\n', 'a line exactly at the boundary is included');
  t.equal(render('sinceTime=2026-01-02T03:04:00Z'), 'one\ntwo\nthree\n');
  t.equal(render('sinceTime=2026-01-02T03:04:00.000000002Z'), 'two\nthree\n', 'compared to the nanosecond');
  t.equal(render('sinceSeconds=30&tailLines=1'), 'three\n', 'since first, then the last N');
  t.equal(render('tailLines=1&timestamps=true'), '2026-01-02T03:04:50.000000000Z three\n');
  t.equal(render('limitBytes=6'), 'one\ntw');
});

t.test('the byte limit holds across renders (follow)', async (t) => {
  const out = new LogOutput(opts('limitBytes=5'));
  t.equal(out.render(file.slice(0, 1)).toString(), 'one\n');
  t.notOk(out.full);
  t.equal(out.render(file.slice(1)).toString(), 't');
  t.ok(out.full);
  t.equal(out.render(file).length, 0);
});

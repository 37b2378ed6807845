import t from 'tap';
import { age, humanDuration, parseTimestamp, shortHumanDuration } from './age.js';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

t.test('humanDuration keeps two or three significant figures', async (t) => {
  const cases: [number, string][] = [
    [-3 * s, '<invalid>'],
    [-2 * s, '<invalid>'],
    [-1999, '0s'],
    [-1 * s, '0s'],
    [-1, '0s'],
    [0, '0s'],
    [999, '0s'],
    [1 * s, '1s'],
    [59 * s, '59s'],
    [60 * s, '60s'],
    [119 * s + 999, '119s'],
    [2 * m, '2m'],
    [2 * m + 1 * s, '2m1s'],
    [5 * m + 30 * s, '5m30s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [10 * m + 30 * s, '10m'],
    [59 * m, '59m'],
    [179 * m + 59 * s, '179m'],
    [3 * h, '3h'],
    [3 * h + 1 * m, '3h1m'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h, '8h'],
    [8 * h + 59 * m, '8h'],
    [47 * h + 59 * m, '47h'],
    [48 * h, '2d'],
    [2 * d + 1 * h, '2d1h'],
    [7 * d + 23 * h, '7d23h'],
    [8 * d, '8d'],
    [8 * d + 5 * h, '8d'],
    [364 * d, '364d'],
    [2 * y - 1 * h, '729d'],
    [2 * y, '2y'],
    [2 * y + 45 * d, '2y45d'],
    [7 * y + 364 * d, '7y364d'],
    [8 * y, '8y'],
    [8 * y + 100 * d, '8y'],
    [120 * y, '120y'],
  ];
  for (const [ms, want] of cases) t.equal(humanDuration(ms), want, `${ms}ms`);
});

t.test('humanDuration of a non-number is invalid', async (t) => {
  t.equal(humanDuration(Number.NaN), '<invalid>');
  t.equal(humanDuration(Number.POSITIVE_INFINITY), '<invalid>');
});

t.test('shortHumanDuration keeps one unit', async (t) => {
  const cases: [number, string][] = [
    [-2 * s, '<invalid>'],
    [-1 * s, '0s'],
    [0, '0s'],
    [59 * s, '59s'],
    [60 * s, '1m'],
    [119 * s, '1m'],
    [59 * m + 59 * s, '59m'],
    [60 * m, '1h'],
    [23 * h + 59 * m, '23h'],
    [24 * h, '1d'],
    [364 * d, '364d'],
    [365 * d, '1y'],
    [3 * y + 200 * d, '3y'],
    [Number.NaN, '<invalid>'],
  ];
  for (const [ms, want] of cases) t.equal(shortHumanDuration(ms), want, `${ms}ms`);
});

t.test('parseTimestamp reads RFC 3339 times and treats unset as undefined', async (t) => {
  t.equal(parseTimestamp('2025-01-01T00:00:00Z'), Date.UTC(2025, 0, 1));
  t.equal(parseTimestamp('2025-01-01T02:00:00+02:00'), Date.UTC(2025, 0, 1));
  t.equal(parseTimestamp('2025-01-01T00:00:00.123456Z'), Date.UTC(2025, 0, 1) + 123, 'MicroTime keeps milliseconds');
  t.equal(parseTimestamp('0001-01-01T00:00:00Z'), undefined, "Go's zero time is unset");
  t.equal(parseTimestamp(''), undefined);
  t.equal(parseTimestamp(undefined), undefined);
  t.equal(parseTimestamp(null), undefined);
  t.equal(parseTimestamp(42), undefined);
  t.equal(parseTimestamp('yesterday'), undefined);
});

t.test('age is the time since a timestamp, <unknown> without one', async (t) => {
  const now = new Date('2025-01-01T12:00:00Z');
  const cases: [unknown, string][] = [
    ['2025-01-01T12:00:00Z', '0s'],
    ['2025-01-01T12:00:01Z', '0s'],
    ['2025-01-01T12:00:05Z', '<invalid>'],
    ['2025-01-01T11:59:15Z', '45s'],
    ['2025-01-01T11:55:00Z', '5m'],
    ['2025-01-01T11:54:30Z', '5m30s'],
    ['2025-01-01T09:00:00Z', '3h'],
    ['2024-12-30T08:00:00Z', '2d4h'],
    ['2024-11-01T12:00:00Z', '61d'],
    [undefined, '<unknown>'],
    ['', '<unknown>'],
    ['0001-01-01T00:00:00Z', '<unknown>'],
    ['not a time', '<unknown>'],
  ];
  for (const [ts, want] of cases) t.equal(age(ts, now), want, String(ts));
});

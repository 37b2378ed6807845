import t from 'tap';
import { GoLiteral, formatFloat, formatValue, quote } from './quote.js';

t.test('quote matches Go strconv.Quote', async (t) => {
  const cases: [string, string][] = [
    ['abc', '"abc"'],
    ['', '""'],
    ['a"b', '"a\\"b"'],
    ['a\\b', '"a\\\\b"'],
    ['\u0007\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
    ['\u0000\u001f\u007f', '"\\x00\\x1f\\x7f"'],
    ['\u0085', '"\\u0085"'],
    ['\u00a0', '"\\u00a0"'],
    ['\u200b', '"\\u200b"'],
    ['héllo 世界', '"héllo 世界"'],
    ['😀', '"😀"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['\ud800', '"\ufffd"'],
  ];
  for (const [input, want] of cases) t.equal(quote(input), want, JSON.stringify(input));
});

t.test('formatFloat matches Go %v for float64', async (t) => {
  const cases: [number, string][] = [
    [1.5, '1.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [123456.5, '123456.5'],
    [1234567.5, '1.2345675e+06'],
    [-2.5e-7, '-2.5e-07'],
    [1e100, '1e+100'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
  ];
  for (const [n, want] of cases) t.equal(formatFloat(n), want, String(n));
});

t.test('formatValue prints bad values as upstream field errors do', async (t) => {
  const cases: [unknown, string][] = [
    ['x', '"x"'],
    [5, '5'],
    [-1, '-1'],
    [0.5, '0.5'],
    [10n, '10'],
    [true, 'true'],
    [null, '"null"'],
    [undefined, '"null"'],
    [['a', 'b'], '[]string{"a", "b"}'],
    [[], '[]string{}'],
    [new GoLiteral('[]string(nil)'), '[]string(nil)'],
    [{ a: 1 }, '{"a":1}'],
    [[1, 2], '[1,2]'],
  ];
  for (const [v, want] of cases) t.equal(formatValue(v), want, String(want));
});

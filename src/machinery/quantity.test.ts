import t from 'tap';
import {
  compareQuantities,
  formatQuantity,
  newMilliQuantity,
  newQuantity,
  quantityMilliValue,
  quantityScaledValue,
  quantityValue,
  withFormat,
  type Quantity,
} from './quantity.js';
import { QuantityError, parseQuantity, quantityFromJSON } from './quantityparse.js';

const q = (s: string): Quantity => parseQuantity(s);

t.test('round trips to the canonical form', async (t) => {
  const cases: [string, string][] = [
    ['1500m', '1500m'],
    ['1.5', '1500m'],
    ['2Gi', '2Gi'],
    ['0.5Gi', '512Mi'],
    ['1.5Gi', '1536Mi'],
    ['100M', '100M'],
    ['1000M', '1G'],
    ['1024Mi', '1Gi'],
    ['1Ki', '1Ki'],
    ['8Ki', '8Ki'],
    ['1025Ki', '1025Ki'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['0.5Ki', '512'],
    ['1e3', '1e3'],
    ['1E6', '1E6'],
    ['1.2e3', '1200'],
    ['1.3E+6', '1300e3'],
    ['0.5e-2', '5e-3'],
    ['1.1E-9', '2e-9'],
    ['0', '0'],
    ['0m', '0'],
    ['0Ki', '0'],
    ['-0', '0'],
    ['00', '0'],
    ['0.001', '1m'],
    ['0.0005k', '500m'],
    ['0.50000', '500m'],
    ['1.01E', '1010P'],
    ['100.0350k', '100035'],
    ['10.0350M', '10035k'],
    ['12E', '12E'],
    ['3.001n', '4n'],
    ['0.0000000001', '1n'],
    ['0.00000012345', '124n'],
    ['1080m', '1080m'],
    ['1.08', '1080m'],
    ['500u', '500u'],
    ['-1.5', '-1500m'],
    ['-2Gi', '-2Gi'],
    ['-0.5Gi', '-512Mi'],
    ['-1Ki', '-1Ki'],
    ['9Ei', '9223372036854775807'],
    ['9223372036854775807Ki', '9223372036854775807'],
    ['12345678901234567890', '12345678901234567890'],
  ];
  for (const [input, want] of cases) {
    const parsed = q(input);
    t.equal(formatQuantity(parsed), want, input);
    t.equal(formatQuantity(q(want)), want, `${want} is stable`);
    t.equal(compareQuantities(q(want), parsed), 0, `${want} equals ${input}`);
  }
});

t.test('upstream keeps already-canonical input text verbatim', async (t) => {
  for (const s of ['+1', '01', '1E3', '1.500', '1.G', '+1Ki', '1e-3', '100.035k', '10.035M', '6.987654321G']) t.equal(formatQuantity(q(s)), s, s);
  t.equal(formatQuantity(withFormat(q('100.035k'), 'DecimalSI')), '100035', 'the canonical form of a kept text');
  t.equal(formatQuantity(q('1.50')), '1500m', 'an exponent not a multiple of 3 is rewritten');
  t.equal(formatQuantity(q('1.000')), '1', 'trailing 000 is rewritten');
  t.equal(formatQuantity(q('1024Ki')), '1Mi', 'a multiple of 8 in binary is rewritten');
});

t.test('formats: the suffix family is remembered; withFormat switches it', async (t) => {
  const cases: [string, string, string][] = [
    ['1e3', 'DecimalExponent', '1k'],
    ['1500m', 'DecimalSI', '1500m'],
    ['2Gi', 'BinarySI', '2147483648'],
    ['0.000000000001Ki', 'DecimalSI', '2n'],
    ['1Pi', 'BinarySI', '1125899906842624'],
  ];
  for (const [input, format, decimal] of cases) {
    t.equal(q(input).format, format, `${input} format`);
    t.equal(formatQuantity(withFormat(q(input), 'DecimalSI')), decimal, `${input} as DecimalSI`);
  }
  t.equal(formatQuantity(withFormat(q('1k'), 'DecimalExponent')), '1e3');
  t.equal(formatQuantity(withFormat(q('2048'), 'BinarySI')), '2Ki');
  t.equal(formatQuantity(withFormat(q('1000E'), 'DecimalSI')), '1000E', 'values past E keep the E suffix');
});

t.test('invalid quantities fail with upstream messages', async (t) => {
  const format = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
  const suffix = "unable to parse quantity's suffix";
  const cases: [string, string][] = [
    ['', format],
    [' 1', format],
    ['1 ', format],
    ['1.1.M', format],
    ['aoeu', format],
    ['1+1.0M', format],
    ['0.1mi', suffix],
    ['0.1am', format],
    ['.5i', suffix],
    ['1i', suffix],
    ['1K', suffix],
    ['-3.01e-', suffix],
    ['1ee3', suffix],
    ['1e99999999999999999999', suffix],
    ['.Pi', 'unable to parse numeric part of quantity'],
  ];
  for (const [input, message] of cases) {
    t.throws(() => parseQuantity(input), { name: 'QuantityError', message }, JSON.stringify(input));
  }
  t.throws(() => parseQuantity('x'), QuantityError);
});

t.test('odd inputs upstream accepts', async (t) => {
  const cases: [string, bigint][] = [
    ['.', 0n],
    ['-', 0n],
    ['1.', 1000n],
    ['.5', 500n],
    ['.Ki', 0n],
    ['1.G', 1_000_000_000_000n],
  ];
  for (const [input, milli] of cases) t.equal(quantityMilliValue(q(input)), milli, input);
});

t.test('comparison is by value, across formats and extreme exponents', async (t) => {
  const cases: [string, string, number][] = [
    ['1', '1000m', 0],
    ['1Ki', '1024', 0],
    ['1k', '1e3', 0],
    ['1Gi', '1G', 1],
    ['100m', '0.1', 0],
    ['-1', '1m', -1],
    ['-2', '-1', -1],
    ['0', '-0', 0],
    ['1e1000000000', '9E', 1],
    ['-1e1000000000', '-9E', -1],
    ['999m', '1', -1],
    ['1n', '0', 1],
  ];
  for (const [a, b, want] of cases) {
    t.equal(compareQuantities(q(a), q(b)), want, `${a} vs ${b}`);
    t.equal(compareQuantities(q(b), q(a)), -want, `${b} vs ${a}`);
  }
});

t.test('conversions to milli-units and whole units are exact bigints, rounded away from zero', async (t) => {
  const cases: [string, bigint, bigint][] = [
    ['1500m', 1500n, 2n],
    ['1.5', 1500n, 2n],
    ['2', 2000n, 2n],
    ['250m', 250n, 1n],
    ['1n', 1n, 1n],
    ['-1n', -1n, -1n],
    ['-1.5', -1500n, -2n],
    ['2Gi', 2147483648000n, 2147483648n],
    ['0.5Gi', 536870912000n, 536870912n],
    ['128974848', 128974848000n, 128974848n],
    ['129e6', 129000000000n, 129000000n],
    ['123Mi', 128974848000n, 128974848n],
    ['7Ei', 8070450532247928832000n, 8070450532247928832n],
    ['8Ei', 9223372036854775807000n, 9223372036854775807n],
    ['0', 0n, 0n],
  ];
  for (const [input, milli, whole] of cases) {
    t.equal(quantityMilliValue(q(input)), milli, `${input} milli`);
    t.equal(quantityValue(q(input)), whole, `${input} value`);
  }
  t.equal(quantityScaledValue(q('1.5Gi'), 6), 1611n, 'scaled to mega, rounded up');
  t.equal(quantityScaledValue(q('1e-1000000'), 0), 1n, 'tiny values round up to one unit');
  t.throws(() => quantityValue(q('1e1000000000')), RangeError);
});

t.test('constructors', async (t) => {
  t.equal(formatQuantity(newMilliQuantity(1500n)), '1500m');
  t.equal(formatQuantity(newMilliQuantity(2000n)), '2');
  t.equal(formatQuantity(newQuantity(1073741824n, 0, 'BinarySI')), '1Gi');
  t.equal(formatQuantity(newQuantity(5n, 6)), '5M');
  t.equal(formatQuantity(newQuantity(1n, -12)), '1n', 'finer than nano rounds up');
  t.equal(formatQuantity(newQuantity(-15n, -10)), '-2n');
});

t.test('quantityFromJSON reads strings and numbers as upstream UnmarshalJSON', async (t) => {
  t.equal(formatQuantity(quantityFromJSON(' 500m ')), '500m');
  t.equal(formatQuantity(quantityFromJSON(0.5)), '500m');
  t.equal(formatQuantity(quantityFromJSON(2)), '2');
  t.equal(formatQuantity(quantityFromJSON(null)), '0');
  t.throws(() => quantityFromJSON({}), QuantityError);
  t.throws(() => quantityFromJSON(Number.NaN), QuantityError);
});

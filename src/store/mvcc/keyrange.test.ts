import t from 'tap';
import { inRange, isEmptyRange, isSingleKey, keySuccessor, normalizeRange, prefixEnd } from './keyrange.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');
const show = (r: { from: Buffer; to: Buffer | null }) => [r.from.toString('latin1'), r.to === null ? null : r.to.toString('latin1')];

t.test('normalizeRange maps etcd range_end forms to half-open intervals', async (t) => {
  t.same(show(normalizeRange(b('a'))), ['a', 'a\x00'], 'absent: the single key');
  t.same(show(normalizeRange(b('a'), b(''))), ['a', 'a\x00'], 'empty: the single key');
  t.same(show(normalizeRange(b('a'), b('\x00'))), ['a', null], '"\\0": every key >= key');
  t.same(show(normalizeRange(b('\x00'), b('\x00'))), ['\x00', null], 'all keys');
  t.same(show(normalizeRange(b('a'), b('c'))), ['a', 'c']);
  t.same(show(normalizeRange(b('a'), b('\x00\x00'))), ['a', '\x00\x00'], 'only a lone zero byte is special');
});

t.test('prefixEnd increments the last byte below 0xff', async (t) => {
  t.same(prefixEnd(b('/registry/pods/')).toString('latin1'), '/registry/pods0');
  t.same(prefixEnd(b('a\xff')).toString('latin1'), 'b');
  t.same(prefixEnd(b('a\xfe\xff\xff')).toString('latin1'), 'a\xff');
  t.same(prefixEnd(b('\xff\xff')).toString('latin1'), '\x00', 'all 0xff: no bound');
  t.same(prefixEnd(b('')).toString('latin1'), '\x00', 'empty prefix: no bound');
  const input = b('ab');
  prefixEnd(input);
  t.equal(input.toString('latin1'), 'ab', 'does not modify its argument');
});

t.test('inRange compares bytewise, zero and 0xff bytes included', async (t) => {
  const prefix = normalizeRange(b('/a'), prefixEnd(b('/a')));
  t.same(['/a', '/a\x00', '/a/b', '/a\xff', '/b', '/', '/`'].map((k) => inRange(b(k), prefix)), [true, true, true, true, false, false, false]);
  const open = normalizeRange(b('m'), b('\x00'));
  t.same(['l', 'm', '\xff\xff'].map((k) => inRange(b(k), open)), [false, true, true]);
  const single = normalizeRange(b('k'));
  t.same(['k', 'k\x00', 'j\xff'].map((k) => inRange(b(k), single)), [true, false, false]);
});

t.test('empty and single-key ranges are recognised', async (t) => {
  t.equal(isEmptyRange(normalizeRange(b('b'), b('a'))), true);
  t.equal(isEmptyRange(normalizeRange(b('b'), b('b'))), true);
  t.equal(isEmptyRange(normalizeRange(b('b'), b('\x00'))), false);
  t.equal(isSingleKey(normalizeRange(b('k'))), true);
  t.equal(isSingleKey(normalizeRange(b('k'), b('k\x00'))), true);
  t.equal(isSingleKey(normalizeRange(b('k'), b('k\x00\x00'))), false);
  t.equal(isSingleKey(normalizeRange(b('k'), b('l'))), false);
  t.equal(isSingleKey(normalizeRange(b('k'), b('\x00'))), false);
  t.same(keySuccessor(b('x')), b('x\x00'));
});

import t from 'tap';
import type { KeyValue } from '../types.js';
import { inRange, type KeyRange } from './keyrange.js';
import { executeRange, type RangeSource } from './range.js';

const b = (s: string): Buffer => Buffer.from(s);
const kv = (key: string, createRevision: number, modRevision: number): KeyValue => ({
  key: b(key),
  createRevision,
  modRevision,
  version: 1,
  value: b(`value-of-${key}`),
  lease: 0n,
});

/** Five keys at revision 10 (compacted to 3); records what was asked of it. */
function source(): RangeSource & { calls: string[] } {
  const rows = [kv('a', 2, 9), kv('b', 3, 3), kv('c', 4, 8), kv('d', 5, 5), kv('e', 6, 7)];
  const calls: string[] = [];
  const pick = (range: KeyRange) => rows.filter((r) => inRange(r.key, range));
  return {
    calls,
    revision: 10,
    compactRevision: 3,
    kvs(range, revision, limit, keysOnly) {
      calls.push(`kvs@${revision} limit=${limit}${keysOnly ? ' keysOnly' : ''}`);
      const got = pick(range);
      return limit > 0 ? got.slice(0, limit) : got;
    },
    count(range, revision) {
      calls.push(`count@${revision}`);
      return pick(range).length;
    },
  };
}

const all = { key: b('a'), rangeEnd: b('\0') };
const keys = (kvs: KeyValue[]) => kvs.map((x) => x.key.toString());

t.test('a limited read fetches one extra row and counts only when there are more', async (t) => {
  const src = source();
  const res = executeRange(src, { ...all, limit: 2 });
  t.same([keys(res.kvs), res.more, res.count, res.revision], [['a', 'b'], true, 5, 10]);
  t.same(src.calls, ['kvs@10 limit=3', 'count@10']);
  const src2 = source();
  const res2 = executeRange(src2, { ...all, limit: 5 });
  t.same([res2.kvs.length, res2.more, res2.count], [5, false, 5]);
  t.same(src2.calls, ['kvs@10 limit=6'], 'no count query when everything fitted');
});

t.test('sorting and revision filters read everything, then cut to the limit', async (t) => {
  const src = source();
  const res = executeRange(src, { ...all, limit: 2, sortTarget: 'MOD', sortOrder: 'DESCEND' });
  t.same([keys(res.kvs), res.more, res.count], [['a', 'c'], true, 5]);
  t.same(src.calls, ['kvs@10 limit=0']);
  const src2 = source();
  const res2 = executeRange(src2, { ...all, limit: 1, minCreateRevision: 4, maxModRevision: 7 });
  t.same([keys(res2.kvs), res2.more, res2.count], [['d'], true, 5]);
  t.same(src2.calls, ['kvs@10 limit=0']);
  const res3 = executeRange(source(), { ...all, sortTarget: 'KEY', sortOrder: 'DESCEND' });
  t.same(keys(res3.kvs), ['e', 'd', 'c', 'b', 'a']);
  const res4 = executeRange(source(), { ...all, sortTarget: 'VALUE', sortOrder: 'DESCEND', keysOnly: true, limit: 2 });
  t.same([keys(res4.kvs), res4.kvs.map((x) => x.value.length)], [['e', 'd'], [0, 0]], 'sorted by value, values left out');
});

t.test('count_only asks only for a count; keys_only is passed down and values dropped', async (t) => {
  const src = source();
  t.same(executeRange(src, { ...all, countOnly: true, limit: 1 }), { revision: 10, kvs: [], more: false, count: 5 });
  t.same(src.calls, ['count@10']);
  const src2 = source();
  const res = executeRange(src2, { key: b('b'), keysOnly: true, revision: 4 });
  t.same(src2.calls, ['kvs@4 limit=0 keysOnly']);
  t.equal(res.revision, 10, 'header revision is current');
});

t.test('revision bounds', async (t) => {
  t.throws(() => executeRange(source(), { ...all, revision: 11 }), { code: 'future-revision' });
  t.throws(() => executeRange(source(), { ...all, revision: 2 }), { code: 'compacted', compactRevision: 3 });
  t.doesNotThrow(() => executeRange(source(), { ...all, revision: 3 }), 'the compact revision itself is readable');
  t.doesNotThrow(() => executeRange(source(), { ...all, revision: -1 }), 'negative means current');
  t.throws(() => executeRange(source(), { key: b('') }), { code: 'key-not-provided' });
  t.same(executeRange(source(), { key: b('c'), rangeEnd: b('b') }), { revision: 10, kvs: [], more: false, count: 0 });
});

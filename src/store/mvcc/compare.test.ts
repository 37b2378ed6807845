import t from 'tap';
import type { Compare, KeyValue } from '../types.js';
import { compareHolds } from './compare.js';

const b = (s: string): Buffer => Buffer.from(s);
const kv = (over: Partial<KeyValue> = {}): KeyValue => ({
  key: b('k'),
  createRevision: 5,
  modRevision: 9,
  version: 3,
  value: b('m'),
  lease: 7n,
  ...over,
});

t.test('numeric targets against a present key', async (t) => {
  const cases: Array<[Compare, boolean]> = [
    [{ key: b('k'), target: 'VERSION', result: 'EQUAL', version: 3 }, true],
    [{ key: b('k'), target: 'VERSION', result: 'GREATER', version: 3 }, false],
    [{ key: b('k'), target: 'VERSION', result: 'GREATER', version: 2 }, true],
    [{ key: b('k'), target: 'CREATE', result: 'LESS', createRevision: 6 }, true],
    [{ key: b('k'), target: 'CREATE', result: 'NOT_EQUAL', createRevision: 5 }, false],
    [{ key: b('k'), target: 'MOD', result: 'EQUAL', modRevision: 9 }, true],
    [{ key: b('k'), target: 'MOD', result: 'LESS', modRevision: 9 }, false],
    [{ key: b('k'), target: 'LEASE', result: 'EQUAL', lease: 7n }, true],
    [{ key: b('k'), target: 'LEASE', result: 'GREATER', lease: 6n }, true],
    [{ key: b('k'), target: 'LEASE', result: 'LESS', lease: 6n }, false],
  ];
  for (const [c, want] of cases) t.equal(compareHolds(c, [kv()]), want, `${c.target} ${c.result}`);
});

t.test('lease compares use bigint order beyond 2^53', async (t) => {
  const big = 2n ** 62n;
  t.equal(compareHolds({ key: b('k'), target: 'LEASE', result: 'GREATER', lease: big }, [kv({ lease: big + 1n })]), true);
  t.equal(compareHolds({ key: b('k'), target: 'LEASE', result: 'EQUAL', lease: big }, [kv({ lease: big + 1n })]), false);
});

t.test('value compares bytewise', async (t) => {
  t.equal(compareHolds({ key: b('k'), target: 'VALUE', result: 'EQUAL', value: b('m') }, [kv()]), true);
  t.equal(compareHolds({ key: b('k'), target: 'VALUE', result: 'GREATER', value: b('l\xff') }, [kv()]), true);
  t.equal(compareHolds({ key: b('k'), target: 'VALUE', result: 'LESS', value: b('m\x00') }, [kv()]), true, 'a prefix sorts first');
});

t.test('a missing key is a zero KeyValue, except that VALUE is always false', async (t) => {
  t.equal(compareHolds({ key: b('k'), target: 'MOD', result: 'EQUAL', modRevision: 0 }, []), true);
  t.equal(compareHolds({ key: b('k'), target: 'CREATE', result: 'LESS', createRevision: 1 }, []), true);
  t.equal(compareHolds({ key: b('k'), target: 'LEASE', result: 'EQUAL', lease: 0n }, []), true);
  t.equal(compareHolds({ key: b('k'), target: 'VERSION', result: 'NOT_EQUAL', version: 0 }, []), false);
  for (const result of ['EQUAL', 'NOT_EQUAL', 'GREATER', 'LESS'] as const) {
    t.equal(compareHolds({ key: b('k'), target: 'VALUE', result, value: b('') }, []), false, `VALUE ${result}`);
  }
});

t.test('with several keys the compare must hold for each', async (t) => {
  const kvs = [kv({ version: 1 }), kv({ key: b('l'), version: 4 })];
  t.equal(compareHolds({ key: b('k'), target: 'VERSION', result: 'GREATER', version: 0 }, kvs), true);
  t.equal(compareHolds({ key: b('k'), target: 'VERSION', result: 'GREATER', version: 1 }, kvs), false);
  t.equal(compareHolds({ key: b('k'), target: 'VERSION', result: 'LESS', version: 5 }, kvs), true);
});

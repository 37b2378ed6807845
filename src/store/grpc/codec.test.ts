import t from 'tap';
import { compareIn, kvOut, putIn, rangeIn, txnIn, txnOut } from './codec.js';
import { header } from './header.js';
import { clampedInt, compactRevision, leaseTtl, limit, readRevision, watchStart } from './int64.js';
import type { WireCompare, WireRangeRequest } from './wire.js';

const maxInt64 = '9223372036854775807';
const minInt64 = '-9223372036854775808';

t.test('int64 fields become safe numbers or the error etcd gives', async (t) => {
  t.equal(readRevision('0'), 0);
  t.equal(readRevision('-3'), 0, 'a negative read revision is the current one');
  t.equal(readRevision('42'), 42);
  t.throws(() => readRevision(maxInt64), { name: 'StoreError', code: 'future-revision' });
  t.throws(() => compactRevision(maxInt64), { name: 'StoreError', code: 'future-revision' });
  t.equal(compactRevision(minInt64), -Number.MAX_SAFE_INTEGER);
  t.equal(limit('-1'), 0);
  t.equal(limit(maxInt64), 0, 'more than could ever be returned: no limit');
  t.equal(watchStart('-5'), -1);
  t.equal(watchStart(maxInt64), Number.MAX_SAFE_INTEGER, 'a start in the far future just waits');
  t.throws(() => leaseTtl(maxInt64), { name: 'StoreError', code: 'lease-ttl-too-large' });
  t.equal(clampedInt(minInt64), -Number.MAX_SAFE_INTEGER);
});

const range = (over: Partial<WireRangeRequest>): WireRangeRequest => ({
  key: Buffer.from('k'),
  range_end: Buffer.alloc(0),
  limit: '0',
  revision: '0',
  sort_order: 'NONE',
  sort_target: 'KEY',
  serializable: false,
  keys_only: false,
  count_only: false,
  min_mod_revision: '0',
  max_mod_revision: '0',
  min_create_revision: '0',
  max_create_revision: '0',
  ...over,
});

t.test('requests: empty keys, unknown enums, filters', async (t) => {
  t.throws(() => rangeIn(range({ key: Buffer.alloc(0) })), { name: 'StoreError', code: 'key-not-provided' });
  t.match(rangeIn(range({ sort_order: 7, sort_target: 9 })), { sortOrder: 'NONE', sortTarget: 'KEY' });
  t.match(rangeIn(range({ min_mod_revision: '-4', max_create_revision: maxInt64 })), { minModRevision: undefined, maxCreateRevision: Number.MAX_SAFE_INTEGER });
  t.throws(() => putIn({ key: Buffer.from('k'), value: Buffer.from('v'), lease: '0', prev_kv: false, ignore_value: true, ignore_lease: false }), { message: 'etcdserver: value is provided' });
  t.match(putIn({ key: Buffer.from('k'), value: Buffer.alloc(0), lease: maxInt64, prev_kv: false, ignore_value: false, ignore_lease: false }), { lease: 2n ** 63n - 1n });
});

t.test('compares read the member their target names; unknown enums act as in etcd 3.4', async (t) => {
  const base: WireCompare = { key: Buffer.from('k'), range_end: Buffer.alloc(0), result: 'EQUAL', target: 'MOD' };
  t.same(compareIn({ ...base, mod_revision: '5', target_union: 'mod_revision' }), { key: Buffer.from('k'), rangeEnd: undefined, result: 'EQUAL', target: 'MOD', modRevision: 5 });
  t.match(compareIn({ ...base, version: '5', target_union: 'version' }), { target: 'MOD', modRevision: 0 }, 'another member set: 0');
  t.equal(compareIn({ ...base, result: 9 }), undefined, 'unknown result: holds (dropped)');
  t.equal(compareIn({ ...base, target: 9 }), undefined, 'unknown target, EQUAL: holds');
  t.match(compareIn({ ...base, target: 9, result: 'GREATER' }), { target: 'CREATE', result: 'LESS', createRevision: 0 }, 'unknown target otherwise: never holds');
  t.throws(() => txnIn({ compare: [], success: [{}], failure: [] }), { name: 'StoreError', code: 'key-not-found' });
});

t.test('responses leave zero values out; nested headers as etcd', async (t) => {
  t.same(kvOut({ key: Buffer.from('k'), createRevision: 0, modRevision: 7, version: 0, value: Buffer.alloc(0), lease: 0n }), { key: Buffer.from('k'), mod_revision: 7 });
  t.same(kvOut({ key: Buffer.from('k'), createRevision: 2, modRevision: 7, version: 3, value: Buffer.from('v'), lease: 2n ** 62n }), {
    key: Buffer.from('k'),
    create_revision: 2,
    mod_revision: 7,
    version: 3,
    value: Buffer.from('v'),
    lease: (2n ** 62n).toString(),
  });
  const out = txnOut(
    {
      revision: 9,
      succeeded: true,
      responses: [{ put: { revision: 9 } }, { txn: { revision: 9, succeeded: false, responses: [{ range: { revision: 9, kvs: [], more: false, count: 0 } }] } }],
    },
    header(9),
  );
  t.same(out.responses[0], { response_put: { header: { revision: 9 } } });
  t.same(out.responses[1], { response_txn: { header: {}, responses: [{ response_range: { header: { revision: 9 }, kvs: [] } }] } });
});

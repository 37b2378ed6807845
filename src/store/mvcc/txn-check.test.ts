import t from 'tap';
import type { RequestOp, TxnRequest } from '../types.js';
import { checkTxn } from './txn-check.js';

const b = (s: string): Buffer => Buffer.from(s);
const put = (key: string): RequestOp => ({ put: { key: b(key), value: b('v') } });
const del = (key: string, end?: string): RequestOp => ({ deleteRange: end === undefined ? { key: b(key) } : { key: b(key), rangeEnd: b(end) } });
const txn = (success: RequestOp[], failure: RequestOp[] = []): TxnRequest => ({ compare: [], success, failure });
const code = (req: TxnRequest, max = 128): string => {
  try {
    checkTxn(req, max);
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
};

t.test('duplicate writes within a branch', async (t) => {
  t.equal(code(txn([put('a'), put('b')])), 'ok');
  t.equal(code(txn([put('a'), put('a')])), 'duplicate-key');
  t.equal(code(txn([del('a'), put('a')])), 'duplicate-key', 'order does not matter');
  t.equal(code(txn([put('b'), del('a', 'c')])), 'duplicate-key');
  t.equal(code(txn([put('c'), del('a', 'c')])), 'ok', 'range end is exclusive');
  t.equal(code(txn([put('zz'), del('a', '\x00')])), 'duplicate-key', 'open-ended range');
  t.equal(code(txn([del('a', 'c'), del('b', 'd'), del('b')])), 'ok', 'deletes may overlap');
  t.equal(code(txn([put('a')], [put('a')])), 'ok', 'the two top-level branches are separate');
});

t.test('nested txns: branches exclude each other but count against siblings', async (t) => {
  const nested = (success: RequestOp[], failure: RequestOp[] = []): RequestOp => ({ txn: txn(success, failure) });
  t.equal(code(txn([nested([put('a')], [put('a')])])), 'ok');
  t.equal(code(txn([put('a'), nested([], [put('a')])])), 'duplicate-key');
  t.equal(code(txn([nested([put('a')]), nested([put('a')])])), 'duplicate-key');
  t.equal(code(txn([nested([del('a', 'z')]), put('m')])), 'duplicate-key');
  t.equal(code(txn([nested([nested([put('x'), put('x')])])])), 'duplicate-key', 'deep nesting');
});

t.test('op counts and empty keys', async (t) => {
  const puts = (n: number) => Array.from({ length: n }, (_, i) => put(`k${i}`));
  t.equal(code(txn(puts(3)), 3), 'ok');
  t.equal(code(txn(puts(4)), 3), 'too-many-ops');
  t.equal(code(txn([], puts(4)), 3), 'too-many-ops');
  t.equal(code({ compare: Array.from({ length: 4 }, () => ({ key: b('a'), target: 'MOD' as const, result: 'EQUAL' as const, modRevision: 0 })), success: [], failure: [] }, 3), 'too-many-ops');
  t.equal(code(txn([{ txn: txn(puts(4)) }]), 3), 'too-many-ops', 'nested lists are limited too');
  t.equal(code(txn([{ range: { key: b('') } }])), 'key-not-provided');
  t.equal(code(txn([], [del('')])), 'key-not-provided');
  t.equal(code(txn([{ txn: txn([put('')]) }])), 'key-not-provided');
});

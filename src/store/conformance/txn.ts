// Conformance: txn revisions, request checks, compare targets and results,
// branches, nesting and reads of the txn's own writes.
import type { Test } from 'tap';
import type { Backend } from '../backend.js';
import { storeErrors } from '../errors.js';
import { prefixEnd } from '../mvcc/keyrange.js';
import type { Compare, CompareResult, RequestOp } from '../types.js';
import { k, keysOf, kvStr, putKey, scenario, type OpenBackend } from './harness.js';

const results: CompareResult[] = ['EQUAL', 'NOT_EQUAL', 'GREATER', 'LESS'];

async function holds(b: Backend, compare: Compare): Promise<boolean> {
  return (await b.txn({ compare: [compare], success: [], failure: [] })).succeeded;
}

const put = (key: string, value = 'v'): RequestOp => ({ put: { key: k(key), value: k(value) } });

export function txnSuite(t: Test, open: OpenBackend): void {
  scenario(t, 'a txn without writes keeps the revision; all writes of one txn share one revision', open, async ({ t, b }) => {
    await putKey(b, 'a', '1');
    const read = await b.txn({ compare: [], success: [{ range: { key: k('a') } }], failure: [] });
    t.equal(read.revision, 2);
    t.equal(read.succeeded, true);
    const write = await b.txn({
      compare: [],
      success: [put('x', '1'), put('y', '2'), { deleteRange: { key: k('a') } }, { deleteRange: { key: k('gone') } }],
      failure: [],
    });
    t.equal(write.revision, 3);
    t.same(
      write.responses.map((r) => ('put' in r ? `put@${r.put.revision}` : 'deleteRange' in r ? `del${r.deleteRange.deleted}@${r.deleteRange.revision}` : '?')),
      ['put@3', 'put@3', 'del1@3', 'del0@3'],
    );
    t.same((await b.range({ key: k('\0'), rangeEnd: k('\0') })).kvs.map(kvStr), ['x=1 c3 m3 v1', 'y=2 c3 m3 v1']);
    t.equal((await b.status()).revision, 3);
  });

  scenario(t, 'a failed txn runs the failure branch at the current revision', open, async ({ t, b }) => {
    await putKey(b, 'a', '1');
    const res = await b.txn({
      compare: [{ key: k('a'), target: 'MOD', result: 'EQUAL', modRevision: 1 }],
      success: [put('a', '2')],
      failure: [{ range: { key: k('a') } }],
    });
    t.equal(res.succeeded, false);
    t.equal(res.revision, 2);
    const first = res.responses[0];
    t.same(first && 'range' in first ? first.range.kvs.map(kvStr) : null, ['a=1 c2 m2 v1']);
    t.equal((await b.status()).revision, 2);
  });

  scenario(t, 'duplicate keys in one branch are rejected', open, async ({ t, b }) => {
    const dup = { code: 'duplicate-key', message: storeErrors['duplicate-key'] };
    const txn = (success: RequestOp[], failure: RequestOp[] = []) => b.txn({ compare: [], success, failure });
    await t.rejects(txn([put('a'), put('a')]), dup, 'two puts');
    await t.rejects(txn([put('a'), { deleteRange: { key: k('a') } }]), dup, 'put then delete');
    await t.rejects(txn([{ deleteRange: { key: k('a'), rangeEnd: k('c') } }, put('b')]), dup, 'put inside a deleted range');
    await t.rejects(txn([put('a'), { txn: { compare: [], success: [put('a')], failure: [] } }]), dup, 'nested put');
    await t.rejects(txn([], [put('f'), put('f')]), dup, 'the branch that does not run is checked too');
    const fine = await txn([
      { txn: { compare: [], success: [put('a')], failure: [put('a')] } },
      { deleteRange: { key: k('m'), rangeEnd: k('p') } },
      { deleteRange: { key: k('n'), rangeEnd: k('q') } },
      { range: { key: k('a') } },
    ]);
    t.equal(fine.succeeded, true, 'then/else may share a key; deletes may overlap; ranges never conflict');
    t.equal((await b.status()).revision, 2);
  });

  scenario(t, 'at most 128 ops per list', open, async ({ t, b }) => {
    const tooMany = { code: 'too-many-ops', message: storeErrors['too-many-ops'] };
    const puts = (n: number) => Array.from({ length: n }, (_, i) => put(`key-${String(i).padStart(3, '0')}`));
    await t.rejects(b.txn({ compare: [], success: puts(129), failure: [] }), tooMany);
    await t.rejects(b.txn({ compare: [], success: [], failure: puts(129) }), tooMany);
    const compares: Compare[] = Array.from({ length: 129 }, () => ({ key: k('a'), target: 'VERSION', result: 'EQUAL', version: 0 }));
    await t.rejects(b.txn({ compare: compares, success: [], failure: [] }), tooMany);
    await t.rejects(b.txn({ compare: [], success: [{ txn: { compare: [], success: puts(129), failure: [] } }], failure: [] }), tooMany);
    t.equal((await b.status()).revision, 1);
    const ok = await b.txn({ compare: [], success: puts(128), failure: [] });
    t.equal(ok.revision, 2);
    t.equal((await b.range({ key: k('key-'), rangeEnd: prefixEnd(k('key-')), minModRevision: 2, maxModRevision: 2 })).kvs.length, 128);
  });

  scenario(t, 'compare targets against an existing key, every result', open, async ({ t, b }) => {
    const { id: lease } = await b.leaseGrant(100, 50n);
    await putKey(b, 'c', 'm', lease);
    await putKey(b, 'c', 'n', lease);
    // c: create 2, mod 3, version 2, value "n", lease 50. Each row: [below, equal, above] per result.
    const cases: Array<[string, (i: number) => Compare]> = [
      ['VERSION', (i) => ({ key: k('c'), target: 'VERSION', result: 'EQUAL', version: 1 + i })],
      ['CREATE', (i) => ({ key: k('c'), target: 'CREATE', result: 'EQUAL', createRevision: 1 + i })],
      ['MOD', (i) => ({ key: k('c'), target: 'MOD', result: 'EQUAL', modRevision: 2 + i })],
      ['VALUE', (i) => ({ key: k('c'), target: 'VALUE', result: 'EQUAL', value: k(['m', 'n', 'o'][i] ?? '') })],
      ['LEASE', (i) => ({ key: k('c'), target: 'LEASE', result: 'EQUAL', lease: 49n + BigInt(i) })],
    ];
    // Wanted outcome when the key's actual value is above / equal to / below the operand.
    const wanted: Record<CompareResult, boolean[]> = {
      EQUAL: [false, true, false],
      NOT_EQUAL: [true, false, true],
      GREATER: [true, false, false],
      LESS: [false, false, true],
    };
    for (const [target, make] of cases) {
      for (const result of results) {
        const got: boolean[] = [];
        for (let i = 0; i < 3; i++) got.push(await holds(b, { ...make(i), result }));
        t.same(got, wanted[result], `${target} ${result}`);
      }
    }
    t.equal((await b.status()).revision, 3, 'compares never write');
  });

  scenario(t, 'a missing key compares as zero; VALUE on a missing key is always false', open, async ({ t, b }) => {
    const none = k('none');
    t.equal(await holds(b, { key: none, target: 'VERSION', result: 'EQUAL', version: 0 }), true);
    t.equal(await holds(b, { key: none, target: 'CREATE', result: 'EQUAL', createRevision: 0 }), true);
    t.equal(await holds(b, { key: none, target: 'MOD', result: 'EQUAL', modRevision: 0 }), true);
    t.equal(await holds(b, { key: none, target: 'LEASE', result: 'EQUAL', lease: 0n }), true);
    t.equal(await holds(b, { key: none, target: 'VERSION', result: 'GREATER', version: 0 }), false);
    t.equal(await holds(b, { key: none, target: 'MOD', result: 'LESS', modRevision: 1 }), true);
    for (const result of results) {
      t.equal(await holds(b, { key: none, target: 'VALUE', result, value: k('x') }), false, `VALUE ${result}`);
    }
    t.equal(await holds(b, { key: none, target: 'VALUE', result: 'EQUAL', value: k('') }), false);
  });

  scenario(t, 'a compare with range_end must hold for every key in the range', open, async ({ t, b }) => {
    await putKey(b, 'r/1', 'a');
    await putKey(b, 'r/2', 'a');
    await putKey(b, 'r/2', 'b');
    const range = { key: k('r/'), rangeEnd: prefixEnd(k('r/')) };
    t.equal(await holds(b, { ...range, target: 'VERSION', result: 'GREATER', version: 0 }), true);
    t.equal(await holds(b, { ...range, target: 'VERSION', result: 'EQUAL', version: 1 }), false);
    t.equal(await holds(b, { ...range, target: 'VERSION', result: 'LESS', version: 3 }), true);
    t.equal(await holds(b, { ...range, target: 'VALUE', result: 'GREATER', value: k('') }), true);
    t.equal(await holds(b, { ...range, target: 'VALUE', result: 'EQUAL', value: k('a') }), false);
    t.equal(await holds(b, { key: k('r/'), rangeEnd: k('\0'), target: 'CREATE', result: 'GREATER', createRevision: 1 }), true);
    const empty = { key: k('s/'), rangeEnd: prefixEnd(k('s/')) };
    t.equal(await holds(b, { ...empty, target: 'MOD', result: 'EQUAL', modRevision: 0 }), true, 'empty range = zero kv');
    t.equal(await holds(b, { ...empty, target: 'VALUE', result: 'EQUAL', value: k('') }), false);
  });

  scenario(t, 'nested txns: compares see the state before the txn; all writes at one revision', open, async ({ t, b }) => {
    await putKey(b, 'c', '1');
    const res = await b.txn({
      compare: [{ key: k('c'), target: 'VALUE', result: 'EQUAL', value: k('1') }],
      success: [
        put('o1'),
        {
          txn: {
            compare: [{ key: k('c'), target: 'VERSION', result: 'EQUAL', version: 99 }],
            success: [put('n1')],
            failure: [put('n2'), { range: { key: k('c') } }],
          },
        },
        {
          txn: {
            compare: [{ key: k('o1'), target: 'MOD', result: 'EQUAL', modRevision: 0 }],
            success: [{ range: { key: k('o1') } }],
            failure: [],
          },
        },
      ],
      failure: [put('f')],
    });
    t.equal(res.succeeded, true);
    t.equal(res.revision, 3);
    const inner = res.responses[1];
    const innerTxn = inner && 'txn' in inner ? inner.txn : undefined;
    t.equal(innerTxn?.succeeded, false);
    const innerRange = innerTxn?.responses[1];
    t.same(innerRange && 'range' in innerRange ? innerRange.range.kvs.map(kvStr) : null, ['c=1 c2 m2 v1']);
    const third = res.responses[2];
    const thirdTxn = third && 'txn' in third ? third.txn : undefined;
    t.equal(thirdTxn?.succeeded, true, 'o1 was absent before the txn, though put earlier in it');
    const seen = thirdTxn?.responses[0];
    t.same(seen && 'range' in seen ? seen.range.kvs.map(kvStr) : null, ['o1=v c3 m3 v1'], 'reads see earlier writes');
    t.same(keysOf((await b.range({ key: k('\0'), rangeEnd: k('\0'), minModRevision: 3 })).kvs), ['n2', 'o1']);
  });

  scenario(t, 'reads inside a txn see its earlier writes, at the txn revision', open, async ({ t, b }) => {
    await putKey(b, 'w/a', '1');
    const res = await b.txn({
      compare: [],
      success: [
        { range: { key: k('w/'), rangeEnd: k('w0') } },
        put('w/b', '2'),
        { deleteRange: { key: k('w/a') } },
        { range: { key: k('w/'), rangeEnd: k('w0') } },
      ],
      failure: [],
    });
    const ranges = res.responses.flatMap((r) => ('range' in r ? [r.range] : []));
    t.same(ranges.map((r) => ({ revision: r.revision, kvs: r.kvs.map(kvStr), count: r.count })), [
      { revision: 2, kvs: ['w/a=1 c2 m2 v1'], count: 1 },
      { revision: 3, kvs: ['w/b=2 c3 m3 v1'], count: 1 },
    ]);
    t.equal(res.revision, 3);
  });

  scenario(t, 'a txn that fails part-way writes nothing', open, async ({ t, b }) => {
    await t.rejects(
      b.txn({ compare: [], success: [put('ok'), { put: { key: k('bad'), value: k('v'), lease: 4242n } }], failure: [] }),
      { code: 'lease-not-found' },
    );
    await t.rejects(
      b.txn({ compare: [], success: [put('ok'), { range: { key: k('ok'), revision: 99 } }], failure: [] }),
      { code: 'future-revision' },
    );
    t.equal((await b.status()).revision, 1);
    t.equal((await b.range({ key: k('ok') })).count, 0);
  });
}

// Conformance: revisions, versions, put/delete, errors, the CAS fast paths.
import type { Test } from 'tap';
import { storeErrors } from '../errors.js';
import { k, kvStr, putKey, scenario, type OpenBackend } from './harness.js';

export function kvSuite(t: Test, open: OpenBackend): void {
  scenario(t, 'a fresh store is at revision 1 and empty', open, async ({ t, b }) => {
    const status = await b.status();
    t.equal(status.revision, 1);
    t.equal(status.compactRevision, 0);
    t.same(await b.range({ key: k('\0'), rangeEnd: k('\0') }), { revision: 1, kvs: [], more: false, count: 0 });
  });

  scenario(t, 'every put bumps the revision; version counts puts; create revision sticks', open, async ({ t, b }) => {
    t.same(await b.put({ key: k('a'), value: k('1') }), { revision: 2 });
    t.same(await b.put({ key: k('a'), value: k('1') }), { revision: 3 }, 'same value still bumps');
    const got = await b.range({ key: k('a') });
    t.same(got.kvs.map(kvStr), ['a=1 c2 m3 v2']);
    t.equal(got.revision, 3);
    t.equal(got.kvs[0]?.lease, 0n);
  });

  scenario(t, 'deletes: a missing key does not bump; recreate resets version and create revision', open, async ({ t, b }) => {
    await putKey(b, 'a', '1');
    await putKey(b, 'a', '2');
    await putKey(b, 'b', '1');
    const del = await b.deleteRange({ key: k('a'), prevKv: true });
    t.equal(del.revision, 5);
    t.equal(del.deleted, 1);
    t.same(del.prevKvs.map(kvStr), ['a=2 c2 m3 v2']);
    t.same(await b.deleteRange({ key: k('a') }), { revision: 5, deleted: 0, prevKvs: [] });
    t.same(await b.deleteRange({ key: k('nothing'), rangeEnd: k('nothinh') }), { revision: 5, deleted: 0, prevKvs: [] });
    t.equal((await b.status()).revision, 5);
    await putKey(b, 'a', '3');
    t.same((await b.range({ key: k('a') })).kvs.map(kvStr), ['a=3 c6 m6 v1']);
    const all = await b.deleteRange({ key: k('\0'), rangeEnd: k('\0') });
    t.same({ revision: all.revision, deleted: all.deleted, prevKvs: all.prevKvs }, { revision: 7, deleted: 2, prevKvs: [] });
    t.equal((await b.range({ key: k('\0'), rangeEnd: k('\0'), countOnly: true })).count, 0);
  });

  scenario(t, 'put returns prevKv only when asked and only if the key existed', open, async ({ t, b }) => {
    t.same(await b.put({ key: k('p'), value: k('1'), prevKv: true }), { revision: 2 });
    const second = await b.put({ key: k('p'), value: k('2'), prevKv: true });
    t.equal(second.revision, 3);
    t.same(second.prevKv && kvStr(second.prevKv), 'p=1 c2 m2 v1');
    t.same(await b.put({ key: k('p'), value: k('3') }), { revision: 4 });
  });

  scenario(t, 'empty keys are rejected with etcd\'s message', open, async ({ t, b }) => {
    const wanted = { code: 'key-not-provided', message: storeErrors['key-not-provided'] };
    await t.rejects(b.range({ key: k('') }), wanted);
    await t.rejects(b.put({ key: k(''), value: k('v') }), wanted);
    await t.rejects(b.deleteRange({ key: k('') }), wanted);
    await t.rejects(b.txn({ compare: [], success: [{ put: { key: k(''), value: k('v') } }], failure: [] }), wanted);
    await t.rejects(b.create(k(''), k('v')), wanted);
    t.equal((await b.status()).revision, 1);
  });

  scenario(t, 'put with an unknown lease fails and writes nothing', open, async ({ t, b }) => {
    await t.rejects(b.put({ key: k('a'), value: k('1'), lease: 12345n }), {
      code: 'lease-not-found',
      message: storeErrors['lease-not-found'],
    });
    t.equal((await b.status()).revision, 1);
    t.equal((await b.range({ key: k('a') })).count, 0);
  });

  scenario(t, 'ignoreValue and ignoreLease keep the old value or lease, and need the key', open, async ({ t, b }) => {
    const wanted = { code: 'key-not-found', message: storeErrors['key-not-found'] };
    await t.rejects(b.put({ key: k('i'), value: k(''), ignoreValue: true }), wanted);
    await t.rejects(b.put({ key: k('i'), value: k('x'), ignoreLease: true }), wanted);
    t.equal((await b.status()).revision, 1);
    const { id } = await b.leaseGrant(100, 777n);
    await putKey(b, 'i', 'one', id);
    await b.put({ key: k('i'), value: k('two'), ignoreLease: true });
    t.same((await b.range({ key: k('i') })).kvs.map(kvStr), ['i=two c2 m3 v2 l777']);
    await b.put({ key: k('i'), value: k(''), ignoreValue: true });
    t.same((await b.range({ key: k('i') })).kvs.map(kvStr), ['i=two c2 m4 v3'], 'a put without lease detaches it');
  });

  scenario(t, 'create fast path: only when absent', open, async ({ t, b }) => {
    const first = await b.create(k('c'), k('1'));
    t.same({ succeeded: first.succeeded, revision: first.revision }, { succeeded: true, revision: 2 });
    const again = await b.create(k('c'), k('2'));
    t.same({ succeeded: again.succeeded, revision: again.revision, kv: again.kv && kvStr(again.kv) }, {
      succeeded: false,
      revision: 2,
      kv: 'c=1 c2 m2 v1',
    });
    await t.rejects(b.create(k('d'), k('1'), 999n), { code: 'lease-not-found' });
    const { id } = await b.leaseGrant(60, 5n);
    await b.create(k('d'), k('1'), id);
    t.same((await b.range({ key: k('d') })).kvs.map(kvStr), ['d=1 c3 m3 v1 l5']);
  });

  scenario(t, 'update fast path: compare-and-swap on modRevision, 0 means absent', open, async ({ t, b }) => {
    await b.create(k('u'), k('1'));
    const ok = await b.update(k('u'), k('2'), 2);
    t.same({ succeeded: ok.succeeded, revision: ok.revision }, { succeeded: true, revision: 3 });
    const stale = await b.update(k('u'), k('3'), 2);
    t.same({ succeeded: stale.succeeded, revision: stale.revision, kv: stale.kv && kvStr(stale.kv) }, {
      succeeded: false,
      revision: 3,
      kv: 'u=2 c2 m3 v2',
    });
    const created = await b.update(k('n'), k('x'), 0);
    t.same({ succeeded: created.succeeded, revision: created.revision }, { succeeded: true, revision: 4 });
    const missing = await b.update(k('m'), k('x'), 7);
    t.same({ succeeded: missing.succeeded, revision: missing.revision, kv: missing.kv }, { succeeded: false, revision: 4, kv: undefined });
    t.same((await b.range({ key: k('\0'), rangeEnd: k('\0') })).kvs.map(kvStr), ['n=x c4 m4 v1', 'u=2 c2 m3 v2']);
  });

  scenario(t, 'delete fast path: only at the expected modRevision', open, async ({ t, b }) => {
    await b.create(k('d'), k('1'));
    await b.update(k('d'), k('2'), 2);
    const stale = await b.delete(k('d'), 2);
    t.same({ succeeded: stale.succeeded, revision: stale.revision, kv: stale.kv && kvStr(stale.kv) }, {
      succeeded: false,
      revision: 3,
      kv: 'd=2 c2 m3 v2',
    });
    const ok = await b.delete(k('d'), 3);
    t.same({ succeeded: ok.succeeded, revision: ok.revision }, { succeeded: true, revision: 4 });
    t.equal((await b.range({ key: k('d') })).count, 0);
    const absent = await b.delete(k('d'), 0);
    t.same({ succeeded: absent.succeeded, revision: absent.revision }, { succeeded: true, revision: 4 }, 'no bump');
    const absentStale = await b.delete(k('d'), 3);
    t.same({ succeeded: absentStale.succeeded, revision: absentStale.revision, kv: absentStale.kv }, {
      succeeded: false,
      revision: 4,
      kv: undefined,
    });
  });

  scenario(t, 'closed stores refuse work, and close is idempotent', open, async ({ t, b }) => {
    await b.close();
    await b.close();
    await t.rejects(b.range({ key: k('a') }), { code: 'closed' });
    await t.rejects(b.put({ key: k('a'), value: k('1') }), { code: 'closed' });
    t.throws(() => b.watch({ key: k('a') }), { code: 'closed' });
  });
}

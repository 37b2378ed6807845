// Conformance: compaction bounds, what survives it, and persistence across
// a reopen (for backends that can reopen).
import type { Test } from 'tap';
import { storeErrors } from '../errors.js';
import { batchEvents, k, keysOf, kvStr, putKey, scenario, WatchReader, type OpenBackend } from './harness.js';

const everything = { key: k('\0'), rangeEnd: k('\0') };

export function compactionSuite(t: Test, open: OpenBackend): void {
  scenario(t, 'compaction bounds and what reads see afterwards', open, async ({ t, b }) => {
    await putKey(b, 'a', '1'); // 2
    await putKey(b, 'b', '1'); // 3
    await putKey(b, 'a', '2'); // 4
    await b.deleteRange({ key: k('b') }); // 5
    await putKey(b, 'c', '1'); // 6
    await putKey(b, 'a', '3'); // 7
    await t.rejects(b.compact(8), { code: 'future-revision', message: storeErrors['future-revision'] });
    t.same(await b.compact(5), { revision: 7 });
    t.same(await b.status().then((s) => [s.revision, s.compactRevision]), [7, 5]);
    await t.rejects(b.compact(5), { code: 'compacted', compactRevision: 5, message: storeErrors.compacted });
    await t.rejects(b.compact(3), { code: 'compacted', compactRevision: 5 });
    await t.rejects(b.range({ ...everything, revision: 4 }), { code: 'compacted', compactRevision: 5, message: storeErrors.compacted });
    const at5 = await b.range({ ...everything, revision: 5 });
    t.same({ kvs: at5.kvs.map(kvStr), revision: at5.revision, count: at5.count }, { kvs: ['a=2 c2 m4 v2'], revision: 7, count: 1 });
    t.same((await b.range({ ...everything, revision: 5, keysOnly: true })).kvs.map(kvStr), ['a= c2 m4 v2']);
    t.same((await b.range({ ...everything, revision: 6 })).kvs.map(kvStr), ['a=2 c2 m4 v2', 'c=1 c6 m6 v1']);
    t.same((await b.range({ ...everything, revision: 6, countOnly: true })).count, 2);
    t.same((await b.range(everything)).kvs.map(kvStr), ['a=3 c2 m7 v3', 'c=1 c6 m6 v1']);
    const fromCompact = new WatchReader(b.watch({ ...everything, startRevision: 5, prevKv: true }));
    t.same(batchEvents(await fromCompact.until(7)), ['PUT c=1 c6 m6 v1', 'PUT a=3 c2 m7 v3 prev=2@4'], 'the delete at 5 is gone');
    t.same(await b.compact(7), { revision: 7 }, 'compacting to the current revision is allowed');
    t.same((await b.range(everything)).kvs.map(kvStr), ['a=3 c2 m7 v3', 'c=1 c6 m6 v1']);
    t.equal((await b.status()).revision, 7, 'compaction never bumps the revision');
  });

  scenario(t, 'a long history compacts in batches and stays exact', open, async ({ t, b }) => {
    for (let i = 0; i < 60; i++) await putKey(b, `h${i % 4}`, `v${i}`); // revisions 2..61
    await b.deleteRange({ key: k('h3') }); // 62
    const before40 = (await b.range({ ...everything, revision: 40 })).kvs.map(kvStr);
    t.same(before40, ['h0=v36 c2 m38 v10', 'h1=v37 c3 m39 v10', 'h2=v38 c4 m40 v10', 'h3=v35 c5 m37 v9']);
    const watcher = new WatchReader(b.watch({ key: k('h0'), startRevision: 2 }));
    await b.compact(40);
    t.same((await b.range({ ...everything, revision: 40 })).kvs.map(kvStr), before40);
    t.same((await b.range(everything)).kvs.map(kvStr), ['h0=v56 c2 m58 v15', 'h1=v57 c3 m59 v15', 'h2=v58 c4 m60 v15']);
    t.equal((await b.range({ ...everything, revision: 61, countOnly: true })).count, 4);
    const r = await watcher.next();
    t.same(r === 'end' || r === 'timeout' ? r : 'batch', 'end', 'an unsynced watcher overtaken by compaction ends');
    t.same(watcher.watch.ended, { reason: 'compacted', compactRevision: 40 });
  });

  scenario(t, 'reads and writes keep flowing while a compaction runs', open, async ({ t, b }) => {
    for (let i = 0; i < 200; i++) await putKey(b, `f${i % 10}`, `${i}`);
    const compaction = b.compact(150);
    await t.rejects(b.range({ key: k('f1'), revision: 149 }), { code: 'compacted' }, 'below the target at once');
    const rev = await putKey(b, 'during', 'x');
    t.equal(rev, 202);
    t.same((await b.range({ key: k('f1'), revision: 150 })).kvs.map(kvStr), ['f1=141 c3 m143 v15']);
    await compaction;
    t.same((await b.range({ key: k('f1'), revision: 150 })).kvs.map(kvStr), ['f1=141 c3 m143 v15']);
    t.equal((await b.status()).compactRevision, 150);
  });

  scenario(t, 'data, revisions, leases and deadlines survive a reopen', open, async ({ t, b, clock, canReopen, reopen }) => {
    if (!canReopen) {
      t.pass('backend does not persist');
      return;
    }
    const { id } = await b.leaseGrant(10, 3n);
    await putKey(b, 'p/a', '1', id);
    await putKey(b, 'p/b', '1');
    await putKey(b, 'p/b', '2');
    await b.compact(3);
    clock.advance(4000);
    const again = await reopen();
    t.same(await again.status().then((s) => [s.revision, s.compactRevision]), [4, 3]);
    t.same((await again.range(everything)).kvs.map(kvStr), ['p/a=1 c2 m2 v1 l3', 'p/b=2 c3 m4 v2']);
    t.same(await again.leases(), [id]);
    t.same(await again.leaseTimeToLive(id, true), { id, ttl: 6, grantedTtl: 10, keys: [k('p/a')] });
    const history = new WatchReader(again.watch({ ...everything, startRevision: 3 }));
    t.same(batchEvents(await history.until(4)), ['PUT p/b=1 c3 m3 v1', 'PUT p/b=2 c3 m4 v2']);
    t.same(await again.put({ key: k('p/c'), value: k('1') }), { revision: 5 });
    clock.advance(6000);
    t.same(keysOf((await again.range(everything)).kvs), ['p/b', 'p/c'], 'the persisted deadline expired the lease');
    t.equal((await again.status()).revision, 6);
  });
}

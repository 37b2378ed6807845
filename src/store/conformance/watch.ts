// Conformance: watch start positions, event shapes, filters, history replay
// into live delivery, slow watchers, cancel and close.
import type { Test } from 'tap';
import { storeErrors } from '../errors.js';
import { prefixEnd } from '../mvcc/keyrange.js';
import type { WatchBatch } from '../types.js';
import { batchEvents, k, putKey, scenario, tick, WatchReader, type OpenBackend } from './harness.js';

const everything = { key: k('\0'), rangeEnd: k('\0') };

/** Checks the WatchBatch contract: revision order, whole revisions, batch.revision covers its events. */
function checkBatches(t: Test, batches: readonly WatchBatch[]): number[] {
  const revisions: number[] = [];
  let last = 0;
  for (const batch of batches) {
    for (const e of batch.events) {
      if (e.kv.modRevision < last) t.fail(`event at ${e.kv.modRevision} after ${last}`);
      last = e.kv.modRevision;
      if (revisions[revisions.length - 1] !== last) revisions.push(last);
      if (e.kv.modRevision > batch.revision) t.fail(`batch revision ${batch.revision} below event ${e.kv.modRevision}`);
    }
  }
  return revisions;
}

export function watchSuite(t: Test, open: OpenBackend): void {
  scenario(t, 'watch from 0 sees only later writes; event shapes as etcd sends them', open, async ({ t, b }) => {
    await putKey(b, 'a', 'old');
    const r = new WatchReader(b.watch({ ...everything, prevKv: true }));
    t.equal(r.watch.synced, true);
    await putKey(b, 'a', 'new');
    await b.deleteRange({ key: k('a') });
    await putKey(b, 'a', 'again');
    const batches = await r.until(5);
    t.same(batchEvents(batches), [
      'PUT a=new c2 m3 v2 prev=old@2',
      'DELETE a m4 prev=new@3',
      'PUT a=again c5 m5 v1',
    ]);
    t.same(batches.map((x) => x.revision), [3, 4, 5]);
    const del = batches[1]?.events[0];
    t.same(del?.kv, { key: k('a'), createRevision: 0, modRevision: 4, version: 0, value: Buffer.alloc(0), lease: 0n });
    t.equal(batches[2]?.events[0]?.prevKv, undefined, 'no prevKv for a create, even when asked');
  });

  scenario(t, 'prevKv only on request; noPut and noDelete filters; key ranges', open, async ({ t, b }) => {
    await putKey(b, '/p/a', '1');
    const plain = new WatchReader(b.watch({ key: k('/p/'), rangeEnd: prefixEnd(k('/p/')) }));
    const noPut = new WatchReader(b.watch({ key: k('/p/'), rangeEnd: prefixEnd(k('/p/')), noPut: true }));
    const noDelete = new WatchReader(b.watch({ key: k('/p/a'), noDelete: true, prevKv: true }));
    await putKey(b, '/p/a', '2');
    await putKey(b, '/q', '1');
    await putKey(b, '/p/b', '1');
    await b.deleteRange({ key: k('/p/'), rangeEnd: prefixEnd(k('/p/')) });
    t.same(batchEvents(await plain.until(6)), ['PUT /p/a=2 c2 m3 v2', 'PUT /p/b=1 c5 m5 v1', 'DELETE /p/a m6', 'DELETE /p/b m6']);
    t.same(batchEvents(await noPut.until(6)), ['DELETE /p/a m6', 'DELETE /p/b m6']);
    t.same(batchEvents(await noDelete.until(3)), ['PUT /p/a=2 c2 m3 v2 prev=1@2']);
    t.equal(await noDelete.quiet(), true, 'the delete is filtered out');
  });

  scenario(t, 'a multi-key txn arrives as one batch at one revision', open, async ({ t, b }) => {
    const r = new WatchReader(b.watch(everything));
    await b.txn({
      compare: [],
      success: [{ put: { key: k('t2'), value: k('b') } }, { put: { key: k('t1'), value: k('a') } }],
      failure: [],
    });
    const batch = await r.next();
    t.same(typeof batch === 'string' ? batch : { revision: batch.revision, events: batchEvents([batch]) }, {
      revision: 2,
      events: ['PUT t1=a c2 m2 v1', 'PUT t2=b c2 m2 v1'],
    });
  });

  scenario(t, 'replay from history then live: no gap, no duplicate, under concurrent writes', open, async ({ t, b, opts }) => {
    for (let i = 0; i < 30; i++) await putKey(b, `h/${i % 7}`, `v${i}`);
    // One revision larger than a history page: it must still arrive whole.
    await b.txn({
      compare: [],
      success: Array.from({ length: opts.watchPageSize + 2 }, (_, i) => ({ put: { key: k(`h/big${i}`), value: k('x') } })),
      failure: [],
    });
    const w = b.watch({ key: k('h/'), rangeEnd: prefixEnd(k('h/')), startRevision: 2 });
    t.equal(w.synced, false);
    const r = new WatchReader(w);
    const writer = (async () => {
      for (let i = 0; i < 30; i++) {
        await putKey(b, `h/live${i % 5}`, `w${i}`);
        await tick();
      }
    })();
    const batches = await r.until(62);
    await writer;
    const revisions = checkBatches(t, batches);
    t.same(revisions, Array.from({ length: 61 }, (_, i) => i + 2));
    t.equal(batches.flatMap((x) => x.events).length, 30 + opts.watchPageSize + 2 + 30);
    const big = batches.find((x) => x.events.some((e) => e.kv.modRevision === 32));
    t.equal(big?.events.filter((e) => e.kv.modRevision === 32).length, opts.watchPageSize + 2, 'revision 32 not split');
    t.equal(w.synced, true);
    t.equal(await r.quiet(), true, 'nothing after the last write');
  });

  scenario(t, 'watch start positions: compacted, equal to compact, future', open, async ({ t, b }) => {
    for (let i = 0; i < 6; i++) await putKey(b, 'k', `${i}`);
    await b.compact(5);
    t.throws(() => b.watch({ key: k('k'), startRevision: 4 }), {
      code: 'compacted',
      compactRevision: 5,
      message: storeErrors.compacted,
    });
    t.throws(() => b.watch({ key: k('k'), startRevision: -1 }), { code: 'compacted' });
    const atCompact = new WatchReader(b.watch({ key: k('k'), startRevision: 5, prevKv: true }));
    t.same(batchEvents(await atCompact.until(7)), ['PUT k=3 c2 m5 v4', 'PUT k=4 c2 m6 v5 prev=3@5', 'PUT k=5 c2 m7 v6 prev=4@6']);
    const future = new WatchReader(b.watch({ key: k('k'), startRevision: 10 }));
    t.equal(future.watch.synced, true);
    await putKey(b, 'k', 'a');
    await putKey(b, 'k', 'b');
    t.equal(await future.quiet(), true, 'revisions 8 and 9 are before the start');
    await putKey(b, 'k', 'c');
    t.same(batchEvents(await future.until(10)), ['PUT k=c c2 m10 v9']);
  });

  scenario(t, 'a slow watcher is ended without stalling the writer or other watchers', open, async ({ t, b, opts }) => {
    const slow = b.watch(everything);
    const fast = new WatchReader(b.watch(everything));
    const n = opts.watchQueueLimit + 10;
    const fastSeen: number[] = [];
    for (let i = 0; i < n; i++) {
      await putKey(b, `s${i}`, 'v');
      const batch = await fast.next();
      if (typeof batch !== 'string') fastSeen.push(batch.revision);
    }
    t.same(fastSeen, Array.from({ length: n }, (_, i) => i + 2));
    t.equal(slow.ended?.reason, 'slow');
    t.equal((await b.status()).revision, n + 1);
    const after = await new WatchReader(slow).next();
    t.equal(after, 'end', 'a slow watcher ends iteration at once');
  });

  scenario(t, 'one revision larger than the queue limit is still delivered whole', open, async ({ t, b, opts }) => {
    const idle = b.watch(everything);
    const n = opts.watchQueueLimit + 5;
    await b.txn({ compare: [], success: Array.from({ length: n }, (_, i) => ({ put: { key: k(`big${i}`), value: k('v') } })), failure: [] });
    t.equal(idle.ended, undefined);
    const batch = await new WatchReader(idle).next();
    t.same(typeof batch === 'string' ? batch : [batch.revision, batch.events.length], [2, n]);
  });

  scenario(t, 'a replay whose history is all filtered out still reaches live delivery', open, async ({ t, b }) => {
    for (let i = 0; i < 40; i++) await putKey(b, `f${i % 3}`, `${i}`);
    const r = new WatchReader(b.watch({ ...everything, startRevision: 2, noPut: true }));
    const first = r.next();
    await b.deleteRange({ key: k('f1') });
    const batch = await first;
    t.same(typeof batch === 'string' ? batch : batchEvents([batch]), ['DELETE f1 m42']);
    t.equal(r.watch.synced, true);
  });

  scenario(t, 'cancel ends a watch, and leaving a for-await loop cancels it', open, async ({ t, b }) => {
    const w = b.watch(everything);
    const r = new WatchReader(w);
    const pending = r.next();
    w.cancel();
    t.equal(await pending, 'end');
    t.same(w.ended, { reason: 'canceled' });
    const looped = b.watch(everything);
    await putKey(b, 'x', '1');
    for await (const batch of looped) {
      t.equal(batch.revision, 2);
      break;
    }
    t.same(looped.ended, { reason: 'canceled' });
  });

  scenario(t, 'close ends every watch with reason closed', open, async ({ t, b }) => {
    const live = b.watch(everything);
    const replaying = b.watch({ ...everything, startRevision: 1 });
    const r = new WatchReader(live);
    const pending = r.next();
    await b.close();
    t.equal(await pending, 'end');
    t.same(live.ended, { reason: 'closed' });
    t.same(replaying.ended, { reason: 'closed' });
  });
}

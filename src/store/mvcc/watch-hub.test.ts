import t from 'tap';
import { silentLogger } from '../../log/logger.js';
import type { KeyValue } from '../types.js';
import type { StoredChange } from './driver.js';
import { toEvent, WatchHub, type HistorySource } from './watch-hub.js';

const b = (s: string): Buffer => Buffer.from(s);
const put = (key: string, rev: number): StoredChange => ({
  kv: { key: b(key), createRevision: rev, modRevision: rev, version: 1, value: b('v'), lease: 0n },
  deleted: false,
  prev: undefined,
});

/** History of one put per revision 2..current on key "k<rev>". */
function history(current: number, fail = false): HistorySource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    currentRevision: () => current,
    compactRevision: () => 0,
    changes(_from, _to, fromRev, toRev, max) {
      if (fail) throw new Error('disk on fire');
      reads.push(`${fromRev}-${toRev}/${max}`);
      const out: StoredChange[] = [];
      for (let r = fromRev; r <= toRev && out.length < max; r++) out.push(put(`k${r}`, r));
      return out;
    },
  };
}

const all = { key: b('\0'), rangeEnd: b('\0') };

t.test('replay pages up to current, then live publishes continue without duplicates', async (t) => {
  const src = history(9);
  const hub = new WatchHub(src, { queueLimit: 10, pageSize: 3, logger: silentLogger });
  const w = hub.watch({ ...all, startRevision: 2 });
  const it = w[Symbol.asyncIterator]();
  const batches = [];
  for (let i = 0; i < 3; i++) {
    const r = await it.next();
    if (!r.done) batches.push([r.value.revision, r.value.events.map((e) => e.kv.modRevision)]);
  }
  t.same(batches, [
    [4, [2, 3, 4]],
    [7, [5, 6, 7]],
    [9, [8, 9]],
  ]);
  t.same(src.reads, ['2-9/3', '5-9/3', '8-9/3']);
  t.equal(w.synced, true);
  hub.publish(9, [put('k9', 9)]);
  hub.publish(10, [put('k10', 10)]);
  const next = await it.next();
  t.same(next.done ? null : next.value.revision, 10, 'revision 9 was not delivered twice');
});

t.test('a failing history read ends the watcher instead of throwing', async (t) => {
  const hub = new WatchHub(history(5, true), { queueLimit: 10, pageSize: 3, logger: silentLogger });
  const w = hub.watch({ ...all, startRevision: 2 });
  const r = await w[Symbol.asyncIterator]().next();
  t.equal(r.done, true);
  t.same(w.ended, { reason: 'slow', message: 'watch history read failed: disk on fire' });
  t.equal(hub.size, 0);
});

t.test('event shapes', async (t) => {
  const prev: KeyValue = { key: b('a'), createRevision: 2, modRevision: 3, version: 2, value: b('old'), lease: 5n };
  const del = toEvent({ kv: { ...prev, modRevision: 4, value: b('ignored') }, deleted: true, prev }, true);
  t.same(del, { type: 'DELETE', kv: { key: b('a'), createRevision: 0, modRevision: 4, version: 0, value: Buffer.alloc(0), lease: 0n }, prevKv: prev });
  t.same(toEvent({ kv: prev, deleted: true, prev }, false).prevKv, undefined);
  const created = toEvent({ kv: { ...prev, createRevision: 6, modRevision: 6, version: 1 }, deleted: false, prev }, true);
  t.equal(created.prevKv, undefined, 'never a prevKv for a create');
});

import t, { type Test } from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MvccStore } from '../mvcc/store.js';
import type { WatchBatch } from '../types.js';
import { SqliteDriver } from './driver.js';

// Group commit over SQLite: writes of one event-loop turn share a COMMIT.

interface Rig {
  store: MvccStore;
  driver: SqliteDriver;
  /** COMMITs of batches so far. */
  commits(): number;
  path: string;
}

function rig(t: Test, commitBatchSize?: number): Rig {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-group-commit-'));
  const path = join(dir, 'state.db');
  const driver = new SqliteDriver(path);
  let commits = 0;
  const commitBatch = driver.commitBatch.bind(driver);
  driver.commitBatch = () => {
    commits++;
    commitBatch();
  };
  const store = new MvccStore(driver, commitBatchSize === undefined ? {} : { commitBatchSize });
  t.teardown(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, driver, commits: () => commits, path };
}

const key = (s: string): Buffer => Buffer.from(s);
const val = (s: string): Buffer => Buffer.from(s);

t.test('concurrent writes share one COMMIT and get revisions in arrival order', async (t) => {
  const r = rig(t);
  const puts = Array.from({ length: 20 }, (_, i) => r.store.put({ key: key(`/k/${i}`), value: val(`v${i}`) }));
  const created = r.store.create(key('/c'), val('c'));
  const results = await Promise.all(puts);
  t.same(
    results.map((p) => p.revision),
    Array.from({ length: 20 }, (_, i) => i + 2),
  );
  t.equal((await created).revision, 22);
  t.equal(r.commits(), 1, 'one COMMIT for the batch');
  const { kvs } = await r.store.range({ key: key('/k/'), rangeEnd: key('/k0') });
  t.equal(kvs.length, 20);
});

t.test('a full batch commits at once; the rest go in the next', async (t) => {
  const r = rig(t, 8);
  await Promise.all(Array.from({ length: 20 }, (_, i) => r.store.put({ key: key(`/k/${i}`), value: val('v') })));
  t.equal(r.commits(), 3);
  t.equal((await r.store.status()).revision, 21);
});

t.test('a write that fails inside a batch is rolled back alone', async (t) => {
  const r = rig(t);
  // Fail the middle write after its rows are in, so only its SAVEPOINT can undo them.
  const append = r.driver.append.bind(r.driver);
  r.driver.append = (revision, changes) => {
    append(revision, changes);
    if (changes.some((c) => c.kv.key.toString() === '/bad')) throw new Error('injected failure');
  };
  const first = r.store.put({ key: key('/a'), value: val('1') });
  const bad = r.store.put({ key: key('/bad'), value: val('x') });
  const badTxn = r.store.txn({
    compare: [],
    success: [{ put: { key: key('/b'), value: val('2') } }, { put: { key: key('/bad'), value: val('y') } }],
    failure: [],
  });
  const last = r.store.put({ key: key('/c'), value: val('3') });
  await t.rejects(bad, /injected failure/);
  await t.rejects(badTxn, /injected failure/);
  t.equal((await first).revision, 2);
  t.equal((await last).revision, 3, 'the revision after a failed write is not skipped');
  t.equal(r.commits(), 1);
  const { kvs } = await r.store.range({ key: key('/'), rangeEnd: key('0') });
  t.same(
    kvs.map((kv) => [kv.key.toString(), kv.modRevision]),
    [
      ['/a', 2],
      ['/c', 3],
    ],
  );
});

t.test('watchers get a batch only after its COMMIT, in revision order', async (t) => {
  const r = rig(t);
  const w = r.store.watch({ key: key('/w/'), rangeEnd: key('/w0') });
  const puts = Array.from({ length: 10 }, (_, i) => r.store.put({ key: key(`/w/${i}`), value: val(`${i}`) }));
  t.same(w.takeQueued(), [], 'nothing delivered while the batch is open');
  const late = r.store.watch({ key: key('/w/'), rangeEnd: key('/w0') });
  await Promise.all(puts);
  const seen = (batches: WatchBatch[]): number[] => batches.flatMap((b) => b.events.map((e) => e.kv.modRevision));
  t.same(seen(w.takeQueued()), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  t.same(seen(late.takeQueued()), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 'a watch made while the batch was open starts at the committed revision');
  w.cancel();
  late.cancel();
});

t.test('reads and status see only committed state: they commit the open batch first', async (t) => {
  const r = rig(t);
  const w = r.store.watch({ key: key('/r') });
  const put = r.store.put({ key: key('/r'), value: val('1') });
  const got = await r.store.range({ key: key('/r') });
  t.equal(got.kvs[0]?.modRevision, 2, 'the read waited for nothing: the batch was committed for it');
  t.equal(r.commits(), 1);
  t.equal(w.takeQueued().length, 1, 'and published');
  t.equal((await put).revision, 2);
  const put2 = r.store.put({ key: key('/r'), value: val('2') });
  t.equal((await r.store.status()).revision, 3);
  t.equal(r.commits(), 2);
  await put2;
  w.cancel();
});

t.test('closing commits the open batch; its writes are acknowledged and on disk', async (t) => {
  const r = rig(t);
  const puts = Array.from({ length: 5 }, (_, i) => r.store.put({ key: key(`/z/${i}`), value: val('v') }));
  await r.store.close();
  t.same(
    (await Promise.all(puts)).map((p) => p.revision),
    [2, 3, 4, 5, 6],
  );
  const reopened = new SqliteDriver(r.path);
  t.equal(reopened.currentRevision(), 6);
  reopened.close();
});

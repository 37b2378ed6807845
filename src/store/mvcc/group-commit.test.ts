import t from 'tap';
import type { StoredChange } from './driver.js';
import { GroupCommit, type BatchingDriver } from './group-commit.js';

// GroupCommit's bookkeeping over a scripted driver (the SQLite side is in
// sqlite/group-commit.test.ts).

function fakeDriver(): BatchingDriver & { revision: number; open: boolean; failNext: boolean; log: string[] } {
  const d = {
    revision: 1,
    open: false,
    failNext: false,
    log: [] as string[],
    currentRevision: () => d.revision,
    openBatch: () => {
      d.open = true;
      d.log.push('open');
    },
    commitBatch: () => {
      d.open = false;
      if (d.failNext) {
        d.failNext = false;
        d.log.push('rollback');
        throw new Error('commit failed');
      }
      d.log.push('commit');
    },
  };
  return d;
}

const change = (revision: number): StoredChange[] => [
  { kv: { key: Buffer.from('k'), createRevision: 2, modRevision: revision, version: 1, value: Buffer.alloc(0), lease: 0n }, deleted: false, prev: undefined },
];

t.test('writes resolve after the COMMIT; publishing follows it, in order', async (t) => {
  const d = fakeDriver();
  const published: number[] = [];
  const gc = new GroupCommit(d, (revision) => published.push(revision), 100);
  const write = (): Promise<number> =>
    gc.run(() => {
      const revision = ++d.revision;
      return { result: revision, revision, changes: change(revision) };
    });
  const a = write();
  const b = write();
  const readOnly = gc.run(() => ({ result: 'read', revision: 0, changes: [] }));
  t.equal(gc.committedRevision(), 1, 'open batch: committed revision unchanged');
  t.same(published, []);
  t.same(await Promise.all([a, b, readOnly]), [2, 3, 'read']);
  t.same(d.log, ['open', 'commit']);
  t.same(published, [2, 3]);
  t.equal(gc.committedRevision(), 3);
});

t.test('a throwing write rejects alone; a failed COMMIT rejects the batch and publishes nothing', async (t) => {
  const d = fakeDriver();
  const published: number[] = [];
  const gc = new GroupCommit(d, (revision) => published.push(revision), 100);
  const ok = gc.run(() => ({ result: 1, revision: 2, changes: change(2) }));
  const bad = gc.run((): never => {
    throw new Error('no');
  });
  await t.rejects(bad, /no/);
  t.equal(await ok, 1);
  d.failNext = true;
  const lost = gc.run(() => ({ result: 1, revision: 3, changes: change(3) }));
  await t.rejects(lost, /commit failed/);
  t.same(published, [2]);
  t.same(d.log, ['open', 'commit', 'open', 'rollback']);
});

t.test('commit() with no batch open does nothing; a full batch commits at once', async (t) => {
  const d = fakeDriver();
  const gc = new GroupCommit(d, () => undefined, 2);
  gc.commit();
  t.same(d.log, []);
  const writes = [1, 2, 3].map((n) => gc.run(() => ({ result: n, revision: 0, changes: [] })));
  t.same(d.log, ['open', 'commit', 'open'], 'the third write opened a second batch');
  t.same(await Promise.all(writes), [1, 2, 3]);
  t.same(d.log, ['open', 'commit', 'open', 'commit']);
});

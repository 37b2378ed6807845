import t from 'tap';
import type { KeyValue } from '../types.js';
import { MemoryDriver } from './driver.js';

const b = (s: string): Buffer => Buffer.from(s);
const kv = (key: string, value: string, rev: number, createRevision = rev, version = 1, lease = 0n): KeyValue => ({
  key: b(key),
  createRevision,
  modRevision: rev,
  version,
  value: b(value),
  lease,
});
const tomb = (key: string, rev: number): KeyValue => ({ key: b(key), createRevision: 0, modRevision: rev, version: 0, value: Buffer.alloc(0), lease: 0n });
const show = (kvs: KeyValue[]) => kvs.map((x) => `${x.key.toString()}=${x.value.toString()}@${x.modRevision}`);

/** a@2, b@3 (lease 9), a@4, delete b@5, c@6 */
function seeded(): MemoryDriver {
  const d = new MemoryDriver();
  d.write(() => d.putLease({ id: 9n, grantedTtl: 10, expiresAt: 1 }));
  d.write(() => d.append(2, [{ kv: kv('a', '1', 2), deleted: false }]));
  d.write(() => d.append(3, [{ kv: kv('b', '1', 3, 3, 1, 9n), deleted: false }]));
  d.write(() => d.append(4, [{ kv: kv('a', '2', 4, 2, 2), deleted: false }]));
  d.write(() => d.append(5, [{ kv: tomb('b', 5), deleted: true }]));
  d.write(() => d.append(6, [{ kv: kv('c', '1', 6), deleted: false }]));
  return d;
}

t.test('a throw inside write() rolls everything back', async (t) => {
  const d = seeded();
  const before = {
    rev: d.currentRevision(),
    all: show(d.range(b('\0'), null, 6, 0, false)),
    changes: d.changes(b('\0'), null, 2, 6, 100).length,
    leases: d.allLeases(),
    size: d.size(),
  };
  t.throws(() =>
    d.write(() => {
      d.append(7, [
        { kv: kv('new', 'x', 7, 7, 1, 9n), deleted: false },
        { kv: kv('a', '3', 7, 2, 3), deleted: false },
        { kv: tomb('c', 7), deleted: true },
      ]);
      d.putLease({ id: 9n, grantedTtl: 99, expiresAt: 2 });
      d.putLease({ id: 10n, grantedTtl: 5, expiresAt: 3 });
      throw new Error('boom');
    }),
  );
  t.equal(d.currentRevision(), before.rev);
  t.same(show(d.range(b('\0'), null, 6, 0, false)), before.all);
  t.equal(d.get(b('new')), undefined);
  t.same(d.keysWithLease(9n), []);
  t.equal(d.changes(b('\0'), null, 2, 7, 100).length, before.changes);
  t.same(d.allLeases(), before.leases);
  t.same(d.size(), before.size);
  d.write(() => d.append(7, [{ kv: kv('z', '1', 7), deleted: false }]));
  t.equal(d.currentRevision(), 7, 'the next write gets the revision the failed one would have had');
});

t.test('range and count at any revision; lease index follows the latest version', async (t) => {
  const d = seeded();
  t.same(show(d.range(b('\0'), null, 3, 0, false)), ['a=1@2', 'b=1@3']);
  t.same(show(d.range(b('\0'), null, 6, 0, false)), ['a=2@4', 'c=1@6']);
  t.same(show(d.range(b('a'), b('c'), 4, 1, false)), ['a=2@4']);
  t.equal(d.count(b('\0'), null, 4), 2);
  t.equal(d.count(b('\0'), null, 5), 1);
  t.equal(d.range(b('a'), null, 6, 0, true)[0]?.value.length, 0);
  t.same(d.keysWithLease(9n), [], 'b was deleted');
});

t.test('changes come in whole revisions with the previous version', async (t) => {
  const d = seeded();
  d.write(() => d.append(7, [{ kv: kv('x', '1', 7), deleted: false }, { kv: kv('y', '1', 7), deleted: false }]));
  const page = d.changes(b('\0'), null, 4, 7, 3);
  t.same(page.map((c) => `${c.kv.key.toString()}@${c.kv.modRevision}${c.deleted ? ' del' : ''} prev=${c.prev ? c.prev.value.toString() + '@' + c.prev.modRevision : '-'}`), [
    'a@4 prev=1@2',
    'b@5 del prev=1@3',
    'c@6 prev=-',
  ]);
  t.equal(d.changes(b('\0'), null, 7, 7, 1).length, 2, 'a revision is never split');
  t.same(d.changes(b('b'), b('c'), 2, 7, 100).map((c) => c.kv.modRevision), [3, 5]);
});

t.test('compaction keeps the latest live version at or below the target', async (t) => {
  const d = seeded();
  t.equal(d.compactStep(5, 2), 2);
  t.equal(d.compactStep(5, 2), 4);
  t.equal(d.compactStep(5, 2), 5);
  t.equal(d.compactRevision(), 5);
  t.same(show(d.range(b('\0'), null, 5, 0, false)), ['a=2@4']);
  t.same(d.changes(b('\0'), null, 5, 6, 100).map((c) => `${c.kv.key.toString()}@${c.kv.modRevision}`), ['c@6'], 'the delete at 5 is gone');
  t.equal(d.compactStep(5, 2), 5, 'nothing left to do');
});

t.test('append outside write() and writes after close are refused', async (t) => {
  const d = seeded();
  t.throws(() => d.append(7, []), /inside write/);
  t.throws(() => d.write(() => d.append(9, [])), /expected 7/);
  d.close();
  t.throws(() => d.write(() => 1), { code: 'closed' });
});

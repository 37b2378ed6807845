import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyValue } from '../types.js';
import type { Change } from '../mvcc/driver.js';
import { openSqliteDriver } from './index.js';
import type { SqliteDriver } from './driver.js';
import { unpackRange } from './statements.js';

/** The part of a tap test the helpers need. */
interface Scope {
  teardown(fn: () => void): void;
}

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

function tempDb(t: Scope): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-sqlite-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'state.db');
}

function open(t: Scope, path = tempDb(t)): SqliteDriver {
  const driver = openSqliteDriver(path);
  t.teardown(() => driver.close());
  return driver;
}

type Op = { put: string; value?: string; lease?: bigint } | { del: string };

/** Writes ops as one revision the way the MVCC layer would; returns the revision. */
function commit(d: SqliteDriver, ...ops: Op[]): number {
  return d.write(() => {
    const revision = d.currentRevision() + 1;
    const changes: Change[] = ops.map((op) => {
      if ('del' in op) return { deleted: true, kv: { key: b(op.del), createRevision: 0, modRevision: revision, version: 0, value: Buffer.alloc(0), lease: 0n } };
      const old = d.get(b(op.put));
      const kv: KeyValue = {
        key: b(op.put),
        createRevision: old?.createRevision ?? revision,
        modRevision: revision,
        version: (old?.version ?? 0) + 1,
        value: b(op.value ?? `${op.put}@${revision}`),
        lease: op.lease ?? 0n,
      };
      return { deleted: false, kv };
    });
    d.append(revision, changes);
    return revision;
  });
}

const keys = (kvs: KeyValue[]): string[] => kvs.map((kv) => kv.key.toString('latin1'));

t.test('a fresh store is at revision 1, never compacted', async (t) => {
  const d = open(t);
  t.equal(d.currentRevision(), 1);
  t.equal(d.compactRevision(), 0);
  t.same(d.range(b(''), null, 1, 0, false), []);
  t.equal(d.count(b(''), null, 1), 0);
});

t.test('append, get, versions and create revisions', async (t) => {
  const d = open(t);
  t.equal(commit(d, { put: 'a', value: 'one' }), 2);
  t.equal(commit(d, { put: 'a', value: 'two' }, { put: 'b' }), 3);
  const a = d.get(b('a'));
  t.match(a, { createRevision: 2, modRevision: 3, version: 2, lease: 0n });
  t.equal(a?.value.toString(), 'two');
  t.equal(commit(d, { del: 'a' }), 4);
  t.equal(d.get(b('a')), undefined);
  commit(d, { put: 'a', value: 'again' });
  t.match(d.get(b('a')), { createRevision: 5, modRevision: 5, version: 1 });
  t.equal(commit(d, { put: 'empty', value: '' }), 6);
  t.same(d.get(b('empty'))?.value, Buffer.alloc(0), 'an empty value round-trips as an empty Buffer');
});

t.test('keys are raw bytes in memcmp order, including \\x00 and \\xff', async (t) => {
  const d = open(t);
  const all = ['/a', '/a\x00', '/a/b', '/a\xff', '/b', '\xff\xff', 'A', 'a'];
  commit(d, ...all.map((k) => ({ put: k })));
  const sorted = [...all].sort((x, y) => Buffer.compare(b(x), b(y)));
  t.same(keys(d.range(b('\x00'), null, d.currentRevision(), 0, false)), sorted.filter((k) => k >= '\x00'));
  t.same(keys(d.range(b('/a'), b('/b'), d.currentRevision(), 0, false)), ['/a', '/a\x00', '/a/b', '/a\xff']);
  t.same(keys(d.range(b('/a'), b('/a0'), d.currentRevision(), 0, true)), ['/a', '/a\x00', '/a/b']);
  t.same(keys(d.range(b('\xff'), null, d.currentRevision(), 0, false)), ['\xff\xff']);
  t.equal(d.count(b('/a'), b('/b'), d.currentRevision()), 4);
});

t.test('range at current and historical revisions, with limit and keysOnly', async (t) => {
  const d = open(t);
  commit(d, { put: '/k/1' }, { put: '/k/2' }); // 2
  commit(d, { put: '/k/3' }); // 3
  commit(d, { put: '/k/1', value: 'new' }); // 4
  commit(d, { del: '/k/2' }); // 5
  commit(d, { put: '/k/2', value: 'reborn' }); // 6
  const from = b('/k/');
  const to = b('/k0');
  const at = (rev: number) => d.range(from, to, rev, 0, false).map((kv) => `${kv.key.toString()}=${kv.value.toString()}@${kv.modRevision}v${kv.version}`);
  t.same(at(1), []);
  t.same(at(2), ['/k/1=/k/1@2@2v1', '/k/2=/k/2@2@2v1']);
  t.same(at(3), ['/k/1=/k/1@2@2v1', '/k/2=/k/2@2@2v1', '/k/3=/k/3@3@3v1']);
  t.same(at(4), ['/k/1=new@4v2', '/k/2=/k/2@2@2v1', '/k/3=/k/3@3@3v1']);
  t.same(at(5), ['/k/1=new@4v2', '/k/3=/k/3@3@3v1']);
  t.same(at(6), ['/k/1=new@4v2', '/k/2=reborn@6v1', '/k/3=/k/3@3@3v1']);
  t.same([1, 2, 3, 4, 5, 6].map((r) => d.count(from, to, r)), [0, 2, 3, 3, 2, 3]);
  t.same(keys(d.range(from, to, 6, 2, false)), ['/k/1', '/k/2'], 'limit at the current revision');
  t.same(keys(d.range(from, to, 5, 1, false)), ['/k/1'], 'limit at a historical revision');
  t.same(keys(d.range(from, null, 4, 2, false)), ['/k/1', '/k/2']);
  const [k1] = d.range(from, to, 4, 1, true);
  t.match(k1, { createRevision: 2, modRevision: 4, version: 2, lease: 0n }, 'keysOnly keeps revisions and version');
  t.equal(k1?.value.length, 0, 'keysOnly leaves the value empty');
  t.equal(d.range(from, to, 3, 1, true)[0]?.value.length, 0);
});

t.test('changes() carries each change with the previous version, whole revisions at a time', async (t) => {
  const d = open(t);
  commit(d, { put: 'x', value: 'x1' }); // 2
  commit(d, { put: 'x', value: 'x2' }, { put: 'y', value: 'y1' }, { put: 'w', value: 'w1' }); // 3
  commit(d, { del: 'x' }); // 4
  commit(d, { put: 'x', value: 'x3' }); // 5
  commit(d, { put: 'z', value: 'z1', lease: 7n }); // 6
  const all = d.changes(b(''), null, 2, 6, 0);
  t.same(
    all.map((c) => `${c.kv.modRevision}:${c.deleted ? 'DEL' : 'PUT'} ${c.kv.key.toString()}=${c.kv.value.toString()} prev=${c.prev ? `${c.prev.value.toString()}@${c.prev.modRevision}` : '-'}`),
    ['2:PUT x=x1 prev=-', '3:PUT w=w1 prev=-', '3:PUT x=x2 prev=x1@2', '3:PUT y=y1 prev=-', '4:DEL x= prev=x2@3', '5:PUT x=x3 prev=-', '6:PUT z=z1 prev=-'],
  );
  t.match(all[4], { kv: { createRevision: 0, version: 0, lease: 0n }, prev: { createRevision: 2, version: 2 } }, 'a deletion carries only its key');
  t.equal(all[6]?.kv.lease, 7n);
  t.same(d.changes(b('x'), b('y'), 3, 5, 0).map((c) => c.kv.modRevision), [3, 4, 5], 'key range and revision bounds');
  t.same(d.changes(b('w'), null, 2, 3, 0).length, 4);
  t.same(d.changes(b(''), null, 2, 6, 2).map((c) => c.kv.modRevision), [2, 3, 3, 3], 'stops after the revision in which the limit is reached');
  t.same(d.changes(b(''), null, 2, 6, 1).map((c) => c.kv.modRevision), [2]);
  t.same(d.changes(b(''), null, 7, 9, 10), []);
});

t.test('compactStep keeps the latest version <= target of live keys and drops the rest', async (t) => {
  const d = open(t);
  commit(d, { put: 'a' }, { put: 'b' }); // 2
  commit(d, { put: 'a' }); // 3
  commit(d, { del: 'b' }); // 4
  commit(d, { put: 'c' }); // 5
  commit(d, { put: 'a' }); // 6
  commit(d, { put: 'b' }); // 7
  const before = d.range(b(''), null, 5, 0, false);
  t.equal(d.compactStep(5, 2), 2, 'one batch at a time');
  t.equal(d.compactRevision(), 2, 'progress is recorded with each step');
  t.equal(d.compactStep(5, 2), 4);
  t.equal(d.compactStep(5, 2), 5);
  t.equal(d.compactStep(5, 2), 5, 'done: nothing more to do');
  t.equal(d.compactRevision(), 5);
  t.same(d.range(b(''), null, 5, 0, false), before, 'the view at the compact revision is intact');
  t.same(d.count(b(''), null, 5), 2);
  t.same(keys(d.range(b(''), null, 7, 0, false)), ['a', 'b', 'c']);
  const history = d.changes(b(''), null, 0, 7, 0).map((c) => `${c.kv.key.toString()}@${c.kv.modRevision}`);
  t.same(history, ['a@3', 'c@5', 'a@6', 'b@7'], 'superseded versions and deletions at or below 5 are gone');
  t.same(d.changes(b(''), null, 6, 7, 0).map((c) => c.prev?.modRevision), [3, undefined], 'prev of the first change after the target survives');
  t.equal(d.compactStep(7, 1000), 7);
  t.same(d.changes(b(''), null, 0, 7, 0).map((c) => `${c.kv.key.toString()}@${c.kv.modRevision}`), ['c@5', 'a@6', 'b@7']);
  t.throws(() => d.compactStep(8, 10), { name: 'StoreError', code: 'future-revision' });
});

t.test('leases: int64 ids round-trip exactly, keys attach to leases', async (t) => {
  const d = open(t);
  const big = 2324035541763533864n;
  const max = 9223372036854775807n;
  d.putLease({ id: big, grantedTtl: 30, expiresAt: 1_800_000_000_123 });
  d.putLease({ id: max, grantedTtl: 5, expiresAt: 1 });
  d.putLease({ id: 1n, grantedTtl: 10, expiresAt: 2 });
  t.same(d.getLease(big), { id: big, grantedTtl: 30, expiresAt: 1_800_000_000_123 });
  t.equal(d.getLease(big + 1n), undefined);
  t.same(d.allLeases().map((l) => l.id), [1n, big, max]);
  d.putLease({ id: big, grantedTtl: 30, expiresAt: 1_800_000_009_999 });
  t.equal(d.getLease(big)?.expiresAt, 1_800_000_009_999, 'putLease replaces');
  commit(d, { put: '/l/1', lease: big }, { put: '/l/2', lease: big }, { put: '/l/3', lease: max });
  t.equal(d.get(b('/l/1'))?.lease, big);
  t.same(keys(d.range(b('/l/'), null, d.currentRevision(), 0, true)).length, 3);
  t.same(d.range(b('/l/'), null, d.currentRevision(), 0, false).map((kv) => kv.lease), [big, big, max]);
  t.same(d.keysWithLease(big).map((k) => k.toString()), ['/l/1', '/l/2']);
  commit(d, { put: '/l/2' });
  commit(d, { del: '/l/3' });
  t.same(d.keysWithLease(big).map((k) => k.toString()), ['/l/1'], 'a put without the lease detaches it');
  t.same(d.keysWithLease(max), [], 'deleted keys leave the lease');
  t.same(d.changes(b('/l/1'), null, 0, 99, 1)[0]?.kv.lease, big);
  d.deleteLease(big);
  t.equal(d.getLease(big), undefined);
});

t.test('revision, compact revision, data and leases persist across reopen', async (t) => {
  const path = tempDb(t);
  const d1 = openSqliteDriver(path);
  commit(d1, { put: 'a', lease: 2324035541763533864n });
  commit(d1, { put: 'a' }, { put: 'b' });
  commit(d1, { del: 'b' });
  d1.putLease({ id: 2324035541763533864n, grantedTtl: 60, expiresAt: 1_900_000_000_000 });
  d1.compactStep(3, 100);
  d1.close();
  const d2 = open(t, path);
  t.equal(d2.currentRevision(), 4);
  t.equal(d2.compactRevision(), 3);
  t.match(d2.get(b('a')), { version: 2, createRevision: 2, modRevision: 3 });
  t.same(d2.allLeases(), [{ id: 2324035541763533864n, grantedTtl: 60, expiresAt: 1_900_000_000_000 }]);
  t.equal(commit(d2, { put: 'c' }), 5, 'the next write continues the revision sequence');
});

t.test('write() is atomic and append() checks its preconditions', async (t) => {
  const d = open(t);
  commit(d, { put: 'a', value: 'kept' });
  t.throws(() =>
    d.write(() => {
      commit(d, { put: 'a', value: 'lost' }, { put: 'b' });
      throw new Error('boom');
    }),
  /boom/);
  t.equal(d.currentRevision(), 2, 'the revision rolled back');
  t.equal(d.get(b('a'))?.value.toString(), 'kept');
  t.equal(d.get(b('b')), undefined);
  t.throws(() => d.append(3, []), /inside write/);
  t.throws(() => d.write(() => d.append(5, [])), /does not follow/);
  t.equal(commit(d, { put: 'b' }), 3);
});

t.test('compactStep bounds a step by rows too, but never splits a revision', async (t) => {
  const d = open(t);
  for (let i = 0; i < 4; i++) commit(d, { put: `single/${i}` }); // 2..5
  commit(d, ...Array.from({ length: 10 }, (_, i) => ({ put: `wide/${i}` }))); // 6: ten rows
  commit(d, ...Array.from({ length: 10 }, (_, i) => ({ put: `wide/${i}` }))); // 7: supersedes them
  commit(d, { put: 'single/0' }); // 8
  const steps: number[] = [];
  while (d.compactRevision() < 8) steps.push(d.compactStep(8, 3));
  // Revision 1 has no rows: (0, 3] holds 2 rows; (3, 5]; then 6 and 7 alone (10 rows each); then 8.
  t.same(steps, [3, 5, 6, 7, 8]);
  t.equal(d.count(b(''), null, 8), 14);
  t.same(d.changes(b('wide/'), b('wide0'), 0, 8, 0).map((c) => c.kv.modRevision), Array(10).fill(7), 'revision 6 was superseded at 7');
});

t.test('current-revision ranges: binary and empty values, ranges longer than one read', async (t) => {
  const d = open(t);
  const values = ['', '\x00', '\x00\x00x', '\xff\xfe\x80', 'plain', '\x00\xff'.repeat(300)];
  commit(d, ...values.map((v, i) => ({ put: `/v/${i}`, value: v })));
  const got = d.range(b('/v/'), b('/v0'), d.currentRevision(), 0, false);
  t.same(got.map((kv) => kv.value.toString('latin1')), values, 'values come back byte for byte');
  t.same(d.get(b('/v/2'))?.value.toString('latin1'), '\x00\x00x');

  const n = 5000;
  commit(d, ...Array.from({ length: n }, (_, i) => ({ put: `/many/${String(i).padStart(5, '0')}`, value: `v${i}` })));
  const all = d.range(b('/many/'), b('/many0'), d.currentRevision(), 0, false);
  t.equal(all.length, n, 'every key of a range over several reads');
  t.ok(all.every((kv, i) => kv.key.toString() === `/many/${String(i).padStart(5, '0')}` && kv.value.toString() === `v${i}`), 'in key order, each with its value');
  for (const limit of [1, 2047, 2048, 2049, 4096, 4999, 5000, 6000]) {
    const some = d.range(b('/many/'), b('/many0'), d.currentRevision(), limit, false);
    t.equal(some.length, Math.min(limit, n), `limit ${limit}`);
    t.equal(some.at(-1)?.key.toString(), `/many/${String(Math.min(limit, n) - 1).padStart(5, '0')}`);
  }
});

t.test('unpackRange puts rows an aggregate yielded out of order back in key order', async (t) => {
  const rows = [
    ['/b', 'B', 7, 3, 2, '0'],
    ['/a', '', 5, 5, 1, '9223372036854775807'],
    ['/c', 'CC', 9, 9, 1, '12'],
    ['/d', 'D', 9007199254740991, 1, 12345, '-9223372036854775808'],
  ] as const;
  const bytes = Buffer.concat(rows.flatMap(([k, v]) => [b(k), b(v)]));
  const fields = rows.map(([k, v, rev, create, version, lease]) => [k.length, v.length, rev, create, version, lease].join(',')).join(',');
  const out: KeyValue[] = [];
  t.equal(unpackRange([bytes, fields], out), 4);
  t.same(
    out.map((kv) => [kv.key.toString(), kv.value.toString(), kv.modRevision, kv.createRevision, kv.version, kv.lease]),
    [
      ['/a', '', 5, 5, 1, 9223372036854775807n],
      ['/b', 'B', 7, 3, 2, 0n],
      ['/c', 'CC', 9, 9, 1, 12n],
      ['/d', 'D', 9007199254740991, 1, 12345, -9223372036854775808n],
    ],
  );
  t.equal(unpackRange([null, null], out), 0, 'no rows');
});

import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyValue } from '../types.js';
import type { Change } from '../mvcc/driver.js';
import { openSqliteDriver } from './index.js';

// Random writes and compactions checked against a naive model that keeps
// every version in a list: range, count and changes must agree at every
// revision the store still serves.

interface Version {
  kv: KeyValue;
  deleted: boolean;
}

/** Deterministic PRNG (mulberry32) so a failure replays. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const keySpace = ['', '\x00', '/a', '/a\x00', '/a/b', '/a/c', '/a\xff', '/b', '/b/x', 'z', '\xff', '\xff\xff'].slice(1).map((k) => Buffer.from(k, 'latin1'));
const bounds: [Buffer, Buffer | null][] = [
  [Buffer.from('\x00', 'latin1'), null],
  [Buffer.from('/a', 'latin1'), Buffer.from('/b', 'latin1')],
  [Buffer.from('/a/', 'latin1'), Buffer.from('/a0', 'latin1')],
  [Buffer.from('/a\xff', 'latin1'), null],
  [Buffer.from('/b', 'latin1'), Buffer.from('z', 'latin1')],
];
const inRange = (key: Buffer, from: Buffer, to: Buffer | null): boolean =>
  Buffer.compare(key, from) >= 0 && (to === null || Buffer.compare(key, to) < 0);

/** The model's view: live keys in range at `revision`, in key order. */
function modelRange(log: Version[], from: Buffer, to: Buffer | null, revision: number): KeyValue[] {
  const latest = new Map<string, Version>();
  for (const v of log) if (v.kv.modRevision <= revision) latest.set(v.kv.key.toString('hex'), v);
  return [...latest.values()]
    .filter((v) => !v.deleted && inRange(v.kv.key, from, to))
    .map((v) => v.kv)
    .sort((x, y) => Buffer.compare(x.key, y.key));
}

const show = (kvs: readonly KeyValue[]): string[] =>
  kvs.map((kv) => `${kv.key.toString('hex')} c${kv.createRevision} m${kv.modRevision} v${kv.version} l${kv.lease} ${kv.value.toString('hex')}`);

for (const seed of [1, 2, 3]) {
  t.test(`random writes and compactions agree with the model (seed ${seed})`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'tsk8s-sqlite-model-'));
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const d = openSqliteDriver(join(dir, 'state.db'));
    t.teardown(() => d.close());
    const random = rng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
    const log: Version[] = [];
    let mismatches = 0;

    for (let step = 0; step < 400; step++) {
      const revision = d.currentRevision() + 1;
      const touched = new Set<string>();
      const changes: Change[] = [];
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
        const key = pick(keySpace);
        if (touched.has(key.toString('hex'))) continue;
        touched.add(key.toString('hex'));
        const old = d.get(key);
        if (old !== undefined && random() < 0.3) {
          changes.push({ deleted: true, kv: { key, createRevision: 0, modRevision: revision, version: 0, value: Buffer.alloc(0), lease: 0n } });
          continue;
        }
        const lease = random() < 0.2 ? BigInt(Math.floor(random() * 3)) << 60n : 0n;
        const value = Buffer.from(Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256)));
        changes.push({
          deleted: false,
          kv: { key, createRevision: old?.createRevision ?? revision, modRevision: revision, version: (old?.version ?? 0) + 1, value, lease },
        });
      }
      d.write(() => d.append(revision, changes));
      log.push(...changes.map((c) => ({ kv: c.kv, deleted: c.deleted })));

      if (random() < 0.05) {
        const target = d.compactRevision() + Math.floor(random() * (d.currentRevision() - d.compactRevision() + 1));
        const batch = 1 + Math.floor(random() * 20);
        while (d.compactStep(target, batch) < target);
        d.afterCompaction();
      }

      if (step % 20 !== 19) continue;
      const current = d.currentRevision();
      for (let rev = Math.max(1, d.compactRevision()); rev <= current; rev++) {
        for (const [from, to] of bounds) {
          const want = modelRange(log, from, to, rev);
          if (show(d.range(from, to, rev, 0, false)).join() !== show(want).join()) mismatches++;
          if (d.count(from, to, rev) !== want.length) mismatches++;
          const limited = d.range(from, to, rev, 2, true);
          if (limited.map((kv) => kv.key.toString('hex')).join() !== want.slice(0, 2).map((kv) => kv.key.toString('hex')).join()) mismatches++;
        }
      }
      // Every change after the compact revision is there, with its previous version.
      const after = d.changes(Buffer.alloc(0), null, d.compactRevision() + 1, current, 0);
      const wantAfter = log
        .filter((v) => v.kv.modRevision > d.compactRevision())
        .sort((x, y) => x.kv.modRevision - y.kv.modRevision || Buffer.compare(x.kv.key, y.kv.key));
      t.same(show(after.map((c) => c.kv)), show(wantAfter.map((v) => v.kv)), `changes after ${d.compactRevision()} at step ${step}`);
      const prevOk = after.every((c) => {
        const before = modelRange(log, c.kv.key, null, c.kv.modRevision - 1).find((kv) => kv.key.equals(c.kv.key));
        return show(c.prev === undefined ? [] : [c.prev]).join() === show(before === undefined ? [] : [before]).join();
      });
      t.ok(prevOk, `prev versions at step ${step}`);
    }
    t.equal(mismatches, 0, 'range, count and limited keys-only range match the model at every served revision');
    t.ok(d.compactRevision() > 1, 'the run compacted');
  });
}

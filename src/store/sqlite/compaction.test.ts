import t from 'tap';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Change } from '../mvcc/driver.js';
import { openSqliteDriver } from './index.js';
import type { SqliteDriver } from './driver.js';

// Compaction as a behaviour: steps stay short on a long history, and under
// churn the database file stays bounded because freed pages are reused or
// returned to the filesystem.

// Hundreds of thousands of revisions written to disk: on a busy machine this
// file needs longer than the suite's default timeout (no speed is asserted).
t.setTimeout(300_000);

/** kine's default batch (revisions per transaction); MVCC's compactor shrinks it when steps run slow. */
const batch = 1000;

function tempDb(t: { teardown(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-sqlite-compact-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'state.db');
}

/** Bytes on disk: the database file plus its WAL. */
function fileBytes(path: string): number {
  const size = (p: string): number => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  };
  return size(path) + size(`${path}-wal`);
}

/** Writes `revisions` single-key updates cycling over `keys` keys, many revisions per transaction. */
function churn(d: SqliteDriver, keys: number, revisions: number, value: Buffer): void {
  for (let done = 0; done < revisions; ) {
    d.write(() => {
      for (const end = Math.min(revisions, done + 500); done < end; done++) {
        const key = Buffer.from(`/registry/configmaps/default/cm-${String(done % keys).padStart(4, '0')}`);
        const revision = d.currentRevision() + 1;
        const old = d.get(key);
        const change: Change = {
          deleted: false,
          kv: { key, createRevision: old?.createRevision ?? revision, modRevision: revision, version: (old?.version ?? 0) + 1, value, lease: 0n },
        };
        d.append(revision, [change]);
      }
    });
  }
}

/** Compacts to `target` step by step, as MVCC does; returns each step's duration in ms. */
function compact(d: SqliteDriver, target: number): number[] {
  const steps: number[] = [];
  for (let reached = d.compactRevision(); reached < target; ) {
    const t0 = performance.now();
    reached = d.compactStep(target, batch);
    steps.push(performance.now() - t0);
  }
  d.afterCompaction();
  return steps;
}

t.test(`a 100k-revision history compacts in steps of ${batch} revisions, keeping every key`, async (t) => {
  const d = openSqliteDriver(tempDb(t));
  t.teardown(() => d.close());
  churn(d, 1000, 100_000, Buffer.alloc(512, 'v'));
  t.equal(d.currentRevision(), 100_001);
  const steps = compact(d, d.currentRevision() - 1000);
  const sorted = [...steps].sort((a, b) => a - b);
  const max = sorted[sorted.length - 1] ?? 0;
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  t.comment(`${steps.length} steps: median ${median.toFixed(2)} ms, max ${max.toFixed(2)} ms`);
  t.equal(steps.length, 100, 'one step per batch');
  // Step durations are reported, not asserted: speed is measured by the bench.
  t.equal(d.count(Buffer.from('/'), null, d.currentRevision()), 1000, 'every key survives');
  t.equal(d.changes(Buffer.from('/'), null, 0, d.currentRevision(), 0).length, 1000 + 1000, 'history: the retained 1000 revisions plus one version <= target per key');
});

t.test('under churn with periodic compaction the database file stays bounded', async (t) => {
  const keys = 200;
  const rounds = 60;
  const perRound = 1000;
  const value = Buffer.alloc(1024, 'x');

  const compacted = openSqliteDriver(tempDb(t));
  t.teardown(() => compacted.close());
  const sizes: number[] = [];
  for (let round = 0; round < rounds; round++) {
    churn(compacted, keys, perRound, value);
    compact(compacted, compacted.currentRevision() - 500);
    sizes.push(fileBytes(compacted.path));
  }
  const uncompacted = openSqliteDriver(tempDb(t));
  t.teardown(() => uncompacted.close());
  churn(uncompacted, keys, rounds * perRound, value);
  uncompacted.afterCompaction(); // checkpoint only, for a like-for-like file size
  const grown = fileBytes(uncompacted.path);

  const peak = Math.max(...sizes);
  const final = sizes[sizes.length - 1] ?? 0;
  const mib = (n: number): string => `${(n / 2 ** 20).toFixed(2)} MiB`;
  t.comment(`${rounds * perRound} updates of ${keys} keys: compacted file ${mib(final)} (peak ${mib(peak)}), uncompacted ${mib(grown)}`);
  t.ok(peak < 4 * 2 ** 20, `compacted file peaks at ${mib(peak)} (< 4 MiB)`);
  t.ok(final <= Math.max(...sizes.slice(0, 10)) * 1.1, 'no growth after the first rounds');
  t.ok(grown > 10 * peak, `without compaction the file grows to ${mib(grown)}`);
  const { dbSize, dbSizeInUse } = compacted.size();
  t.ok(dbSizeInUse <= dbSize && dbSize <= final, `size() reports ${mib(dbSize)} (${mib(dbSizeInUse)} in use)`);
});

t.test('after a burst, successive compactions hand free pages back to the filesystem in bounded calls', async (t) => {
  const d = openSqliteDriver(tempDb(t));
  t.teardown(() => d.close());
  churn(d, 200, 20_000, Buffer.alloc(1024, 'b'));
  d.afterCompaction();
  const burst = fileBytes(d.path);
  compact(d, d.currentRevision());
  const calls: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    d.afterCompaction();
    calls.push(performance.now() - t0);
  }
  const after = fileBytes(d.path);
  const { dbSize, dbSizeInUse } = d.size();
  const mib = (n: number): string => `${(n / 2 ** 20).toFixed(2)} MiB`;
  t.comment(`burst ${mib(burst)} → ${mib(after)} (${mib(dbSizeInUse)} in use); slowest afterCompaction ${Math.max(...calls).toFixed(1)} ms`);
  t.ok(after < burst / 5, 'the file shrank');
  t.ok(dbSize - dbSizeInUse <= dbSize * 0.25 + 4096, 'at most a quarter of the file is kept free for reuse');
});

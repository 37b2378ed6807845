// Store benchmark: the same workload, through the same client (npm etcd3 over
// grpc-js, loopback TCP), against tsk8s's store and a real etcd in one run.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { tsk8sBin } from '../test/helpers/bin.js';
import { freePort, startEtcd } from './peers/etcd.js';
import { fmt, renderTable, runConcurrent, type Sample } from './stats.js';

const value = Buffer.alloc(512, 'v');

interface Workload {
  name: string;
  /** Operations per concurrency level. */
  ops: Record<number, number>;
  prepare?(client: Etcd3, run: string): Promise<void>;
  run(client: Etcd3, run: string, concurrency: number, ops: number): Promise<Sample>;
}

const workloads: Workload[] = [
  {
    name: 'put',
    ops: { 1: 1000, 64: 10000 },
    run: (c, run, conc, ops) => runConcurrent(ops, conc, async (i) => void (await c.put(`/bench/${run}/put/${i}`).value(value))),
  },
  {
    name: 'txn-create',
    ops: { 1: 1000, 64: 10000 },
    run: (c, run, conc, ops) =>
      runConcurrent(ops, conc, async (i) => {
        const key = `/bench/${run}/create/${i}`;
        const res = await c.if(key, 'Mod', '==', 0).then(c.put(key).value(value)).commit();
        if (!res.succeeded) throw new Error(`create of ${key} failed`);
      }),
  },
  {
    name: 'get',
    ops: { 1: 2000, 64: 20000 },
    prepare: (c, run) => fill(c, `/bench/${run}/get/`, 1000),
    run: (c, run, conc, ops) =>
      runConcurrent(ops, conc, async (i) => {
        if ((await c.get(`/bench/${run}/get/${i % 1000}`).buffer()) === null) throw new Error('missing key');
      }),
  },
  {
    name: 'list 1000 keys',
    ops: { 1: 100, 64: 500 },
    prepare: (c, run) => fill(c, `/bench/${run}/list/`, 1000),
    run: (c, run, conc, ops) =>
      runConcurrent(ops, conc, async () => {
        const n = (await c.getAll().prefix(`/bench/${run}/list/`).keyBuffers()).length;
        if (n !== 1000) throw new Error(`listed ${n} keys`);
      }),
  },
  {
    name: 'watch, 100 watchers',
    ops: { 1: 200, 64: 1000 },
    run: (c, run, conc, ops) => watchDelivery(c, `/bench/${run}/watch/`, 100, conc, ops),
  },
];

async function fill(client: Etcd3, prefix: string, n: number): Promise<void> {
  await runConcurrent(n, 32, async (i) => void (await client.put(`${prefix}${i}`).value(value)));
}

/** Puts at `concurrency`; each op completes when all watchers saw it. Latency: put start → delivery. */
async function watchDelivery(client: Etcd3, prefix: string, watchers: number, concurrency: number, ops: number): Promise<Sample> {
  const pending = new Map<string, { left: number; t0: number; done: () => void }>();
  const delivery: number[] = [];
  const handles = await Promise.all(
    Array.from({ length: watchers }, async () => {
      const w = await client.watch().prefix(prefix).create();
      w.on('put', (kv) => {
        const p = pending.get(kv.key.toString());
        if (!p) return;
        delivery.push(performance.now() - p.t0);
        if (--p.left === 0) p.done();
      });
      return w;
    }),
  );
  const started = performance.now();
  await runConcurrent(ops, concurrency, async (i) => {
    const key = `${prefix}${i}`;
    const seen = new Promise<void>((done) => pending.set(key, { left: watchers, t0: performance.now(), done }));
    await client.put(key).value(value);
    await seen;
    pending.delete(key);
  });
  const elapsed = performance.now() - started;
  await Promise.all(handles.map((w) => w.cancel()));
  const sorted = delivery.sort((a, b) => a - b);
  const pick = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return { opsPerSec: (ops * 1000) / elapsed, p50Ms: pick(50), p99Ms: pick(99) };
}

interface Target {
  label: string;
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Runs the real `tsk8s server` as its own process, as etcd is, so neither
 * shares a thread with the benchmark client.
 */
async function startTsk8s(bin: string, label: string): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-bench-store-'));
  const port = await freePort();
  const endpoint = `127.0.0.1:${port}`;
  // Any free port for the Kubernetes API: a second peer on 6443 would fail to start.
  const child = spawn(bin, ['server', '--data-dir', dir, '--disable-agent', '--etcd-listen', endpoint, '--https-listen-port', '0', '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const probe = new Etcd3({ hosts: `http://${endpoint}` });
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`tsk8s server exited (${child.exitCode}): ${stderr}`);
      try {
        await probe.get('/health').string();
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    probe.close();
  }
  return {
    label,
    endpoint,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs of each row per peer; the table shows the median run (by ops/s). One run swings ±15% on a 2-core machine. */
const rounds = 3;

function medianRun(runs: Sample[]): Sample {
  return [...runs].sort((x, y) => x.opsPerSec - y.opsPerSec)[Math.floor(runs.length / 2)] as Sample;
}

/**
 * Untimed load before the first row, the same for every peer: a freshly
 * started server is still compiling its hot paths (and tsk8s's controllers
 * are still starting), which would otherwise land on whichever row runs first.
 */
async function warmUp(target: Target): Promise<void> {
  const client = new Etcd3({ hosts: `http://${target.endpoint}` });
  try {
    const prefix = `/bench/warm-up/`;
    await runConcurrent(3000, 16, async (i) => void (await client.put(`${prefix}${i % 500}`).value(value)));
    await runConcurrent(3000, 16, async (i) => void (await client.get(`${prefix}${i % 500}`).buffer()));
    await runConcurrent(50, 4, async () => void (await client.getAll().prefix(prefix).keyBuffers()));
    await client.delete().prefix(prefix);
  } finally {
    client.close();
  }
}

async function measure(target: Target, conc: number, w: Workload, run: string): Promise<Sample> {
  const client = new Etcd3({ hosts: `http://${target.endpoint}` });
  try {
    await w.prepare?.(client, run);
    return await w.run(client, run, conc, w.ops[conc] ?? 100);
  } finally {
    client.close();
  }
}

/**
 * TSK8S_BENCH_BASELINE=<path to another build's bin/tsk8s> adds that build as
 * a third peer ("base"), measured in the same run, for before/after
 * comparisons on a noisy machine. TSK8S_BENCH_SKIP_CHECK_PERF (any value)
 * skips the etcdctl check perf minute.
 */
export async function benchStore(log: (line: string) => void): Promise<void> {
  const peer = await startEtcd();
  const etcd: Target = { label: 'etcd', endpoint: peer.endpoint, stop: peer.stop };
  const baseBin = process.env['TSK8S_BENCH_BASELINE'];
  let tsk8s: Target | undefined;
  let base: Target | undefined;
  try {
    tsk8s = await startTsk8s(tsk8sBin, 'tsk8s');
    base = baseBin ? await startTsk8s(baseBin, 'base') : undefined;
  } catch (err) {
    await tsk8s?.stop();
    await etcd.stop();
    throw err;
  }
  const rows: string[][] = [];
  let perfVerdicts: string[] = [];
  try {
    for (const target of base ? [tsk8s, etcd, base] : [tsk8s, etcd]) await warmUp(target);
    let n = 0;
    for (const w of workloads) {
      for (const conc of [1, 64]) {
        const peers = base ? [tsk8s, etcd, base] : [tsk8s, etcd];
        const samples = new Map<string, Sample[]>(peers.map((p) => [p.label, []]));
        for (let round = 0; round < rounds; round++) {
          // Alternate which peer goes first so neither always gets the warmer machine.
          const order = n++ % 2 === 0 ? peers : [...peers].reverse();
          for (const target of order) samples.get(target.label)?.push(await measure(target, conc, w, `${target.label}-${n}`));
        }
        const results = new Map([...samples].map(([label, s]) => [label, medianRun(s)]));
        const a = results.get('tsk8s') as Sample;
        const b = results.get('etcd') as Sample;
        const row = [w.name, String(conc), fmt(a.opsPerSec), fmt(a.p50Ms, 2), fmt(a.p99Ms, 2), fmt(b.opsPerSec), fmt(b.p50Ms, 2), fmt(b.p99Ms, 2), `${fmt(a.opsPerSec / b.opsPerSec, 2)}x`];
        const c = results.get('base');
        if (c) row.push(fmt(c.opsPerSec), `${fmt(c.opsPerSec / b.opsPerSec, 2)}x`);
        rows.push(row);
        log(`  ${w.name} c=${conc}: tsk8s ${fmt(a.opsPerSec)} ops/s, etcd ${fmt(b.opsPerSec)} ops/s${c ? `, base ${fmt(c.opsPerSec)} ops/s` : ''}`);
      }
    }
    if (process.env['TSK8S_BENCH_SKIP_CHECK_PERF'] === undefined) {
      log('  etcdctl check perf --load=s against tsk8s (about a minute)...');
      perfVerdicts = await checkPerf(tsk8s.endpoint);
    }
  } finally {
    await base?.stop();
    await tsk8s.stop();
    await etcd.stop();
  }
  log('');
  log(`store: tsk8s (SQLite) vs etcd ${peer.version}, each its own process, same client (npm etcd3 over grpc-js, loopback TCP), 512-byte values, median of ${rounds} runs`);
  const head = ['workload', 'conc', 'tsk8s ops/s', 'p50 ms', 'p99 ms', 'etcd ops/s', 'p50 ms', 'p99 ms', 'tsk8s/etcd'];
  if (base) head.push('base ops/s', 'base/etcd');
  log(renderTable(head, rows));
  if (perfVerdicts.length > 0) {
    log('');
    log(`etcdctl check perf --load=s against tsk8s: ${perfVerdicts.join('; ')}`);
  }
}

/** etcd's own load check (60 s at 150 writes/s from 50 clients); returns its PASS/FAIL lines. */
async function checkPerf(endpoint: string): Promise<string[]> {
  const run = promisify(execFile);
  try {
    const { stdout } = await run('/usr/bin/etcdctl', ['--endpoints', `http://${endpoint}`, 'check', 'perf', '--load=s'], {
      env: { ...process.env, ETCDCTL_API: '3' },
      timeout: 180_000,
    });
    return stdout.split(/\r?\n|\r/).filter((l) => /^(PASS|FAIL)/.test(l));
  } catch (err) {
    const e = err as { stdout?: string; message: string };
    const lines = (e.stdout ?? '').split(/\r?\n|\r/).filter((l) => /^(PASS|FAIL)/.test(l));
    return lines.length > 0 ? lines : [`FAIL: ${e.message}`];
  }
}

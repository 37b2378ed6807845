// API benchmark: what the Kubernetes API server costs on top of its store.
// One `tsk8s server` process serves both sides; each workload runs against
// ConfigMaps over HTTPS (mutual TLS, keep-alive, JSON) and against the same
// store operations through the process's etcd API, in one run. Then the
// server's memory before and after holding 10,000 more ConfigMaps.
import { startBenchServer, type BenchServer } from './api-server.js';
import { apiTarget, storeTarget, type Target } from './api-targets.js';
import { fillList, spaces, watchers, workloads, type Workload } from './api-workloads.js';
import { fmt, renderTable, runConcurrent, type Sample } from './stats.js';

const concurrencies = [1, 32] as const;
/** The goal, for single-object operations: API p99 at most this many times store p99. */
const goalRatio = 2;
const memoryNamespace = 'bench-memory';
const memoryObjects = 10_000;

export async function benchApi(log: (line: string) => void): Promise<void> {
  const server = await startBenchServer();
  const rows: string[][] = [];
  let memory: string[] = [];
  try {
    const rssAtStart = server.rssBytes();
    await prepare(server);
    let n = 0;
    for (const concurrency of concurrencies) {
      const api = apiTarget(server.url, server.tls, concurrency);
      const store = storeTarget(server.etcdEndpoint);
      try {
        for (const t of [api, store]) await runConcurrent(concurrency * 4, concurrency, () => t.warm());
        const versions = new Map<Target, string[]>([
          [api, []],
          [store, []],
        ]);
        for (const w of workloads) {
          const ops = w.ops[concurrency] ?? 100;
          // Alternate which side goes first so neither always meets the warmer process.
          const order = n++ % 2 === 0 ? [api, store] : [store, api];
          const results = new Map<Target, Sample>();
          for (const target of order) results.set(target, await w.run({ target, concurrency, ops, versions: versions.get(target) ?? [] }));
          const a = results.get(api) as Sample;
          const s = results.get(store) as Sample;
          rows.push(row(w, concurrency, a, s));
          log(`  ${w.name} c=${concurrency}: api p99 ${fmt(a.p99Ms, 2)} ms, store p99 ${fmt(s.p99Ms, 2)} ms, server RSS ${mib(server.rssBytes())} MiB`);
        }
      } finally {
        await api.close();
        await store.close();
      }
    }
    memory = await measureMemory(server, rssAtStart, log);
  } catch (err) {
    log(`  the server printed (last lines):\n${server.output() || '  (nothing)'}`);
    throw err;
  } finally {
    await server.stop();
  }
  log('');
  log('api: tsk8s ConfigMaps over HTTPS (mutual TLS, keep-alive, JSON, one connection per worker, client parses every answer)');
  log('     vs the same process\'s store through its etcd API (npm etcd3, one HTTP/2 channel, CAS transactions), same values');
  log(
    renderTable(
      ['workload', 'conc', 'API p50 ms', 'API p99 ms', 'API ops/s', 'store p50 ms', 'store p99 ms', 'store ops/s', 'API/store p99', 'goal'],
      rows,
    ),
  );
  log(`goal: API p99 ≤ ${goalRatio}× store p99 for single-object operations (goal column: yes = met, no = missed)`);
  log(`watch rows: one op = create start until all ${watchers} watchers saw the object`);
  log('');
  for (const line of memory) log(line);
}

function row(w: Workload, concurrency: number, a: Sample, s: Sample): string[] {
  const ratio = a.p99Ms / s.p99Ms;
  const goal = !w.singleObject ? '' : ratio <= goalRatio ? 'yes' : 'no';
  return [w.name, String(concurrency), fmt(a.p50Ms, 2), fmt(a.p99Ms, 2), fmt(a.opsPerSec), fmt(s.p50Ms, 2), fmt(s.p99Ms, 2), fmt(s.opsPerSec), `${fmt(ratio, 2)}x`, goal];
}

/** The list spaces filled on both sides, the watch namespace created (untimed). */
async function prepare(server: BenchServer): Promise<void> {
  const api = apiTarget(server.url, server.tls, 32);
  const store = storeTarget(server.etcdEndpoint);
  try {
    await api.prepare(spaces.watch);
    await fillList(api);
    await fillList(store);
  } finally {
    await api.close();
    await store.close();
  }
}

/** Server RSS and store size before and after creating `memoryObjects` ConfigMaps at concurrency 32. */
async function measureMemory(server: BenchServer, rssAtStart: number, log: (line: string) => void): Promise<string[]> {
  const api = apiTarget(server.url, server.tls, 32);
  const store = storeTarget(server.etcdEndpoint);
  try {
    await api.prepare(memoryNamespace);
    const rssBefore = server.rssBytes();
    const dbBefore = await store.dbSizeBytes();
    log(`  creating ${memoryObjects} ConfigMaps in ${memoryNamespace}...`);
    const fill = await runConcurrent(memoryObjects, 32, async (i) => void (await api.create(memoryNamespace, `mem-${i}`)));
    const rssAfter = server.rssBytes();
    const dbAfter = await store.dbSizeBytes();
    return [
      `memory: server RSS ${mib(rssAtStart)} MiB at start, ${mib(rssBefore)} MiB after the workloads`,
      `        ${mib(rssAfter)} MiB after storing ${memoryObjects} more ConfigMaps (${fmt(fill.opsPerSec)} creates/s at c=32): +${mib(rssAfter - rssBefore)} MiB`,
      `store size (etcd API Maintenance.Status dbSize): ${mib(dbBefore)} MiB before, ${mib(dbAfter)} MiB after (+${mib(dbAfter - dbBefore)} MiB)`,
    ];
  } finally {
    await api.close();
    await store.close();
  }
}

function mib(bytes: number): string {
  return fmt(bytes / (1024 * 1024), 1);
}

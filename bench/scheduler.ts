// Scheduler benchmark: throughput of the scheduler next to the raw rate of
// the writes it ends in, measured in one run on one API server.
//  - an API server in this process on a SQLite store (as `tsk8s server`
//    runs it), 100 Node objects with capacity and Ready conditions but no
//    kubelet, 1,000 pending pods for the scheduler and 1,000 for the peer,
//    all created before the scheduler starts;
//  - the peer: the bench POSTs `pods/binding` for its 1,000 pods itself, as
//    the same user over the same in-process transport. The scheduler puts no
//    cap on bindings in flight (each starts as its cycle ends), so the peer
//    puts all of them in flight at once;
//  - then the scheduler starts with the options `tsk8s server` gives it
//    (in-process client as system:kube-scheduler, leader election), and a
//    watch times every binding until all 1,000 pods are on a node.
// The process CPU time per pod of both phases is printed too: on a shared
// machine it moves less with other load than the rates do.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { corev1 } from '../src/api/types.js';
import { startApiServer, type ApiServer } from '../src/apiserver/index.js';
import { ensurePki } from '../src/certs/index.js';
import { builtinRefs, Client, InProcessTransport, resourcePath } from '../src/client/index.js';
import { createLogger, silentLogger } from '../src/log/logger.js';
import { startScheduler } from '../src/scheduler/index.js';
import { openSqliteBackend } from '../src/store/sqlite/index.js';
import { fmt, renderTable, runConcurrent } from './stats.js';

const nodeCount = 100;
const podCount = 1000;
const namespace = 'bench-sched';
const peerSchedulerName = 'bench-peer';
const goals = { ratio: 0.5, podsPerSec: 500 };
/** A scheduler that has not bound every pod in this time fails the run instead of hanging it. */
const boundTimeoutMs = 300_000;

export async function benchScheduler(log: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-bench-sched-'));
  const backend = openSqliteBackend(join(dir, 'state.db'), { logger: silentLogger });
  let api: ApiServer | undefined;
  try {
    await backend.ready;
    api = await startControlPlane(dir, backend);
    const router = api.router;
    const asUser = (username: string, groups: string[], agent: string) => new Client(new InProcessTransport(router, { username, groups }, agent));
    const admin = asUser('system:admin', ['system:masters', 'system:authenticated'], 'bench');
    const schedulerClient = () => asUser('system:kube-scheduler', ['system:authenticated'], 'kube-scheduler/bench');

    await admin.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    await runConcurrent(nodeCount, 16, async (i) => void (await admin.nodes.create(nodeOf(i))));
    const peerPods: corev1.Pod[] = new Array<corev1.Pod>(podCount);
    await runConcurrent(podCount, 32, async (i) => void (peerPods[i] = await admin.pods.create(podOf(`peer-${i}`, peerSchedulerName), { namespace })));
    await runConcurrent(podCount, 32, async (i) => void (await admin.pods.create(podOf(`sched-${i}`), { namespace })));
    log(`  ${nodeCount} nodes, ${podCount} pending pods for the scheduler and ${podCount} for the peer created`);

    const peerClient = schedulerClient();
    const peerCpu = process.cpuUsage();
    const peer = await runConcurrent(podCount, podCount, (i) => bind(peerClient, peerPods[i] as corev1.Pod, `node-${i % nodeCount}`));
    const peerCpuMs = cpuMs(process.cpuUsage(peerCpu));
    log(`  peer: ${podCount} pods/binding POSTs, all in flight: ${fmt(peer.opsPerSec)} /s, p50 ${fmt(peer.p50Ms, 1)} ms, p99 ${fmt(peer.p99Ms, 1)} ms`);

    const run = await timeScheduler(admin, schedulerClient());
    const fromReady = (podCount * 1000) / (run.lastBoundMs - run.readyMs);
    const fromStart = (podCount * 1000) / run.lastBoundMs;
    log(`  scheduler: ready after ${fmt(run.readyMs)} ms, first pod bound at ${fmt(run.firstBoundMs)} ms, all ${podCount} at ${fmt(run.lastBoundMs)} ms`);

    const ratio = fromReady / peer.opsPerSec;
    const met = (ok: boolean) => (ok ? 'yes' : 'no');
    log('');
    log(`scheduler: ${podCount} pending pods over ${nodeCount} nodes without kubelets (in-process API server, SQLite store) vs the raw pods/binding rate`);
    log(
      renderTable(
        ['measure', 'value', 'goal', 'met'],
        [
          ['scheduler pods bound/s (ready → last bound)', fmt(fromReady), `≥ ${goals.podsPerSec}`, met(fromReady >= goals.podsPerSec)],
          ['scheduler pods bound/s (start → last bound)', fmt(fromStart), '', ''],
          [`raw pods/binding POSTs/s (${podCount} in flight)`, fmt(peer.opsPerSec), '', ''],
          ['scheduler / raw binding rate', `${fmt(ratio, 2)}x`, `≥ ${goals.ratio}x`, met(ratio >= goals.ratio)],
          ['binding POST p50 / p99 (ms)', `${fmt(peer.p50Ms, 1)} / ${fmt(peer.p99Ms, 1)}`, '', ''],
          ['process CPU ms per pod: scheduler (ready → last bound) / raw', `${fmt(run.cpuMs / podCount, 2)} / ${fmt(peerCpuMs / podCount, 2)}`, '', ''],
        ],
      ),
    );
    log('start = startScheduler called (informer sync, leader election); ready = informers synced');
  } finally {
    await api?.close();
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The Kubernetes API of `tsk8s server` in this process, on `backend`, HTTPS on a free loopback port. */
async function startControlPlane(dir: string, backend: ReturnType<typeof openSqliteBackend>): Promise<ApiServer> {
  const pki = await ensurePki(join(dir, 'tls'), { nodeName: 'bench', nodeIps: ['127.0.0.1'], serviceIp: '10.43.0.1', clusterDomain: 'cluster.local' });
  return startApiServer({
    backend,
    tls: { certPem: pki.serving.certPem, keyPem: pki.serving.keyPem, clientCaPem: pki.clientCa.ca.certPem },
    host: '127.0.0.1',
    port: 0,
    serviceCidr: '10.43.0.0/16',
    nodePortRange: { min: 30000, max: 32767 },
    productVersion: 'v1.32.0+tsk8s-bench',
    serviceAccountKey: pki.serviceAccount,
    logger: silentLogger,
  });
}

interface SchedulerRun {
  /** Milliseconds after startScheduler was called. */
  readyMs: number;
  firstBoundMs: number;
  lastBoundMs: number;
  /** Process CPU time from ready to the last binding. */
  cpuMs: number;
}

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

/** Starts the scheduler as `tsk8s server` does and times it until a watch has seen every `sched-*` pod bound; stops it again. */
async function timeScheduler(admin: Client, client: Client): Promise<SchedulerRun> {
  const list = await admin.pods.list({ namespace });
  const watch = admin.pods.watch({ namespace, resourceVersion: list.metadata?.resourceVersion });
  const bound = new Set<string>();
  let firstBound = NaN;
  let timer: NodeJS.Timeout | undefined;
  const allBound = (async () => {
    for await (const ev of watch) {
      const pod = ev.object as corev1.Pod;
      const name = pod.metadata?.name ?? '';
      if (ev.type !== 'MODIFIED' || !name.startsWith('sched-') || !pod.spec?.nodeName || bound.has(name)) continue;
      if (bound.size === 0) firstBound = performance.now();
      bound.add(name);
      if (bound.size === podCount) return performance.now();
    }
    throw new Error(`the watch ended after ${bound.size} of ${podCount} pods were bound`);
  })();
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`${bound.size} of ${podCount} pods bound after ${boundTimeoutMs} ms`)), boundTimeoutMs);
  });
  const stop = new AbortController();
  const t0 = performance.now();
  const scheduler = startScheduler({ client, logger: createLogger('scheduler', { level: 'warn' }), leaderElection: { identity: 'bench' } }, stop.signal);
  try {
    await scheduler.ready;
    const ready = performance.now();
    const cpu = process.cpuUsage();
    const last = await Promise.race([allBound, timeout]);
    return { readyMs: ready - t0, firstBoundMs: firstBound - t0, lastBoundMs: last - t0, cpuMs: cpuMs(process.cpuUsage(cpu)) };
  } finally {
    clearTimeout(timer);
    watch.close();
    stop.abort();
    await scheduler.stopped;
  }
}

async function bind(client: Client, pod: corev1.Pod, node: string): Promise<void> {
  const name = pod.metadata?.name ?? '';
  const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, uid: pod.metadata?.uid }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
  await client.transport.request({ method: 'POST', path: resourcePath(builtinRefs.pods, { namespace, name, subresource: 'binding' }), body: binding });
}

function nodeOf(i: number): corev1.Node {
  const name = `node-${i}`;
  const resources = { cpu: '32', memory: '128Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } },
    status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }] },
  };
}

function podOf(name: string, schedulerName?: string): corev1.Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'bench-sched' } },
    spec: { schedulerName, containers: [{ name: 'c', image: 'localhost/tsk8s/busybox:1.35', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
  };
}

// The part of the workloads benchmark that runs inside the node's network
// namespace: a Deployment of `replicas` busybox pods from create until its
// status counts them all available, each pod's startup seen by one watch,
// then the deployment deleted and the CRI floor for as many pods measured on
// the quiet node. Prints one JSON line with the result.
//
//   workloads-inner.ts <kubeconfig> <containerd socket> <replicas>
import type { appsv1, corev1 } from '../src/api/types.js';
import type { Client } from '../src/client/index.js';
import { connectCri } from '../src/kubelet/cri/grpc.js';
import { clientFrom } from './kubeconfig-client.js';
import { command, criBatch, image, removeFloorLeftovers } from './node-floor.js';
import { percentile } from './stats.js';

const [kubeconfigPath, socket, replicasArg] = process.argv.slice(2);
const replicas = Number(replicasArg);
const namespace = 'bench-workloads';
const name = 'web';
/** A deployment not available in this time ends the run (reported as not available) instead of hanging it. */
const availableTimeoutMs = 900_000;

function deployment(): appsv1.Deployment {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image, imagePullPolicy: 'Never', command }] },
      },
    },
  };
}

interface Seen {
  added: number;
  running?: number;
  ready?: number;
}

/** Creates the deployment; resolves when its status has every replica available (or at the timeout, `available` NaN), with each pod's timings (ms, performance.now()). */
async function rollOut(client: Client): Promise<{ created: number; available: number; pods: Map<string, Seen> }> {
  const pods = new Map<string, Seen>();
  const podList = await client.pods.list({ namespace });
  const podWatch = client.pods.watch({ namespace, resourceVersion: podList.metadata?.resourceVersion });
  void (async () => {
    for await (const ev of podWatch) {
      const pod = ev.object as corev1.Pod;
      const key = pod.metadata?.name ?? '';
      const now = performance.now();
      let seen = pods.get(key);
      if (!seen) pods.set(key, (seen = { added: now }));
      if (seen.running === undefined && pod.status?.phase === 'Running') seen.running = now;
      if (seen.ready === undefined && pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) seen.ready = now;
    }
  })();
  const depList = await client.deployments.list({ namespace });
  const depWatch = client.deployments.watch({ namespace, resourceVersion: depList.metadata?.resourceVersion });
  let timer: NodeJS.Timeout | undefined;
  try {
    const created = performance.now();
    await client.deployments.create(deployment(), { namespace });
    const available = (async () => {
      for await (const ev of depWatch) {
        const d = ev.object as appsv1.Deployment;
        if (d.metadata?.name === name && (d.status?.availableReplicas ?? 0) >= replicas) return performance.now();
      }
      throw new Error('the deployment watch ended');
    })();
    // On timeout the run still reports what it saw, with the total as NaN.
    const timeout = new Promise<number>((done) => {
      timer = setTimeout(() => done(NaN), availableTimeoutMs);
    });
    return { created, available: await Promise.race([available, timeout]), pods };
  } finally {
    clearTimeout(timer);
    podWatch.close();
    depWatch.close();
  }
}

/** Deletes the deployment (background propagation) and waits until its pods are gone. */
async function tearDown(client: Client): Promise<void> {
  await client.deployments.delete(name, { namespace, propagationPolicy: 'Background' }).catch(() => undefined);
  for (;;) {
    if ((await client.pods.list({ namespace })).items.length === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function p50p99(xs: number[]): { p50: number; p99: number; n: number } {
  const sorted = [...xs].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
}

const client = clientFrom(kubeconfigPath as string);
await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }).catch(() => undefined);
let result: Record<string, unknown>;
try {
  const run = await rollOut(client);
  const seen = [...run.pods.values()];
  const ready = seen.flatMap((s) => (s.ready === undefined ? [] : [s.ready - s.added]));
  const running = seen.flatMap((s) => (s.running === undefined ? [] : [s.running - s.added]));
  result = { totalMs: run.available - run.created, pods: seen.length, ready: p50p99(ready), running: p50p99(running) };
} finally {
  await tearDown(client);
}
const rt = connectCri({ endpoint: socket as string });
const floor = await criBatch(rt, replicas, 1);
for (const id of floor.sandboxes) await rt.removePodSandbox(id);
removeFloorLeftovers();
await rt.close();
console.log(JSON.stringify({ ...result, floor: p50p99(floor.latencies) }));
process.exit(0);

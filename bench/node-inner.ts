// The part of the node benchmark that runs inside the node's network
// namespace (the API listens on that namespace's loopback): pod startup
// through tsk8s (create → Running, seen by a watch) and the floor — the same
// pods started straight through CRI on the node's containerd. Prints one
// JSON line per measurement; between phases it prints a marker and waits for
// a line on stdin, so the outer process can read memory with pods running.
//
//   node-inner.ts <kubeconfig> <containerd socket> <node name> <batch sizes...>
import { createInterface } from 'node:readline';
import type { corev1 } from '../src/api/types.js';
import type { Client } from '../src/client/index.js';
import { connectCri } from '../src/kubelet/cri/grpc.js';
import { clientFrom } from './kubeconfig-client.js';
import { command, criBatch, image, removeFloorLeftovers } from './node-floor.js';
import { percentile } from './stats.js';

const [kubeconfigPath, socket, nodeName, ...sizes] = process.argv.slice(2);
const batches = sizes.map(Number);
const namespace = 'bench-pods';

const stdinLines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
async function pause(marker: string): Promise<void> {
  console.log(JSON.stringify({ marker }));
  await stdinLines.next();
}

function podOf(name: string): corev1.Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { nodeName, terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image, imagePullPolicy: 'Never', command }] },
  };
}

/** Creates `n` pods at once; resolves with each one's create → Running latency (ms), seen by one watch. */
async function apiBatch(client: Client, n: number, round: number): Promise<number[]> {
  const names = Array.from({ length: n }, (_, i) => `p${round}-${i}`);
  const started = new Map<string, number>();
  const latencies = new Map<string, number>();
  const list = await client.pods.list({ namespace });
  const watch = client.pods.watch({ namespace, resourceVersion: list.metadata?.resourceVersion });
  const done = (async () => {
    for await (const ev of watch) {
      const pod = ev.object as corev1.Pod;
      const name = pod.metadata?.name ?? '';
      if (ev.type === 'MODIFIED' && pod.status?.phase === 'Running' && started.has(name) && !latencies.has(name)) {
        latencies.set(name, performance.now() - (started.get(name) as number));
        if (latencies.size === n) return;
      }
    }
  })();
  await Promise.all(
    names.map(async (name) => {
      started.set(name, performance.now());
      await client.pods.create(podOf(name), { namespace });
    }),
  );
  await done;
  watch.close();
  return [...latencies.values()];
}

async function deleteAll(client: Client): Promise<void> {
  const pods = await client.pods.list({ namespace });
  await Promise.all(pods.items.map((p) => client.pods.delete(p.metadata?.name ?? '', { namespace }).catch(() => undefined)));
  for (;;) {
    if ((await client.pods.list({ namespace })).items.length === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const client = clientFrom(kubeconfigPath as string);
await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }).catch(() => undefined);
const rt = connectCri({ endpoint: socket as string });
let round = 0;
for (const n of batches) {
  round++;
  const api = await apiBatch(client, n, round);
  if (n === Math.max(...batches)) await pause(`api-running-${n}`);
  await deleteAll(client);
  const floor = await criBatch(rt, n, round);
  for (const id of floor.sandboxes) await rt.removePodSandbox(id);
  removeFloorLeftovers();
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  console.log(JSON.stringify({ pods: n, api: { p50: percentile(sorted(api), 50), p99: percentile(sorted(api), 99) }, floor: { p50: percentile(sorted(floor.latencies), 50), p99: percentile(sorted(floor.latencies), 99) } }));
}
await rt.close();
process.exit(0);

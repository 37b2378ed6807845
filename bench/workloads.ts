// Workloads benchmark: a 100-replica Deployment of the bundled busybox image
// on a real node (`tsk8s server` with its embedded agent) in a network
// namespace of the bench's own, as bench/node.ts runs it: create → all 100
// available, and each pod's startup (created → Ready, both seen by a watch)
// next to the floor measured in the same run, 100 pods started at once
// straight through CRI on the node's containerd. The deployment is deleted
// before the floor runs, and the node removed at the end.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { nodeSkipReason, startNode } from '../test/helpers/node.js';
import { fmt, renderTable } from './stats.js';

const replicas = 100;
const goalRatio = 1.5;

interface Latencies {
  p50: number;
  p99: number;
  n: number;
}
interface Result {
  /** null (NaN in JSON) when the deployment was not available in time. */
  totalMs: number | null;
  pods: number;
  ready: Latencies;
  running: Latencies;
  floor: Latencies;
}

export async function benchWorkloads(log: (line: string) => void): Promise<void> {
  const skip = nodeSkipReason();
  if (skip) {
    log(`  skipped: ${skip}`);
    return;
  }
  const node = await startNode({ name: 'bench-workloads' });
  try {
    await node.ok(['wait', '--for=condition=Ready', 'node/bench-workloads', '--timeout=60s']);
    const tag = createHash('sha256').update(node.dir).digest('hex').slice(0, 8);
    const socket = `/run/tsk8s/${tag}/containerd/containerd.sock`;
    const inner = join(import.meta.dirname, 'workloads-inner.ts');
    const child = spawn('nsenter', [`--net=${node.netns.path}`, process.execPath, '--import', 'tsx', inner, node.kubeconfig, socket, String(replicas)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      cwd: join(import.meta.dirname, '..'),
    });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    let result: Result | undefined;
    for await (const line of createInterface({ input: child.stdout })) result = JSON.parse(line) as Result;
    const code = await exited;
    if (code !== 0 || !result) throw new Error(`the in-namespace bench exited ${code}`);
    const r = result;
    const total = r.totalMs === null ? 'not all available in the time allowed' : `available ${fmt(r.totalMs)} ms after create`;
    log(`  ${replicas} replicas ${total} (${r.pods} pods seen, ${r.ready.n} Ready)`);
    const ratio50 = r.ready.p50 / r.floor.p50;
    const ratio99 = r.ready.p99 / r.floor.p99;
    log('');
    log(`workloads: Deployment of ${replicas} busybox replicas on one real node; pod startup created → Ready (seen by a watch) vs the floor: ${replicas} pods at once straight through CRI (ms)`);
    log(
      renderTable(
        ['measure', 'value', 'goal', 'met'],
        [
          ['create → all available (ms)', r.totalMs === null ? 'timed out' : fmt(r.totalMs), '', ''],
          ['pod created → Running p50 / p99', `${fmt(r.running.p50)} / ${fmt(r.running.p99)}`, '', ''],
          ['pod created → Ready p50 / p99', `${fmt(r.ready.p50)} / ${fmt(r.ready.p99)}`, '', ''],
          ['CRI floor p50 / p99', `${fmt(r.floor.p50)} / ${fmt(r.floor.p99)}`, '', ''],
          ['ratio p50', `${fmt(ratio50, 2)}x`, '', ''],
          ['ratio p99', `${fmt(ratio99, 2)}x`, `≤ ${goalRatio}x`, ratio99 <= goalRatio ? 'yes' : 'no'],
        ],
      ),
    );
    log('created = the pod\'s ADDED event (creationTimestamp has one-second resolution)');
  } catch (err) {
    log(`  the server printed (last lines):\n${node.output().split('\n').slice(-30).join('\n')}`);
    throw err;
  } finally {
    await node.remove();
  }
}

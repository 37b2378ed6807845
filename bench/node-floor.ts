// The pod startup floor the node benchmarks compare against: pods started
// straight through CRI on the node's containerd (sandbox, then one
// container, running), with the image and command the API-side pods use,
// and the deadlines the kubelet gives these calls.
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerRuntime } from '../src/kubelet/cri/runtime.js';
import { bundledImages } from '../src/kubelet/images/index.js';
import { runtimeRequestTimeoutMs, sandboxRequestTimeoutMs } from '../src/kubelet/pods/context.js';

export const image = bundledImages.busybox;
export const command = ['sh', '-c', "trap 'exit 0' TERM; while true; do sleep 1; done"];

/** `n` pods at once; each one's sandbox → container running latency (ms), and the sandboxes to remove. */
export async function criBatch(rt: ContainerRuntime, n: number, round: number): Promise<{ latencies: number[]; sandboxes: string[] }> {
  const sandboxes: string[] = [];
  const latencies = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const t0 = performance.now();
      const config = {
        metadata: { name: `floor${round}-${i}`, uid: `floor-${process.pid}-${round}-${i}`, namespace: 'bench-floor', attempt: 0 },
        hostname: `floor${round}-${i}`,
        logDirectory: `/tmp/tsk8s-bench-floor-${process.pid}`,
        linux: { cgroupParent: `/tsk8s-bench-floor-${process.pid}` },
      };
      const id = await rt.runPodSandbox(config, undefined, { timeoutMs: sandboxRequestTimeoutMs });
      sandboxes.push(id);
      const cid = await rt.createContainer(id, { metadata: { name: 'c', attempt: 0 }, image: { image }, command, logPath: `c-${i}.log` }, config, { timeoutMs: runtimeRequestTimeoutMs });
      await rt.startContainer(cid, { timeoutMs: runtimeRequestTimeoutMs });
      return performance.now() - t0;
    }),
  );
  return { latencies, sandboxes };
}

/** runc leaves the floor pods' cgroups behind (the kubelet removes its own), and their log dir stays: both go. */
export function removeFloorLeftovers(): void {
  rmSync(`/tmp/tsk8s-bench-floor-${process.pid}`, { recursive: true, force: true });
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    const root = join('/sys/fs/cgroup', hierarchy, `tsk8s-bench-floor-${process.pid}`);
    if (!existsSync(root)) continue;
    for (const child of readdirSync(root, { withFileTypes: true })) if (child.isDirectory()) rmdirSync(join(root, child.name));
    rmdirSync(root);
  }
}

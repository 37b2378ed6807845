// Sandbox → running through the CRI alone: the floor pod startup can reach
// with the image present (RunPodSandbox, CreateContainer, StartContainer).
import { randomBytes } from 'node:crypto';
import type { ContainerRuntime } from '../../../src/kubelet/cri/runtime.js';
import type { PodSandboxConfig } from '../../../src/kubelet/cri/types.js';

export interface StartupReport {
  medianMs: number;
  lines: string[];
}

interface Sample {
  sandboxMs: number;
  createMs: number;
  startMs: number;
  totalMs: number;
  teardownMs: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

async function onePod(rt: ContainerRuntime, image: string, sandboxConfig: (c: PodSandboxConfig) => PodSandboxConfig, name: string): Promise<Sample> {
  const config = sandboxConfig({ metadata: { name, uid: randomBytes(8).toString('hex'), namespace: 'cri-timings', attempt: 0 } });
  const t0 = performance.now();
  const sandbox = await rt.runPodSandbox(config);
  const t1 = performance.now();
  const id = await rt.createContainer(sandbox, { metadata: { name: 'main' }, image: { image }, command: ['sleep', '3600'], logPath: 'main.log' }, config);
  const t2 = performance.now();
  await rt.startContainer(id);
  const t3 = performance.now();
  await rt.stopPodSandbox(sandbox);
  await rt.removePodSandbox(sandbox);
  const t4 = performance.now();
  return { sandboxMs: t1 - t0, createMs: t2 - t1, startMs: t3 - t2, totalMs: t3 - t0, teardownMs: t4 - t3 };
}

const fmt = (label: string, samples: Sample[]): string =>
  `${label}: sandbox → running median ${median(samples.map((s) => s.totalMs)).toFixed(0)} ms ` +
  `(RunPodSandbox ${median(samples.map((s) => s.sandboxMs)).toFixed(0)}, CreateContainer ${median(samples.map((s) => s.createMs)).toFixed(0)}, ` +
  `StartContainer ${median(samples.map((s) => s.startMs)).toFixed(0)}), max ${Math.max(...samples.map((s) => s.totalMs)).toFixed(0)} ms; ` +
  `teardown median ${median(samples.map((s) => s.teardownMs)).toFixed(0)} ms`;

/** Five pods one after another, then five at once. */
export async function measureStartup(rt: ContainerRuntime, image: string, sandboxConfig: (c: PodSandboxConfig) => PodSandboxConfig): Promise<StartupReport> {
  const sequential: Sample[] = [];
  for (let i = 0; i < 5; i++) sequential.push(await onePod(rt, image, sandboxConfig, `timing-${i}`));
  const t0 = performance.now();
  const parallel = await Promise.all([0, 1, 2, 3, 4].map((i) => onePod(rt, image, sandboxConfig, `timing-par-${i}`)));
  const wallMs = performance.now() - t0;
  return {
    medianMs: median(sequential.map((s) => s.totalMs)),
    lines: [fmt('5 pods one by one', sequential), `${fmt('5 pods at once', parallel)}; all running and removed in ${wallMs.toFixed(0)} ms`],
  };
}

// A kubelet on the fake CRI runtime with a hand-moved clock, for tests:
// the caller brings a Client (an in-process API server), the harness makes
// temporary directories (root, logs, a cgroup mount stand-in), starts the
// kubelet and lets tests move time and wait until it has caught up.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { corev1 } from '../api/types.js';
import type { Client } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { ManualClock } from './clock.fixture.js';
import { FakeRuntime } from './cri/fake.js';
import { Kubelet } from './kubelet.js';
import type { MachineInfo } from './node/machine.js';
import type { KubeletIntervals } from './options.js';

export const testMachine: MachineInfo = {
  cpus: 4,
  memoryBytes: 8 * 1024 ** 3,
  ephemeralStorageBytes: 100 * 1024 ** 3,
  kernelVersion: '6.1.0-test',
  osImage: 'Test Linux 1',
  architecture: 'amd64',
  operatingSystem: 'linux',
  machineId: 'machine-id-test',
  systemUuid: 'system-uuid-test',
  bootId: 'boot-id-test',
  maxPids: 4194304,
};

export const testImage = 'localhost/test/busybox:1';

export interface HarnessOptions {
  client: Client;
  nodeName?: string;
  /** Reuse a runtime (and its clock's position) from an earlier harness: a kubelet restart. */
  runtime?: FakeRuntime;
  clock?: ManualClock;
  dirs?: HarnessDirs;
  intervals?: Partial<KubeletIntervals>;
  logger?: Logger;
  clusterDns?: string[];
  /** Static pod manifests; absent: none. */
  podManifestsDir?: string;
}

export interface HarnessDirs {
  root: string;
  rootDir: string;
  podLogDir: string;
  cgroupFs: string;
  resolvConf: string;
}

const madeDirs = new Set<string>();
// A test may end without stopping every harness (or keep the dirs for a second kubelet): nothing outlives the process.
process.once('exit', () => {
  for (const d of madeDirs) rmSync(d, { recursive: true, force: true });
});

export function makeDirs(): HarnessDirs {
  const root = mkdtempSync(join(tmpdir(), 'tsk8s-kubelet-'));
  madeDirs.add(root);
  const dirs = { root, rootDir: join(root, 'agent'), podLogDir: join(root, 'pod-logs'), cgroupFs: join(root, 'cgroup'), resolvConf: join(root, 'resolv.conf') };
  for (const d of [dirs.rootDir, dirs.podLogDir, join(dirs.cgroupFs, 'memory'), join(dirs.cgroupFs, 'cpu')]) mkdirSync(d, { recursive: true });
  return dirs;
}

export class KubeletHarness {
  readonly controller = new AbortController();
  readonly kubelet: Kubelet;
  readonly stopped: Promise<void>;
  readonly ready: Promise<void>;

  private constructor(
    readonly client: Client,
    readonly runtime: FakeRuntime,
    readonly clock: ManualClock,
    readonly dirs: HarnessDirs,
    readonly nodeName: string,
    opts: HarnessOptions,
  ) {
    this.kubelet = new Kubelet({
      client,
      runtime,
      nodeName,
      nodeIps: ['192.0.2.10'],
      hostname: nodeName,
      podCidr: '10.42.0.0/24',
      labels: { 'test.tsk8s.io/kubelet': 'yes' },
      taints: [],
      rootDir: dirs.rootDir,
      podLogDir: dirs.podLogDir,
      cgroupRoot: '/tsk8s-test',
      cgroupFs: dirs.cgroupFs,
      clusterDns: opts.clusterDns ?? ['10.43.0.10'],
      clusterDomain: 'cluster.local',
      resolvConf: dirs.resolvConf,
      sandboxImage: 'localhost/test/pause:1',
      kubeletVersion: 'v1.32.0+tsk8s-test',
      logger: opts.logger ?? silentLogger,
      clock,
      machine: async () => testMachine,
      intervals: opts.intervals ?? {},
      ...(opts.podManifestsDir ? { podManifestsDir: opts.podManifestsDir } : {}),
    });
    const running = this.kubelet.start(this.controller.signal);
    this.ready = running.ready;
    this.stopped = running.stopped;
  }

  static async start(opts: HarnessOptions): Promise<KubeletHarness> {
    const runtime = opts.runtime ?? new FakeRuntime({ images: [testImage] });
    const clock = opts.clock ?? new ManualClock(Number(runtime.clock.now() / 1_000_000n));
    const h = new KubeletHarness(opts.client, runtime, clock, opts.dirs ?? makeDirs(), opts.nodeName ?? 'node-a', opts);
    await h.ready;
    await h.settle();
    return h;
  }

  /** Waits until the kubelet has reacted to everything so far (watch events, syncs, events written). */
  async settle(): Promise<void> {
    let quiet = 0;
    let seen = '';
    while (quiet < 4) {
      await new Promise((r) => setTimeout(r, 5));
      await this.kubelet.idle();
      const now = `${this.runtime.calls.length}/${this.kubelet.pods?.cacheVersion ?? ''}`;
      quiet = now === seen ? quiet + 1 : 0;
      seen = now;
    }
  }

  /** Moves the runtime's and the kubelet's time together, then settles. */
  async advance(ms: number, stepMs = 1000): Promise<void> {
    for (let done = 0; done < ms; done += stepMs) {
      const step = Math.min(stepMs, ms - done);
      this.runtime.advance(step);
      this.clock.advance(step);
      await this.settle();
    }
  }

  async pod(namespace: string, name: string): Promise<corev1.Pod> {
    return this.client.pods.get(name, namespace);
  }

  /** Stops the kubelet (containers stay in the runtime); removes the directories unless `keepDirs`. */
  async stop(keepDirs = false): Promise<void> {
    this.controller.abort();
    await this.stopped;
    if (!keepDirs) rmSync(this.dirs.root, { recursive: true, force: true });
  }
}

/** A pod bound to `nodeName` running `command` in the test image. */
export function testPod(namespace: string, name: string, nodeName: string, spec: Partial<corev1.PodSpec> = {}, command = ['sleep', 'infinity']): corev1.Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: { nodeName, containers: [{ name: 'main', image: testImage, command }], ...spec },
  };
}

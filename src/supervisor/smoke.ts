// A smoke run of the bundled runtime without the CLI or the server: install
// the runtime into a data dir, start containerd, wait until it serves, stop it.
// Tests and benchmarks use it to check a machine can run containerd at all.
import type { Logger } from '../log/logger.js';
import type { Backoff } from './child.js';
import { startContainerd, type ContainerdInfo } from './containerd.js';
import { installRuntime, type InstalledRuntime } from './runtime.js';

export interface SmokeOptions {
  dataDir: string;
  stateDir?: string;
  runtimeDir?: string;
  /** Any name will do: no pod is started. */
  sandboxImage?: string;
  logger?: Logger;
  backoff?: Backoff;
}

export interface SmokeResult {
  runtime: InstalledRuntime;
  containerd: ContainerdInfo;
  installMs: number;
  /** From spawning containerd to its first successful probe. */
  readyMs: number;
  stopMs: number;
}

export async function smokeContainerd(opts: SmokeOptions): Promise<SmokeResult> {
  const t0 = Date.now();
  const runtime = await installRuntime({
    dataDir: opts.dataDir,
    ...(opts.runtimeDir ? { runtimeDir: opts.runtimeDir } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  const t1 = Date.now();
  const stop = new AbortController();
  const running = startContainerd(
    {
      dataDir: opts.dataDir,
      binDir: runtime.binDir,
      sandboxImage: opts.sandboxImage ?? 'localhost/tsk8s/pause:smoke',
      ...(opts.stateDir ? { stateDir: opts.stateDir } : {}),
      ...(opts.logger ? { logger: opts.logger } : {}),
      ...(opts.backoff ? { backoff: opts.backoff } : {}),
    },
    stop.signal,
  );
  try {
    const containerd = await running.ready;
    const t2 = Date.now();
    stop.abort();
    await running.stopped;
    return { runtime, containerd, installMs: t1 - t0, readyMs: t2 - t1, stopMs: Date.now() - t2 };
  } finally {
    stop.abort();
    await running.stopped;
  }
}

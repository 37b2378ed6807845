// Shared plumbing of the ContainerRuntime conformance suite: what a runtime
// under test provides, one fresh runtime per scenario, and sandbox and
// container configs that every scenario removes again.
import { randomBytes } from 'node:crypto';
import type { Test } from 'tap';
import type { ContainerRuntime } from '../runtime.js';
import type { ContainerConfig, ContainerStatus, PodSandboxConfig } from '../types.js';

export interface RuntimeUnderTest {
  runtime: ContainerRuntime;
  /**
   * An image present before the scenario starts, never removed by it, with
   * busybox's `sh`, `echo` and `sleep` on PATH.
   */
  image: string;
  /** An absent image a pull can fetch; scenarios that pull are skipped without it. */
  pullable?: string;
  /** An image name no reachable registry has (a pull of it must fail quickly). */
  missing?: string;
  /** Adds what this runtime needs to a sandbox config (cgroup parent, log directory, host network). */
  sandboxConfig(base: PodSandboxConfig): PodSandboxConfig;
  /** Releases what the runtime under test holds beyond `runtime` (closed by the suite). */
  cleanup(): Promise<void>;
}

export type OpenRuntime = () => Promise<RuntimeUnderTest>;

export interface Ctx {
  t: Test;
  rt: ContainerRuntime;
  subject: RuntimeUnderTest;
  /** Runs a sandbox named `name` (unique uid per call); it is removed after the scenario. */
  runSandbox(name: string, labels?: Record<string, string>): Promise<{ id: string; config: PodSandboxConfig }>;
  /** A container config of the test image running `argv` (as command). */
  containerConfig(name: string, argv: string[], labels?: Record<string, string>): ContainerConfig;
  /** Polls the container until `done` holds or `timeoutMs` passes (then fails the test with the last status). */
  waitFor(id: string, done: (s: ContainerStatus) => boolean, timeoutMs?: number): Promise<ContainerStatus>;
}

export const namespace = 'cri-conformance';

/** Runs fn as subtest `name` on a fresh runtime; removes the sandboxes it ran, then cleans up. */
export function scenario(t: Test, name: string, open: OpenRuntime, fn: (ctx: Ctx) => Promise<void>): void {
  t.test(name, async (t) => {
    const subject = await open();
    const rt = subject.runtime;
    const sandboxes: string[] = [];
    const ctx: Ctx = {
      t,
      rt,
      subject,
      async runSandbox(sandboxName, labels = {}) {
        const uid = randomBytes(8).toString('hex');
        const config = subject.sandboxConfig({
          metadata: { name: sandboxName, uid, namespace, attempt: 0 },
          hostname: sandboxName,
          labels: { 'cri-conformance': 'yes', ...labels },
          annotations: { 'cri-conformance/scenario': name },
        });
        const id = await rt.runPodSandbox(config);
        sandboxes.push(id);
        return { id, config };
      },
      containerConfig(containerName, argv, labels = {}) {
        return {
          metadata: { name: containerName, attempt: 0 },
          image: { image: subject.image },
          command: argv,
          labels: { 'cri-conformance': 'yes', ...labels },
          annotations: { 'cri-conformance/container': containerName },
          logPath: `${containerName}.log`,
        };
      },
      async waitFor(id, done, timeoutMs = 10_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const status = await rt.containerStatus(id);
          if (done(status)) return status;
          if (Date.now() > deadline) {
            t.fail(`container ${id} did not reach the expected state`, { state: status.state, exitCode: status.exitCode });
            return status;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      },
    };
    try {
      await fn(ctx);
    } finally {
      for (const id of sandboxes) await rt.removePodSandbox(id).catch((err: unknown) => t.fail(`cleanup of sandbox ${id}: ${String(err)}`));
      await rt.close();
      await subject.cleanup();
    }
  });
}

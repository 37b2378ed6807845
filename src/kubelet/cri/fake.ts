// An in-memory ContainerRuntime for kubelet tests. It passes the same
// conformance suite as the gRPC client on containerd and mirrors
// containerd's answers (state machines, exit reasons, errors), with hooks to
// steer it (fake-base.ts): make a container exit, fail the next call of a
// method, move time, answer execs.
//
// Time is fake: a container running `sleep N` exits once advance() moved
// the clock N seconds; `sh -c 'exit N'` exits right after start (see
// fake-programs.ts). A stop with a timeout ends it with 143 (the program
// honours SIGTERM); a stop with timeout 0, a removal or a sandbox stop with
// 137 (SIGKILL).
import { CriError } from './errors.js';
import type { FakeRuntimeOptions } from './fake-base.js';
import { toImage } from './fake-images.js';
import { FakePods } from './fake-pods.js';
import { builtinExec } from './fake-programs.js';
import { labelsMatch, newId, type ContainerRecord } from './fake-state.js';
import type { CallOptions, ContainerRuntime, PullOptions } from './runtime.js';
import type { AttachRequest, ContainerStats, ContainerStatsFilter, ExecRequest, ExecSyncResult } from './types.js';

export type { FakeRuntimeOptions } from './fake-base.js';
export type { ExecHandler } from './fake-programs.js';

const fakeStreamServer = 'http://127.0.0.1:10010';

export class FakeRuntime extends FakePods implements ContainerRuntime {
  constructor(opts: FakeRuntimeOptions = {}) {
    super(opts);
  }

  // ---- Exec and streaming

  async execSync(containerId: string, cmd: string[], _timeoutSeconds: number, opts?: CallOptions): Promise<ExecSyncResult> {
    this.enter('ExecSync', opts, containerId);
    const c = this.running('ExecSync', this.container('ExecSync', containerId));
    const result = this.execHandler?.(c.id, cmd) ?? builtinExec(cmd) ?? { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), exitCode: 0 };
    return { stdout: Buffer.from(result.stdout), stderr: Buffer.from(result.stderr), exitCode: result.exitCode };
  }

  async exec(req: ExecRequest, opts?: CallOptions): Promise<string> {
    this.enter('Exec', opts, req.containerId);
    this.running('Exec', this.container('Exec', req.containerId));
    return `${fakeStreamServer}/exec/${newId().slice(0, 8)}`;
  }

  async attach(req: AttachRequest, opts?: CallOptions): Promise<string> {
    this.enter('Attach', opts, req.containerId);
    this.running('Attach', this.container('Attach', req.containerId));
    return `${fakeStreamServer}/attach/${newId().slice(0, 8)}`;
  }

  async portForward(podSandboxId: string, _ports: number[], opts?: CallOptions): Promise<string> {
    this.enter('PortForward', opts, podSandboxId);
    this.sandbox('PortForward', podSandboxId);
    return `${fakeStreamServer}/portforward/${newId().slice(0, 8)}`;
  }

  private running(method: string, c: ContainerRecord): ContainerRecord {
    if (c.state !== 'CONTAINER_RUNNING') throw new CriError('runtime', method, `${method}: container is in ${c.state} state`);
    return c;
  }

  // ---- Stats: 1 MiB of memory and one core busy while running, nothing once exited

  async containerStats(containerId: string, opts?: CallOptions): Promise<ContainerStats> {
    this.enter('ContainerStats', opts, containerId);
    return this.stats(this.container('ContainerStats', containerId));
  }

  async listContainerStats(filter: ContainerStatsFilter = {}, opts?: CallOptions): Promise<ContainerStats[]> {
    this.enter('ListContainerStats', opts);
    return [...this.containers.values()]
      .filter((c) => c.state === 'CONTAINER_RUNNING')
      .filter((c) => (!filter.id || c.id === filter.id) && (!filter.podSandboxId || c.sandboxId === filter.podSandboxId))
      .filter((c) => labelsMatch(c.config.labels, filter.labelSelector))
      .map((c) => this.stats(c));
  }

  private stats(c: ContainerRecord): ContainerStats {
    const now = this.clock.now();
    const running = c.state === 'CONTAINER_RUNNING';
    const end = running ? now : c.finishedAt;
    const usage = c.startedAt > 0n ? end - c.startedAt : 0n;
    const mem = running ? 1024 * 1024 : 0;
    return {
      attributes: { id: c.id, metadata: { attempt: 0, ...c.config.metadata }, labels: { ...c.config.labels }, annotations: { ...c.config.annotations } },
      cpu: { timestamp: now, usageCoreNanoSeconds: usage, usageNanoCores: running ? 1e9 : 0 },
      memory: { timestamp: now, workingSetBytes: mem, availableBytes: undefined, usageBytes: mem, rssBytes: mem, pageFaults: 0, majorPageFaults: 0 },
      writableLayer: { timestamp: now, mountpoint: '/var/lib/fake/containers', usedBytes: 4096, inodesUsed: 1 },
    };
  }

  // ---- ImageService

  async listImages(opts?: CallOptions) {
    this.enter('ListImages', opts);
    return this.images.list().map(toImage);
  }

  async imageStatus(image: string, opts?: CallOptions) {
    this.enter('ImageStatus', opts, image);
    const found = this.images.find(image);
    return found && toImage(found);
  }

  async pullImage(image: string, opts?: PullOptions): Promise<string> {
    this.enter('PullImage', opts, image);
    return this.images.pull(image);
  }

  async removeImage(image: string, opts?: CallOptions): Promise<void> {
    this.enter('RemoveImage', opts, image);
    this.images.remove(image);
  }

  async imageFsInfo(opts?: CallOptions) {
    this.enter('ImageFsInfo', opts);
    const fs = { timestamp: this.clock.now(), mountpoint: '/var/lib/fake/images', usedBytes: this.images.usedBytes(), inodesUsed: this.images.list().length };
    return { imageFilesystems: [fs], containerFilesystems: [] };
  }

  /** As a client's close: later calls reject with 'unavailable'; the state stays for inspection. */
  async close(): Promise<void> {
    this.closed = true;
  }
}

// Sandbox and container lifecycle of the fake runtime, with containerd's
// rules: names are unique per sandbox (or pod) and attempt until removed;
// containers need a ready sandbox and a present image; stopping a sandbox
// kills its containers (137); removals and stops of unknown ids resolve.
import { CriError } from './errors.js';
import { FakeBase } from './fake-base.js';
import { programOf } from './fake-programs.js';
import { labelsMatch, newId, toContainer, toContainerStatus, toPodSandbox, toPodSandboxStatus } from './fake-state.js';
import type { CallOptions } from './runtime.js';
import type {
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStatus,
  LinuxContainerResources,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatus,
  RuntimeStatus,
  RuntimeVersion,
} from './types.js';

export class FakePods extends FakeBase {
  private nextIp = 2;

  // ---- RuntimeService

  async version(opts?: CallOptions): Promise<RuntimeVersion> {
    this.enter('Version', opts);
    return { version: '0.1.0', runtimeName: 'fake', runtimeVersion: '0.0.0', runtimeApiVersion: 'v1' };
  }

  async status(verbose = false, opts?: CallOptions): Promise<RuntimeStatus> {
    this.enter('Status', opts);
    const ready = (type: string) => ({ type, status: true, reason: '', message: '' });
    return { conditions: [ready('RuntimeReady'), ready('NetworkReady')], info: verbose ? { runtime: 'fake' } : {} };
  }

  async runPodSandbox(config: PodSandboxConfig, runtimeHandler = '', opts?: CallOptions): Promise<string> {
    this.enter('RunPodSandbox', opts);
    const m = config.metadata;
    const nameKey = `${m.name}_${m.namespace}_${m.uid}_${m.attempt ?? 0}`;
    for (const s of this.sandboxes.values()) {
      if (s.nameKey === nameKey) throw new CriError('already-exists', 'RunPodSandbox', `RunPodSandbox: failed to reserve sandbox name "${nameKey}"`);
    }
    const hostNetwork = config.linux?.securityContext?.namespaceOptions?.network === 'NODE';
    const id = newId();
    const ip = hostNetwork ? '' : `10.88.0.${this.nextIp++}`;
    this.sandboxes.set(id, { id, config: structuredClone(config), runtimeHandler, ready: true, createdAt: this.clock.now(), ip, nameKey });
    return id;
  }

  async stopPodSandbox(podSandboxId: string, opts?: CallOptions): Promise<void> {
    this.enter('StopPodSandbox', opts, podSandboxId);
    const s = this.sandboxes.get(podSandboxId);
    if (!s) return;
    for (const c of this.containers.values()) if (c.sandboxId === s.id) this.kill(c, 137);
    s.ready = false;
  }

  async removePodSandbox(podSandboxId: string, opts?: CallOptions): Promise<void> {
    this.enter('RemovePodSandbox', opts, podSandboxId);
    const s = this.sandboxes.get(podSandboxId);
    if (!s) return;
    for (const c of [...this.containers.values()]) {
      if (c.sandboxId !== s.id) continue;
      this.kill(c, 137);
      this.containers.delete(c.id);
    }
    this.sandboxes.delete(s.id);
  }

  async podSandboxStatus(podSandboxId: string, opts?: CallOptions): Promise<PodSandboxStatus> {
    this.enter('PodSandboxStatus', opts, podSandboxId);
    return toPodSandboxStatus(this.sandbox('PodSandboxStatus', podSandboxId));
  }

  async listPodSandbox(filter: PodSandboxFilter = {}, opts?: CallOptions): Promise<PodSandbox[]> {
    this.enter('ListPodSandbox', opts);
    return [...this.sandboxes.values()]
      .map(toPodSandbox)
      .filter((s) => (!filter.id || s.id === filter.id) && (!filter.state || s.state === filter.state) && labelsMatch(s.labels, filter.labelSelector));
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, _sandboxConfig: PodSandboxConfig, opts?: CallOptions): Promise<string> {
    this.enter('CreateContainer', opts, podSandboxId);
    const s = this.sandbox('CreateContainer', podSandboxId);
    // containerd's answer: the stopped sandbox's task is gone.
    if (!s.ready) throw new CriError('not-found', 'CreateContainer', `CreateContainer: failed to get sandbox container task: no running task found: task ${s.id} not found`);
    const image = this.images.find(config.image.image);
    if (!image) throw new CriError('not-found', 'CreateContainer', `CreateContainer: failed to resolve image "${config.image.image}": not found`);
    const m = s.config.metadata;
    const nameKey = `${config.metadata.name}_${m.name}_${m.namespace}_${m.uid}_${config.metadata.attempt ?? 0}`;
    for (const c of this.containers.values()) {
      if (c.nameKey === nameKey) throw new CriError('already-exists', 'CreateContainer', `CreateContainer: failed to reserve container name "${nameKey}"`);
    }
    const id = newId();
    const argv = [...(config.command ?? []), ...(config.args ?? [])];
    this.containers.set(id, {
      id,
      sandboxId: s.id,
      config: structuredClone(config),
      imageId: image.id,
      imageName: image.repoTags[0] ?? config.image.image,
      state: 'CONTAINER_CREATED',
      createdAt: this.clock.now(),
      startedAt: 0n,
      finishedAt: 0n,
      exitCode: 0,
      reason: '',
      message: '',
      program: programOf(argv.length > 0 ? argv : ['sh']),
      exitsAt: undefined,
      nameKey,
    });
    return id;
  }

  async startContainer(containerId: string, opts?: CallOptions): Promise<void> {
    this.enter('StartContainer', opts, containerId);
    const c = this.container('StartContainer', containerId);
    if (c.state !== 'CONTAINER_CREATED') throw new CriError('runtime', 'StartContainer', `StartContainer: container "${c.id}" is in ${c.state} state`);
    const now = this.clock.now();
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = now;
    if (c.program.exitAfterMs !== undefined) c.exitsAt = now + BigInt(Math.round(c.program.exitAfterMs * 1e6));
  }

  async stopContainer(containerId: string, timeoutSeconds: number, opts?: CallOptions): Promise<void> {
    this.enter('StopContainer', opts, containerId);
    const c = this.containers.get(containerId);
    if (c) this.kill(c, timeoutSeconds > 0 ? 143 : 137);
  }

  async removeContainer(containerId: string, opts?: CallOptions): Promise<void> {
    this.enter('RemoveContainer', opts, containerId);
    const c = this.containers.get(containerId);
    if (!c) return;
    this.kill(c, 137);
    this.containers.delete(c.id);
  }

  async listContainers(filter: ContainerFilter = {}, opts?: CallOptions): Promise<Container[]> {
    this.enter('ListContainers', opts);
    return [...this.containers.values()]
      .map(toContainer)
      .filter(
        (c) =>
          (!filter.id || c.id === filter.id) &&
          (!filter.state || c.state === filter.state) &&
          (!filter.podSandboxId || c.podSandboxId === filter.podSandboxId) &&
          labelsMatch(c.labels, filter.labelSelector),
      );
  }

  async containerStatus(containerId: string, opts?: CallOptions): Promise<ContainerStatus> {
    this.enter('ContainerStatus', opts, containerId);
    const c = this.container('ContainerStatus', containerId);
    return toContainerStatus(c, this.sandboxes.get(c.sandboxId));
  }

  async updateContainerResources(containerId: string, resources: LinuxContainerResources, opts?: CallOptions): Promise<void> {
    this.enter('UpdateContainerResources', opts, containerId);
    const c = this.container('UpdateContainerResources', containerId);
    c.config.linux = { ...c.config.linux, resources: structuredClone(resources) };
  }
}

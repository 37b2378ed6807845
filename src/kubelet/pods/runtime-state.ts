// What the runtime holds for one pod, read from the CRI alone (labels and
// annotations name the pod, container, restart count and spec hash), so a
// restarted kubelet sees exactly what the one before it left: sandboxes and
// containers, newest first, with exit details and termination messages.
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import type { ContainerRuntime } from '../cri/runtime.js';
import { isNotFound } from '../cri/errors.js';
import type { ContainerState, ContainerStatus, PodSandboxState, PodSandboxStatus } from '../cri/types.js';
import { containerHashAnnotation, containerNameLabel, podUidLabel, restartCountOf, terminationMessagePathAnnotation, terminationMessagePolicyAnnotation } from './labels.js';

export interface SandboxRecord {
  id: string;
  /** The pod's name and namespace as the sandbox was made for. */
  name: string;
  namespace: string;
  attempt: number;
  state: PodSandboxState;
  createdAt: bigint;
  ips: string[];
  hostNetwork: boolean;
}

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  name: string;
  restartCount: number;
  hash: string;
  state: ContainerState;
  createdAt: bigint;
  startedAt: bigint;
  finishedAt: bigint;
  exitCode: number;
  /** Runtime's exit reason: Completed, Error, OOMKilled. */
  reason: string;
  /** Runtime's message, followed by the termination message when there is one. */
  message: string;
  image: string;
  imageRef: string;
  logPath: string;
}

/** Records a sync made: sandboxes, and containers with their sandbox. */
export interface MadeRecords {
  sandboxes: string[];
  containers: { id: string; sandboxId: string }[];
}

export interface PodRuntimeState {
  uid: string;
  /** Newest first. */
  sandboxes: SandboxRecord[];
  /** Newest first. */
  containers: ContainerRecord[];
}

/** Upstream's bounds on a termination message. */
const maxMessageBytes = 4096;
const maxLogLines = 80;
const maxLogBytes = 2048;

function readHead(path: string, max: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(max);
    const n = readSync(fd, buf, 0, max, 0);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

function readTail(path: string, max: number): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - max);
    const buf = Buffer.alloc(size - start);
    const n = readSync(fd, buf, 0, buf.length, start);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The last lines a container wrote, from its CRI log file (`<time> <stream> <P|F> <text>` lines). */
export function lastLogText(path: string): string {
  let text: string;
  try {
    text = readTail(path, 64 * 1024);
  } catch {
    return '';
  }
  let out = '';
  for (const line of text.split('\n')) {
    const m = /^\S+ (?:stdout|stderr) (P|F) (.*)$/.exec(line);
    if (!m) continue;
    out += m[2] + (m[1] === 'F' ? '\n' : '');
  }
  const lines = out.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const tail = lines.slice(-maxLogLines).join('\n') + (out.endsWith('\n') ? '\n' : '');
  return Buffer.byteLength(tail) > maxLogBytes ? Buffer.from(tail).subarray(-maxLogBytes).toString('utf8') : tail;
}

/** The termination message of an exited container (file first, the log's tail for FallbackToLogsOnError). */
export function terminationMessage(status: ContainerStatus): string {
  const path = status.annotations[terminationMessagePathAnnotation];
  const mount = path ? status.mounts.find((m) => m.containerPath === path) : undefined;
  let message = '';
  if (mount) {
    try {
      message = readHead(mount.hostPath, maxMessageBytes);
    } catch {
      message = '';
    }
  }
  const fallback = status.annotations[terminationMessagePolicyAnnotation] === 'FallbackToLogsOnError';
  if (message === '' && fallback && status.exitCode !== 0 && status.logPath) message = lastLogText(status.logPath);
  return message;
}

function sandboxRecord(s: PodSandboxStatus): SandboxRecord {
  const ips = s.network?.ip ? [s.network.ip, ...s.network.additionalIps] : [];
  return { id: s.id, name: s.metadata.name, namespace: s.metadata.namespace, attempt: s.metadata.attempt ?? 0, state: s.state, createdAt: s.createdAt, ips, hostNetwork: s.namespaceOptions?.network === 'NODE' };
}

export class RuntimeStateReader {
  /** Messages of exited containers (they never change), by container id. */
  private readonly messages = new Map<string, string>();
  /** Pod uids the last full listing found records of; undefined before the first one. */
  private listedUids: ReadonlySet<string> | undefined;
  /** Pods read since they were last known to hold nothing: their syncs may have made records since. */
  private readonly touched = new Set<string>();

  constructor(private readonly runtime: ContainerRuntime) {}

  /**
   * The pod's records. Only the pod's own sync makes records of it, so a pod
   * that a full listing found nothing of, and that no sync touched since,
   * holds nothing: its first sync (every new pod's) asks the runtime nothing.
   */
  async read(uid: string): Promise<PodRuntimeState> {
    const untouched = !this.touched.has(uid);
    this.touched.add(uid);
    if (untouched && this.listedUids !== undefined && !this.listedUids.has(uid)) return { uid, sandboxes: [], containers: [] };
    const selector = { [podUidLabel]: uid };
    const [sandboxes, containers] = await Promise.all([this.runtime.listPodSandbox({ labelSelector: selector }), this.runtime.listContainers({ labelSelector: selector })]);
    return this.statesOf(uid, sandboxes.map((s) => s.id), containers.map((c) => ({ id: c.id, sandboxId: c.podSandboxId })));
  }

  /**
   * The pod's records after its sync, which read `prior` and since made just
   * `made`: the statuses of those, without listing (nothing else makes
   * records of the pod; records removed meanwhile are left out).
   */
  async reread(prior: PodRuntimeState, made: MadeRecords): Promise<PodRuntimeState> {
    const sandboxIds = [...prior.sandboxes.map((s) => s.id), ...made.sandboxes];
    const containers = [...prior.containers.map((c) => ({ id: c.id, sandboxId: c.sandboxId })), ...made.containers];
    return this.statesOf(prior.uid, sandboxIds, containers);
  }

  private async statesOf(uid: string, sandboxIds: string[], containers: { id: string; sandboxId: string }[]): Promise<PodRuntimeState> {
    const [sandboxStatuses, containerStatuses] = await Promise.all([
      Promise.all(sandboxIds.map((id) => this.ignoreGone(this.runtime.podSandboxStatus(id)))),
      Promise.all(containers.map((c) => this.ignoreGone(this.runtime.containerStatus(c.id)))),
    ]);
    const sandboxOf = new Map(containers.map((c) => [c.id, c.sandboxId]));
    const state: PodRuntimeState = {
      uid,
      sandboxes: sandboxStatuses.filter((s): s is PodSandboxStatus => s !== undefined).map(sandboxRecord),
      containers: containerStatuses.filter((c): c is ContainerStatus => c !== undefined).map((c) => this.containerRecord(c, sandboxOf.get(c.id) ?? '')),
    };
    state.sandboxes.sort((a, b) => (b.createdAt > a.createdAt ? 1 : b.createdAt < a.createdAt ? -1 : b.attempt - a.attempt));
    state.containers.sort((a, b) => b.restartCount - a.restartCount || (b.createdAt > a.createdAt ? 1 : b.createdAt < a.createdAt ? -1 : 0));
    return state;
  }

  /**
   * Takes a full listing, started after this reader was made: the pod uids
   * it found records of, and the container ids it found (cached messages of
   * the others are forgotten).
   */
  listed(uids: ReadonlySet<string>, liveIds: ReadonlySet<string>): void {
    this.listedUids = uids;
    for (const id of this.messages.keys()) if (!liveIds.has(id)) this.messages.delete(id);
  }

  /** The pod's records are all removed (its worker is done). */
  removed(uid: string): void {
    this.touched.delete(uid);
  }

  private containerRecord(s: ContainerStatus, sandboxId: string): ContainerRecord {
    let message = s.message;
    if (s.state === 'CONTAINER_EXITED') {
      let extra = this.messages.get(s.id);
      if (extra === undefined) {
        extra = terminationMessage(s);
        this.messages.set(s.id, extra);
      }
      if (extra !== '') message = message ? `${message}: ${extra}` : extra;
    }
    return {
      id: s.id,
      sandboxId,
      name: s.labels[containerNameLabel] ?? s.metadata.name,
      restartCount: restartCountOf(s.annotations, s.metadata.attempt),
      hash: s.annotations[containerHashAnnotation] ?? '',
      state: s.state,
      createdAt: s.createdAt,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      exitCode: s.exitCode,
      reason: s.reason,
      message,
      image: s.image.image,
      imageRef: s.imageRef,
      logPath: s.logPath,
    };
  }

  private async ignoreGone<T>(p: Promise<T>): Promise<T | undefined> {
    try {
      return await p;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}

/**
 * The record states a sync accounted for, from what it acted on (`before`)
 * and what it read after acting: records unchanged since, and records it
 * made, in the state its actions left them (sandbox ready, container
 * running). Anything else (an exit, a removal) is news for the next sync.
 */
export function settledStates(before: PodRuntimeState, after: PodRuntimeState): Map<string, string> {
  const prior = new Map<string, string>([...before.sandboxes, ...before.containers].map((r) => [r.id, r.state]));
  const out = new Map<string, string>();
  for (const r of [...after.sandboxes, ...after.containers]) {
    const was = prior.get(r.id);
    if (was === r.state || (was === undefined && (r.state === 'SANDBOX_READY' || r.state === 'CONTAINER_RUNNING'))) out.set(r.id, r.state);
  }
  return out;
}

/** The newest record of each container name. */
export function latestByName(containers: readonly ContainerRecord[]): Map<string, ContainerRecord> {
  const out = new Map<string, ContainerRecord>();
  for (const c of containers) if (!out.has(c.name)) out.set(c.name, c);
  return out;
}

/** The record before the newest of `name` (its last termination), if any. */
export function previousOf(containers: readonly ContainerRecord[], name: string): ContainerRecord | undefined {
  return containers.filter((c) => c.name === name)[1];
}

// The fake runtime's records of sandboxes and containers, its clock, and
// the conversions into what the CRI answers. State changes follow
// containerd's: a sandbox is READY until stopped; a container is CREATED,
// RUNNING once started, EXITED when its program ends, it is stopped or its
// sandbox is stopped.
import { randomBytes } from 'node:crypto';
import type { Program } from './fake-programs.js';
import type { Container, ContainerConfig, ContainerStatus, PodSandbox, PodSandboxConfig, PodSandboxStatus, UnixNanos } from './types.js';

/** Fake time: starts at a fixed instant and moves only when told. */
export class FakeClock {
  private ns = 1_700_000_000_000_000_000n;

  now(): UnixNanos {
    return this.ns;
  }

  advance(ms: number): void {
    this.ns += BigInt(Math.round(ms * 1e6));
  }
}

export interface SandboxRecord {
  id: string;
  config: PodSandboxConfig;
  runtimeHandler: string;
  ready: boolean;
  createdAt: UnixNanos;
  ip: string;
  nameKey: string;
}

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  config: ContainerConfig;
  imageId: string;
  imageName: string;
  state: 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED';
  createdAt: UnixNanos;
  startedAt: UnixNanos;
  finishedAt: UnixNanos;
  exitCode: number;
  reason: string;
  message: string;
  program: Program;
  /** When the program ends on its own, in fake time; undefined while not running or never. */
  exitsAt: UnixNanos | undefined;
  nameKey: string;
}

/** A 64-hex-digit id, as containerd makes them. */
export const newId = (): string => randomBytes(32).toString('hex');

/** containerd's exit reasons. */
export function exitReason(exitCode: number): string {
  return exitCode === 0 ? 'Completed' : 'Error';
}

const copy = <T>(value: T): T => structuredClone(value);

/** Ends a running container now with `exitCode` (no-op unless running). */
export function finish(c: ContainerRecord, at: UnixNanos, exitCode: number, reason = exitReason(exitCode), message = ''): void {
  if (c.state !== 'CONTAINER_RUNNING') return;
  Object.assign(c, { state: 'CONTAINER_EXITED', finishedAt: at, exitCode, reason, message, exitsAt: undefined });
}

export function toPodSandbox(s: SandboxRecord): PodSandbox {
  return {
    id: s.id,
    metadata: { attempt: 0, ...copy(s.config.metadata) },
    state: s.ready ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY',
    createdAt: s.createdAt,
    labels: { ...s.config.labels },
    annotations: { ...s.config.annotations },
    runtimeHandler: s.runtimeHandler,
  };
}

export function toPodSandboxStatus(s: SandboxRecord): PodSandboxStatus {
  const ns = s.config.linux?.securityContext?.namespaceOptions;
  return {
    ...toPodSandbox(s),
    network: { ip: s.ready ? s.ip : '', additionalIps: [] },
    namespaceOptions: { network: ns?.network ?? 'POD', pid: ns?.pid ?? 'POD', ipc: ns?.ipc ?? 'POD', targetId: ns?.targetId ?? '' },
  };
}

export function toContainer(c: ContainerRecord): Container {
  return {
    id: c.id,
    podSandboxId: c.sandboxId,
    metadata: { attempt: 0, ...copy(c.config.metadata) },
    image: { image: c.imageName, annotations: {} },
    imageRef: c.imageId,
    state: c.state,
    createdAt: c.createdAt,
    labels: { ...c.config.labels },
    annotations: { ...c.config.annotations },
  };
}

export function toContainerStatus(c: ContainerRecord, sandbox: SandboxRecord | undefined): ContainerStatus {
  const logDir = sandbox?.config.logDirectory;
  const logPath = c.config.logPath && logDir ? `${logDir}/${c.config.logPath}` : '';
  return {
    id: c.id,
    metadata: { attempt: 0, ...copy(c.config.metadata) },
    state: c.state,
    createdAt: c.createdAt,
    startedAt: c.startedAt,
    finishedAt: c.finishedAt,
    exitCode: c.exitCode,
    image: { image: c.imageName, annotations: {} },
    imageRef: c.imageId,
    reason: c.reason,
    message: c.message,
    labels: { ...c.config.labels },
    annotations: { ...c.config.annotations },
    mounts: copy(c.config.mounts ?? []),
    logPath,
    resources: copy(c.config.linux?.resources),
  };
}

/** A CRI filter's label selector: every pair must match. */
export function labelsMatch(labels: Record<string, string> | undefined, selector: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

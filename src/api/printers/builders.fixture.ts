// Test builders for printer tests: a fixed clock, a fluent pod builder and
// a way to print typed objects.
import type { Printer } from '../registry/types.js';
import type { corev1, KubeObject } from '../types.js';

export const now = new Date('2025-06-01T12:00:00Z');

export const second = 1000;
export const minute = 60 * second;
export const hour = 60 * minute;
export const day = 24 * hour;

/** The cells a printer gives a typed object at `now`. */
export function cellsOf(printer: Printer, obj: object): unknown[] {
  return printer.cells(obj as KubeObject, now);
}

/** The RFC 3339 time `ms` before `now`. */
export function ago(ms: number): string {
  return new Date(now.getTime() - ms).toISOString().replace('.000Z', 'Z');
}

interface StatusOptions {
  ready?: boolean;
  started?: boolean;
  restarts?: number;
  /** When the previous run of the container ended (lastState.terminated.finishedAt). */
  lastFinished?: string;
}

type State = corev1.ContainerState;
/** A pod whose status can be replaced while it is built. */
type DraftPod = Omit<corev1.Pod, 'status'> & { status?: corev1.PodStatus };

/** Builds a pod: `makePod('web').containers('app').running('app', { ready: true }).obj`. */
export class PodBuilder {
  private readonly draft: DraftPod;

  /** The pod built so far. */
  get obj(): corev1.Pod {
    return this.draft;
  }

  constructor(name: string) {
    this.draft = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', creationTimestamp: ago(10 * minute) }, spec: { containers: [] }, status: {} };
  }

  containers(...names: string[]): this {
    this.draft.spec = { ...this.draft.spec, containers: names.map((name) => ({ name, image: `${name}:1` })) };
    return this;
  }

  initContainers(...names: string[]): this {
    this.draft.spec = { containers: [], ...this.draft.spec, initContainers: names.map((name) => ({ name, image: `${name}:1` })) };
    return this;
  }

  /** Marks init containers as sidecars (restartPolicy Always). */
  sidecars(...names: string[]): this {
    for (const c of this.draft.spec?.initContainers ?? []) if (names.includes(c.name)) c.restartPolicy = 'Always';
    return this;
  }

  phase(phase: string, reason?: string): this {
    this.draft.status = { ...this.draft.status, phase, ...(reason ? { reason } : {}) };
    return this;
  }

  condition(type: string, status: string, reason?: string): this {
    const conditions = [...(this.draft.status?.conditions ?? []), { type, status, ...(reason ? { reason } : {}) }];
    this.draft.status = { ...this.draft.status, conditions };
    return this;
  }

  deleting(): this {
    this.draft.metadata = { ...this.draft.metadata, deletionTimestamp: ago(5 * second) };
    return this;
  }

  running(name: string, o: StatusOptions = {}): this {
    return this.status('containerStatuses', name, { running: { startedAt: ago(minute) } }, o);
  }

  waiting(name: string, reason: string, o: StatusOptions = {}): this {
    return this.status('containerStatuses', name, { waiting: { reason } }, o);
  }

  terminated(name: string, exitCode: number, reason?: string, o: StatusOptions = {}): this {
    return this.status('containerStatuses', name, { terminated: { exitCode, ...(reason ? { reason } : {}) } }, o);
  }

  initRunning(name: string, o: StatusOptions = {}): this {
    return this.status('initContainerStatuses', name, { running: { startedAt: ago(minute) } }, o);
  }

  initWaiting(name: string, reason: string, o: StatusOptions = {}): this {
    return this.status('initContainerStatuses', name, { waiting: { reason } }, o);
  }

  initTerminated(name: string, exitCode: number, reason?: string, o: StatusOptions = {}): this {
    return this.status('initContainerStatuses', name, { terminated: { exitCode, ...(reason ? { reason } : {}) } }, o);
  }

  private status(field: 'containerStatuses' | 'initContainerStatuses', name: string, state: State, o: StatusOptions): this {
    const entry: corev1.ContainerStatus = {
      name,
      image: `${name}:1`,
      imageID: '',
      ready: o.ready ?? false,
      restartCount: o.restarts ?? 0,
      state,
      ...(o.started !== undefined ? { started: o.started } : {}),
      ...(o.lastFinished ? { lastState: { terminated: { exitCode: 1, finishedAt: o.lastFinished } } } : {}),
    };
    this.draft.status = { ...this.draft.status, [field]: [...(this.draft.status?.[field] ?? []), entry] };
    return this;
  }
}

export function makePod(name = 'web'): PodBuilder {
  return new PodBuilder(name);
}

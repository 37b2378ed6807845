// The DaemonSet controller: one pod on every eligible node (daemonset-nodes.ts
// decides eligibility), pinned there by node affinity so the scheduler binds
// it. Pods on nodes that no longer qualify are deleted, failed pods are
// replaced, extra pods on a node are deleted (the oldest stays). Templates
// are recorded as ControllerRevisions (daemonset-history.ts); pods carry the
// revision's `controller-revision-hash` and `pod-template-generation`.
// RollingUpdate replaces old pods within maxUnavailable; OnDelete only
// creates new pods where old ones were deleted. Status counts as upstream,
// so `kubectl rollout status ds/x` can follow a rollout.
import type { appsv1, corev1 } from '../api/types.js';
import { objectKey, runWorkers, WorkQueue, type Client, type EventRecorder, type ResourceClient, type ResourceRef } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isNotFound, labelSelectorFromObject } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { DaemonSetHistory, revisionHashLabel } from './daemonset-history.js';
import { nodeFit, pinToNode, targetNodeOf } from './daemonset-nodes.js';
import { Expectations } from './expectations.js';
import { claimObjects, controllerRefOf, newControllerRef } from './ownership.js';
import { isPodAvailable, isPodReady } from './pods.js';

type Pod = corev1.Pod;
type Node = corev1.Node;
type DaemonSet = appsv1.DaemonSet;

export const daemonSetsRef = { group: 'apps', version: 'v1', resource: 'daemonsets', namespaced: true } as const satisfies ResourceRef;
export const templateGenerationLabel = 'pod-template-generation';

export interface DaemonSetControllerOptions {
  client: Client;
  daemonSets: Lister<DaemonSet>;
  pods: Lister<Pod>;
  nodes: Lister<Node>;
  revisions: Lister<appsv1.ControllerRevision>;
  recorder: Pick<EventRecorder, 'event'>;
  logger?: Logger;
  queue?: WorkQueue;
  now?: () => Date;
}

const kind = { apiVersion: 'apps/v1', kind: 'DaemonSet' } as const;

interface NodeState {
  node: Node;
  shouldRun: boolean;
  /** Live (not deleting, not failed) daemon pods on the node, oldest first. */
  pods: Pod[];
  deleting: number;
}

export class DaemonSetController implements Controller {
  readonly name = 'daemonset';
  readonly queue: WorkQueue;
  readonly expectations = new Expectations();
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly history: DaemonSetHistory;
  private readonly api: ResourceClient<DaemonSet>;

  constructor(private readonly opts: DaemonSetControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
    this.history = new DaemonSetHistory(opts.client, opts.revisions);
    this.api = opts.client.resource<DaemonSet>(daemonSetsRef);
    const enqueue = (ds: DaemonSet): void => this.queue.add(objectKey(ds));
    opts.daemonSets.addEventHandler({ onAdd: enqueue, onUpdate: (_o, ds) => enqueue(ds), onDelete: (ds) => (this.expectations.delete(objectKey(ds)), enqueue(ds)) });
    const all = (): void => opts.daemonSets.list().forEach(enqueue);
    opts.nodes.addEventHandler({
      onAdd: all,
      onUpdate: (old, node) => {
        if (JSON.stringify([old.metadata?.labels, old.spec?.taints]) !== JSON.stringify([node.metadata?.labels, node.spec?.taints])) all();
      },
      onDelete: all,
    });
    opts.pods.addEventHandler({
      onAdd: (pod) => this.podEvent(pod, 'add'),
      onUpdate: (old, pod) => old.metadata?.resourceVersion !== pod.metadata?.resourceVersion && this.podEvent(pod, pod.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp ? 'delete' : 'update'),
      onDelete: (pod) => this.podEvent(pod, 'delete'),
    });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.opts.daemonSets.get(name, namespace);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const ds: DaemonSet = { ...structuredClone(cached), ...kind };
    if (ds.metadata?.deletionTimestamp) return;
    const { hash } = await this.history.current(ds);
    const pods = await claimObjects({
      owner: { ...kind, metadata: ds.metadata },
      selector: labelSelectorFromObject(ds.spec?.selector),
      candidates: this.opts.pods.list(namespace),
      resource: this.opts.client.pods,
      namespace,
      canAdopt: () => this.fresh(ds),
    });
    const states = this.nodeStates(ds, pods);
    if (this.expectations.satisfied(key)) {
      // One kind of change per sync, so that expectations count one batch.
      const acted = await this.manage(key, ds, states, pods, hash);
      if (!acted && (ds.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate') await this.rollingUpdate(key, ds, states, hash);
    }
    await this.history.prune(ds, new Set(pods.map((p) => p.metadata?.labels?.[revisionHashLabel] ?? '')), hash);
    await this.updateStatus(ds, states, hash);
  }

  private nodeStates(ds: DaemonSet, pods: readonly Pod[]): Map<string, NodeState> {
    const states = new Map<string, NodeState>();
    const template = ds.spec?.template?.spec;
    for (const node of this.opts.nodes.list()) {
      const fit = nodeFit(template, node);
      states.set(node.metadata?.name ?? '', { node, shouldRun: fit.shouldRun, pods: [], deleting: 0 });
    }
    for (const pod of pods) {
      const state = states.get(targetNodeOf(pod) ?? '');
      if (!state) continue;
      if (pod.metadata?.deletionTimestamp) state.deleting++;
      else state.pods.push(pod);
    }
    for (const s of states.values()) s.pods.sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''));
    return states;
  }

  /** Creates missing pods and deletes failed, extra and misplaced ones. */
  private async manage(key: string, ds: DaemonSet, states: Map<string, NodeState>, pods: readonly Pod[], hash: string): Promise<boolean> {
    const create: string[] = [];
    const remove: Pod[] = [];
    const template = ds.spec?.template?.spec;
    for (const [nodeName, s] of states) {
      const fit = nodeFit(template, s.node);
      if (fit.shouldRun) {
        const failed = s.pods.filter((p) => p.status?.phase === 'Failed');
        remove.push(...failed);
        const live = s.pods.filter((p) => p.status?.phase !== 'Failed');
        if (live.length === 0 && s.deleting === 0) create.push(nodeName);
        // With maxSurge an old and a new pod may share a node during a rollout.
        const keep = surgeOf(ds, states) > 0 ? [live.find((p) => hashOf(p) === hash), live.find((p) => hashOf(p) !== hash)] : [live[0]];
        remove.push(...live.filter((p) => !keep.includes(p)));
      } else if (!fit.shouldContinueRunning) {
        remove.push(...s.pods);
      }
    }
    // Pods pinned to nodes that no longer exist.
    for (const pod of pods) if (!pod.metadata?.deletionTimestamp && !states.has(targetNodeOf(pod) ?? '')) remove.push(pod);
    if (create.length === 0 && remove.length === 0) return false;
    this.expectations.expectCreations(key, create.length);
    const errors: unknown[] = [];
    await Promise.all([
      ...create.map(async (nodeName) => {
        try {
          const pod = await this.opts.client.pods.create(daemonPod(ds, nodeName, hash), { namespace: ds.metadata?.namespace });
          this.opts.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name ?? ''}`);
        } catch (err) {
          this.expectations.creationObserved(key);
          this.opts.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${err instanceof Error ? err.message : String(err)}`);
          errors.push(err);
        }
      }),
      ...remove.map((pod) => this.deletePod(ds, pod).catch((err: unknown) => errors.push(err))),
    ]);
    if (errors.length > 0) throw errors[0] instanceof Error ? errors[0] : new Error(String(errors[0]));
    return true;
  }

  /** Deletes old pods: unavailable ones freely, available ones while fewer than maxUnavailable nodes are unavailable. */
  private async rollingUpdate(key: string, ds: DaemonSet, states: Map<string, NodeState>, hash: string): Promise<void> {
    if (surgeOf(ds, states) > 0) return this.surgeUpdate(key, ds, states, hash);
    const desired = [...states.values()].filter((s) => s.shouldRun);
    const maxUnavailable = resolveIntOrPercent(ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable, desired.length, 1);
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const now = this.now();
    let unavailable = 0;
    const oldAvailable: Pod[] = [];
    const oldUnavailable: Pod[] = [];
    for (const s of desired) {
      const pod = s.pods[0];
      const available = pod !== undefined && isPodAvailable(pod, minReady, now);
      if (!available) unavailable++;
      if (!pod || pod.metadata?.labels?.[revisionHashLabel] === hash) continue;
      (available ? oldAvailable : oldUnavailable).push(pod);
    }
    const victims = [...oldUnavailable, ...oldAvailable.slice(0, Math.max(0, maxUnavailable - unavailable))];
    if (victims.length === 0) return;
    this.expectations.expectDeletions(key, victims.map(objectKey));
    await Promise.all(victims.map((pod) => this.deletePod(ds, pod)));
  }

  /**
   * maxSurge: a new pod starts beside an available old one (at most maxSurge
   * nodes at a time); the old pod goes once the new one is available, or at
   * once when it was not available anyway.
   */
  private async surgeUpdate(key: string, ds: DaemonSet, states: Map<string, NodeState>, hash: string): Promise<void> {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const now = this.now();
    const victims: Pod[] = [];
    const candidates: string[] = [];
    let surging = 0;
    for (const [nodeName, s] of states) {
      if (!s.shouldRun) continue;
      const fresh = s.pods.find((p) => hashOf(p) === hash);
      const old = s.pods.find((p) => hashOf(p) !== hash);
      if (!old) continue;
      if (!isPodAvailable(old, minReady, now)) victims.push(old);
      else if (fresh && isPodAvailable(fresh, minReady, now)) victims.push(old);
      else if (fresh) surging++;
      else candidates.push(nodeName);
    }
    const create = candidates.slice(0, Math.max(0, surgeOf(ds, states) - surging));
    if (victims.length === 0 && create.length === 0) return;
    this.expectations.expectCreations(key, create.length);
    await Promise.all([
      ...victims.map((pod) => this.deletePod(ds, pod)),
      ...create.map(async (nodeName) => {
        try {
          const pod = await this.opts.client.pods.create(daemonPod(ds, nodeName, hash), { namespace: ds.metadata?.namespace });
          this.opts.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name ?? ''}`);
        } catch (err) {
          this.expectations.creationObserved(key);
          throw err;
        }
      }),
    ]);
  }

  private async deletePod(ds: DaemonSet, pod: Pod): Promise<void> {
    try {
      await this.opts.client.pods.delete(pod.metadata?.name ?? '', { namespace: pod.metadata?.namespace });
      this.opts.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name ?? ''}`);
    } catch (err) {
      if (isNotFound(err)) return;
      this.opts.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  private async updateStatus(ds: DaemonSet, states: Map<string, NodeState>, hash: string): Promise<void> {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const now = this.now();
    const n = { current: 0, misscheduled: 0, desired: 0, ready: 0, updated: 0, available: 0 };
    for (const s of states.values()) {
      const pod = s.pods.find((p) => hashOf(p) === hash && isPodAvailable(p, minReady, now)) ?? s.pods.find((p) => isPodAvailable(p, minReady, now)) ?? s.pods.find((p) => hashOf(p) === hash) ?? s.pods[0];
      if (!s.shouldRun) {
        if (pod) n.misscheduled++;
        continue;
      }
      n.desired++;
      if (!pod) continue;
      n.current++;
      if (isPodReady(pod)) n.ready++;
      if (isPodAvailable(pod, minReady, now)) n.available++;
      if (s.pods.some((p) => hashOf(p) === hash)) n.updated++;
    }
    const status: appsv1.DaemonSetStatus = {
      currentNumberScheduled: n.current,
      numberMisscheduled: n.misscheduled,
      desiredNumberScheduled: n.desired,
      numberReady: n.ready,
      updatedNumberScheduled: n.updated,
      numberAvailable: n.available,
      numberUnavailable: n.desired - n.available,
      observedGeneration: ds.metadata?.generation ?? 0,
    };
    if (ds.status?.collisionCount) status.collisionCount = ds.status.collisionCount;
    if (ds.status?.conditions) status.conditions = ds.status.conditions;
    const old: appsv1.DaemonSetStatus = ds.status ?? { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 };
    const keys = Object.keys(status) as Array<keyof appsv1.DaemonSetStatus>;
    if (ds.status && keys.every((k) => JSON.stringify(old[k] ?? 0) === JSON.stringify(status[k] ?? 0))) return;
    await this.api.updateStatus({ ...ds, status });
    if (minReady > 0) {
      const waits = [...states.values()].flatMap((s) => s.pods.slice(0, 1)).map((p) => msUntilAvailableOf(p, minReady, now));
      const wait = Math.max(0, ...waits);
      if (wait > 0) this.queue.addAfter(objectKey(ds), wait + 10);
    }
  }

  private async fresh(ds: DaemonSet): Promise<boolean> {
    try {
      const now = await this.api.get(ds.metadata?.name ?? '', ds.metadata?.namespace);
      return now.metadata?.uid === ds.metadata?.uid && !now.metadata?.deletionTimestamp;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private podEvent(pod: Pod, what: 'add' | 'update' | 'delete'): void {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== 'DaemonSet') return;
    const ds = this.opts.daemonSets.get(ref.name, pod.metadata?.namespace);
    if (!ds || ds.metadata?.uid !== ref.uid) return;
    const key = objectKey(ds);
    if (what === 'add' && !pod.metadata?.deletionTimestamp) this.expectations.creationObserved(key);
    if (what === 'delete') this.expectations.deletionObserved(key, objectKey(pod));
    this.queue.add(key);
  }
}

function hashOf(pod: Pod): string | undefined {
  return pod.metadata?.labels?.[revisionHashLabel];
}

/** maxSurge in nodes (0 unless RollingUpdate asks for it). */
function surgeOf(ds: DaemonSet, states: Map<string, NodeState>): number {
  const strategy = ds.spec?.updateStrategy;
  if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return 0;
  const desired = [...states.values()].filter((s) => s.shouldRun).length;
  return resolveIntOrPercent(strategy?.rollingUpdate?.maxSurge, desired, 0);
}

function msUntilAvailableOf(pod: Pod, minReadySeconds: number, now: Date): number {
  const since = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime;
  return since ? Math.max(0, Date.parse(since) + minReadySeconds * 1000 - now.getTime()) : 0;
}

/** An int-or-percent of `total` (percent rounded up), `fallback` when absent. */
export function resolveIntOrPercent(v: number | string | undefined, total: number, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  return m ? Math.ceil((Number(m[1]) * total) / 100) : Number.parseInt(v, 10) || 0;
}

/** The pod for `nodeName`: the template with the revision labels, pinned to the node, owned by the DaemonSet. */
export function daemonPod(ds: DaemonSet, nodeName: string, hash: string): Pod {
  const t = ds.spec?.template ?? {};
  const meta = t.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${ds.metadata?.name ?? ''}-`,
      namespace: ds.metadata?.namespace,
      labels: { ...meta.labels, [revisionHashLabel]: hash, [templateGenerationLabel]: String(ds.metadata?.generation ?? 1) },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [newControllerRef({ ...kind, metadata: ds.metadata })],
    },
    spec: pinToNode(structuredClone(t.spec ?? { containers: [] }), nodeName),
  };
}

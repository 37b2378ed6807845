// The ReplicaSet controller: keeps `spec.replicas` active pods matching the
// selector, owned by the ReplicaSet. Orphans that match are adopted, owned
// pods that stop matching are released. Scale-up creates pods in slow-start
// batches (1, 2, 4, ...); scale-down deletes the pods ranked first by
// victims.ts. Expectations (expectations.ts) keep a stale pod cache from
// causing double creates or deletes. Status counts replicas, fully labeled,
// ready and available pods.
import type { appsv1, corev1 } from '../api/types.js';
import { objectKey, runWorkers, WorkQueue, type Client, type EventRecorder } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isNotFound, labelSelectorFromObject, labelSelectorFromSet, type LabelMatcher } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { Expectations } from './expectations.js';
import { claimObjects, controllerRefOf, newControllerRef } from './ownership.js';
import { isPodActive, isPodAvailable, isPodReady, msUntilAvailable } from './pods.js';
import { podsToDelete } from './victims.js';

type Pod = corev1.Pod;
type ReplicaSet = appsv1.ReplicaSet;

export interface ReplicaSetControllerOptions {
  client: Client;
  pods: Lister<Pod>;
  replicaSets: Lister<ReplicaSet>;
  recorder: Pick<EventRecorder, 'event'>;
  logger?: Logger;
  queue?: WorkQueue;
  now?: () => Date;
  /** Most pods created or deleted in one sync (upstream: 500). */
  burstReplicas?: number;
}

const kind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;

export class ReplicaSetController implements Controller {
  readonly name = 'replicaset';
  readonly queue: WorkQueue;
  readonly expectations = new Expectations();
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly burst: number;

  constructor(private readonly opts: ReplicaSetControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
    this.burst = opts.burstReplicas ?? 500;
    opts.replicaSets.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (_old, rs) => this.enqueue(rs),
      onDelete: (rs) => {
        this.expectations.delete(objectKey(rs));
        this.enqueue(rs);
      },
    });
    opts.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.podDeleted(pod),
    });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.opts.replicaSets.get(name, namespace);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const rs: ReplicaSet = { ...structuredClone(cached), ...kind };
    const needsSync = this.expectations.satisfied(key);
    const selector = labelSelectorFromObject(rs.spec?.selector);
    const candidates = this.opts.pods.list(namespace).filter(isPodActive);
    const pods = await claimObjects({
      owner: { ...kind, metadata: rs.metadata },
      selector,
      candidates,
      resource: this.opts.client.pods,
      namespace,
      canAdopt: () => this.fresh(rs),
    });
    let manageError: Error | undefined;
    if (needsSync && !rs.metadata?.deletionTimestamp) {
      try {
        await this.manageReplicas(key, pods, rs);
      } catch (err) {
        manageError = err instanceof Error ? err : new Error(String(err));
      }
    }
    await this.updateStatus(rs, pods, manageError);
    if (manageError) throw manageError;
    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (minReady > 0) {
      const wait = Math.max(0, ...pods.map((p) => msUntilAvailable(p, minReady, this.now())));
      if (wait > 0) this.queue.addAfter(key, wait + 10);
    }
  }

  private async manageReplicas(key: string, pods: Pod[], rs: ReplicaSet): Promise<void> {
    const want = rs.spec?.replicas ?? 1;
    const diff = pods.length - want;
    if (diff < 0) {
      const count = Math.min(-diff, this.burst);
      this.expectations.expectCreations(key, count);
      const template = podFromTemplate(rs);
      let created = 0;
      let failure: Error | undefined;
      for (let batch = 1; created < count && !failure; batch = Math.min(batch * 2, count - created)) {
        const size = Math.min(batch, count - created);
        const results = await Promise.allSettled(Array.from({ length: size }, () => this.opts.client.pods.create(structuredClone(template), { namespace: rs.metadata?.namespace })));
        for (const r of results) {
          if (r.status === 'fulfilled') {
            this.opts.recorder.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata?.name ?? ''}`);
          } else {
            failure ??= r.reason instanceof Error ? r.reason : new Error(String(r.reason));
            this.expectations.creationObserved(key);
            this.opts.recorder.event(rs, 'Warning', 'FailedCreate', `Error creating: ${failure.message}`);
          }
        }
        created += size;
      }
      // Creations never attempted will not be observed.
      for (let i = created; i < count; i++) this.expectations.creationObserved(key);
      if (failure) throw failure;
      return;
    }
    if (diff > 0) {
      const count = Math.min(diff, this.burst);
      const related = this.relatedPods(rs);
      const victims = podsToDelete(pods, related, count);
      this.expectations.expectDeletions(key, victims.map(objectKey));
      const results = await Promise.allSettled(
        victims.map(async (pod) => {
          try {
            await this.opts.client.pods.delete(pod.metadata?.name ?? '', { namespace: pod.metadata?.namespace });
            this.opts.recorder.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name ?? ''}`);
          } catch (err) {
            this.expectations.deletionObserved(key, objectKey(pod));
            if (isNotFound(err)) return;
            this.opts.recorder.event(rs, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
            throw err;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
  }

  /** Active pods of this ReplicaSet and its siblings (same controller), for ranking victims by co-location. */
  private relatedPods(rs: ReplicaSet): Pod[] {
    const owner = controllerRefOf(rs);
    const namespace = rs.metadata?.namespace;
    const uids = new Set<string>([rs.metadata?.uid ?? '']);
    if (owner) for (const other of this.opts.replicaSets.list(namespace)) if (controllerRefOf(other)?.uid === owner.uid) uids.add(other.metadata?.uid ?? '');
    return this.opts.pods.list(namespace).filter((p) => isPodActive(p) && uids.has(controllerRefOf(p)?.uid ?? '\u0000'));
  }

  private async updateStatus(rs: ReplicaSet, pods: Pod[], manageError: Error | undefined): Promise<void> {
    const now = this.now();
    const minReady = rs.spec?.minReadySeconds ?? 0;
    const templateLabels = labelSelectorFromSet(rs.spec?.template?.metadata?.labels ?? {});
    const status: appsv1.ReplicaSetStatus = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.filter((p) => templateLabels.matches(p.metadata?.labels)).length,
      readyReplicas: pods.filter(isPodReady).length,
      availableReplicas: pods.filter((p) => isPodAvailable(p, minReady, now)).length,
      observedGeneration: rs.metadata?.generation ?? 0,
    };
    const conditions = (rs.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure');
    const failure = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
    if (manageError) {
      const reason = 'FailedCreate';
      conditions.push(failure?.message === manageError.message ? failure : { type: 'ReplicaFailure', status: 'True', reason, message: manageError.message, lastTransitionTime: stamp(now) });
    }
    if (conditions.length > 0) status.conditions = conditions;
    if (sameStatus(rs.status, status)) return;
    await this.opts.client.replicaSets.updateStatus({ ...rs, status });
  }

  /** A fresh read of the ReplicaSet: it may adopt only if it is the same object and not being deleted. */
  private async fresh(rs: ReplicaSet): Promise<boolean> {
    try {
      const now = await this.opts.client.replicaSets.get(rs.metadata?.name ?? '', rs.metadata?.namespace);
      return now.metadata?.uid === rs.metadata?.uid && !now.metadata?.deletionTimestamp;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private enqueue(rs: ReplicaSet): void {
    this.queue.add(objectKey(rs));
  }

  /** The key of the ReplicaSet controlling `pod`, if it is one we know. */
  private ownerKey(pod: Pod): string | undefined {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = this.opts.replicaSets.get(ref.name, pod.metadata?.namespace);
    if (!rs || rs.metadata?.uid !== ref.uid) return undefined;
    return objectKey(rs);
  }

  private enqueueMatching(pod: Pod): void {
    for (const rs of this.opts.replicaSets.list(pod.metadata?.namespace)) {
      if (selectorOf(rs).matches(pod.metadata?.labels)) this.enqueue(rs);
    }
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) {
      this.podDeleted(pod);
      return;
    }
    const key = this.ownerKey(pod);
    if (key) {
      this.expectations.creationObserved(key);
      this.queue.add(key);
    } else if (!controllerRefOf(pod)) this.enqueueMatching(pod);
  }

  private podUpdated(old: Pod, pod: Pod): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    if (pod.metadata?.deletionTimestamp && !old.metadata?.deletionTimestamp) {
      this.podDeleted(pod);
      return;
    }
    const oldKey = this.ownerKey(old);
    const key = this.ownerKey(pod);
    if (oldKey && oldKey !== key) this.queue.add(oldKey);
    if (key) this.queue.add(key);
    else if (!controllerRefOf(pod)) this.enqueueMatching(pod);
  }

  private podDeleted(pod: Pod): void {
    const key = this.ownerKey(pod);
    if (!key) return;
    this.expectations.deletionObserved(key, objectKey(pod));
    this.queue.add(key);
  }
}

function selectorOf(rs: ReplicaSet): LabelMatcher {
  try {
    return labelSelectorFromObject(rs.spec?.selector);
  } catch {
    return labelSelectorFromObject(null);
  }
}

/** The pod a ReplicaSet creates: its template, named `<rs>-<5 random>` by the server, controlled by it. */
export function podFromTemplate(rs: ReplicaSet): Pod {
  const t = rs.spec?.template ?? {};
  const meta = t.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${rs.metadata?.name ?? ''}-`,
      namespace: rs.metadata?.namespace,
      labels: { ...meta.labels },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [newControllerRef({ ...kind, metadata: rs.metadata })],
    },
    spec: structuredClone(t.spec ?? { containers: [] }),
  };
}

function sameStatus(a: appsv1.ReplicaSetStatus | undefined, b: appsv1.ReplicaSetStatus): boolean {
  if (!a) return false;
  return (
    (a.replicas ?? 0) === b.replicas &&
    (a.fullyLabeledReplicas ?? 0) === b.fullyLabeledReplicas &&
    (a.readyReplicas ?? 0) === b.readyReplicas &&
    (a.availableReplicas ?? 0) === b.availableReplicas &&
    (a.observedGeneration ?? 0) === b.observedGeneration &&
    JSON.stringify(a.conditions ?? []) === JSON.stringify(b.conditions ?? [])
  );
}

function stamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

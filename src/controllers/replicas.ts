// Keeping `spec.replicas` active pods of a template: the logic the
// ReplicaSet and ReplicationController controllers share, parameterised by
// the owner's kind (its API resource and how its selector reads). Orphans
// that match are adopted, owned pods that stop matching are released.
// Scale-up creates pods in slow-start batches (1, 2, 4, ...); scale-down
// deletes the pods ranked first by victims.ts. Expectations
// (expectations.ts) keep a stale pod cache from causing double creates or
// deletes. The status written is replicas-status.ts.
import type { corev1 } from '../api/types.js';
import { objectKey, runWorkers, WorkQueue, type Client, type EventRecorder, type ResourceClient } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isNotFound, labelSelectorFromObject, type LabelMatcher } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { Expectations } from './expectations.js';
import { claimObjects, controllerRefOf, newControllerRef } from './ownership.js';
import { isPodActive, msUntilAvailable } from './pods.js';
import { replicaStatus, sameStatus, type ReplicaOwner } from './replicas-status.js';
import { podsToDelete } from './victims.js';

type Pod = corev1.Pod;

export type { ReplicaOwner, ReplicaStatus } from './replicas-status.js';

export interface ReplicaKind<T extends ReplicaOwner> {
  /** Upstream's controller name, e.g. `replicaset`. */
  name: string;
  apiVersion: string;
  kind: string;
  resource(client: Client): ResourceClient<T>;
  /** The owner's pod selector; throws on an invalid one. */
  selector(owner: T): LabelMatcher;
}

export interface ReplicaControllerOptions<T extends ReplicaOwner> {
  client: Client;
  pods: Lister<Pod>;
  owners: Lister<T>;
  recorder: Pick<EventRecorder, 'event'>;
  logger?: Logger;
  queue?: WorkQueue;
  now?: () => Date;
  /** Most pods created or deleted in one sync (upstream: 500). */
  burstReplicas?: number;
}

export class ReplicaManager<T extends ReplicaOwner> implements Controller {
  readonly name: string;
  readonly queue: WorkQueue;
  readonly expectations = new Expectations();
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly burst: number;
  private readonly resource: ResourceClient<T>;

  constructor(
    private readonly kind: ReplicaKind<T>,
    private readonly opts: ReplicaControllerOptions<T>,
  ) {
    this.name = kind.name;
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
    this.burst = opts.burstReplicas ?? 500;
    this.resource = kind.resource(opts.client);
    opts.owners.addEventHandler({
      onAdd: (owner) => this.enqueue(owner),
      onUpdate: (_old, owner) => this.enqueue(owner),
      onDelete: (owner) => {
        this.expectations.delete(objectKey(owner));
        this.enqueue(owner);
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
    const cached = this.opts.owners.get(name, namespace);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const owner: T = { ...structuredClone(cached), apiVersion: this.kind.apiVersion, kind: this.kind.kind };
    const needsSync = this.expectations.satisfied(key);
    const selector = this.kind.selector(owner);
    const candidates = this.opts.pods.list(namespace).filter(isPodActive);
    const pods = await claimObjects({
      owner: { apiVersion: this.kind.apiVersion, kind: this.kind.kind, metadata: owner.metadata },
      selector,
      candidates,
      resource: this.opts.client.pods,
      namespace,
      canAdopt: () => this.fresh(owner),
    });
    let manageError: Error | undefined;
    if (needsSync && !owner.metadata?.deletionTimestamp) {
      try {
        await this.manageReplicas(key, pods, owner);
      } catch (err) {
        manageError = err instanceof Error ? err : new Error(String(err));
      }
    }
    await this.updateStatus(owner, pods, manageError);
    if (manageError) throw manageError;
    const minReady = owner.spec?.minReadySeconds ?? 0;
    if (minReady > 0) {
      const wait = Math.max(0, ...pods.map((p) => msUntilAvailable(p, minReady, this.now())));
      if (wait > 0) this.queue.addAfter(key, wait + 10);
    }
  }

  private async manageReplicas(key: string, pods: Pod[], owner: T): Promise<void> {
    const want = owner.spec?.replicas ?? 1;
    const diff = pods.length - want;
    if (diff < 0) {
      const count = Math.min(-diff, this.burst);
      this.expectations.expectCreations(key, count);
      const template = podFromTemplate(owner, this.kind);
      let created = 0;
      let failure: Error | undefined;
      for (let batch = 1; created < count && !failure; batch = Math.min(batch * 2, count - created)) {
        const size = Math.min(batch, count - created);
        const results = await Promise.allSettled(Array.from({ length: size }, () => this.opts.client.pods.create(structuredClone(template), { namespace: owner.metadata?.namespace })));
        for (const r of results) {
          if (r.status === 'fulfilled') {
            this.opts.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata?.name ?? ''}`);
          } else {
            failure ??= r.reason instanceof Error ? r.reason : new Error(String(r.reason));
            this.expectations.creationObserved(key);
            this.opts.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${failure.message}`);
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
      const victims = podsToDelete(pods, this.relatedPods(owner), count);
      this.expectations.expectDeletions(key, victims.map(objectKey));
      const results = await Promise.allSettled(
        victims.map(async (pod) => {
          try {
            await this.opts.client.pods.delete(pod.metadata?.name ?? '', { namespace: pod.metadata?.namespace });
            this.opts.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name ?? ''}`);
          } catch (err) {
            this.expectations.deletionObserved(key, objectKey(pod));
            if (isNotFound(err)) return;
            this.opts.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
            throw err;
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
    }
  }

  /** Active pods of this owner and its siblings (same controller), for ranking victims by co-location. */
  private relatedPods(owner: T): Pod[] {
    const parent = controllerRefOf(owner);
    const namespace = owner.metadata?.namespace;
    const uids = new Set<string>([owner.metadata?.uid ?? '']);
    if (parent) for (const other of this.opts.owners.list(namespace)) if (controllerRefOf(other)?.uid === parent.uid) uids.add(other.metadata?.uid ?? '');
    return this.opts.pods.list(namespace).filter((p) => isPodActive(p) && uids.has(controllerRefOf(p)?.uid ?? '\u0000'));
  }

  private async updateStatus(owner: T, pods: Pod[], manageError: Error | undefined): Promise<void> {
    const status = replicaStatus(owner, pods, manageError, this.now());
    if (sameStatus(owner.status, status)) return;
    await this.resource.updateStatus({ ...owner, status });
  }

  /** A fresh read of the owner: it may adopt only if it is the same object and not being deleted. */
  private async fresh(owner: T): Promise<boolean> {
    try {
      const now = await this.resource.get(owner.metadata?.name ?? '', owner.metadata?.namespace);
      return now.metadata?.uid === owner.metadata?.uid && !now.metadata?.deletionTimestamp;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private enqueue(owner: T): void {
    this.queue.add(objectKey(owner));
  }

  /** The key of the owner of our kind controlling `pod`, if it is one we know. */
  private ownerKey(pod: Pod): string | undefined {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== this.kind.kind) return undefined;
    const owner = this.opts.owners.get(ref.name, pod.metadata?.namespace);
    if (!owner || owner.metadata?.uid !== ref.uid) return undefined;
    return objectKey(owner);
  }

  private enqueueMatching(pod: Pod): void {
    for (const owner of this.opts.owners.list(pod.metadata?.namespace)) {
      if (this.selectorOf(owner).matches(pod.metadata?.labels)) this.enqueue(owner);
    }
  }

  private selectorOf(owner: T): LabelMatcher {
    try {
      return this.kind.selector(owner);
    } catch {
      return labelSelectorFromObject(null);
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

/** The pod an owner creates: its template, named `<owner>-<5 random>` by the server, controlled by it. */
export function podFromTemplate(owner: ReplicaOwner, kind: Pick<ReplicaKind<ReplicaOwner>, 'apiVersion' | 'kind'>): Pod {
  const t = owner.spec?.template ?? {};
  const meta = t.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: `${owner.metadata?.name ?? ''}-`,
      namespace: owner.metadata?.namespace,
      labels: { ...meta.labels },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [newControllerRef({ apiVersion: kind.apiVersion, kind: kind.kind, metadata: owner.metadata })],
    },
    spec: structuredClone(t.spec ?? { containers: [] }),
  };
}

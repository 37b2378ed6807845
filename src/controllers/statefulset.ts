// The StatefulSet controller: pods `<set>-0 .. <set>-(n-1)` with stable
// names and claims (statefulset-pods.ts, statefulset-claims.ts). As
// upstream, one sync walks the ordinals:
// 1. every missing pod is created (after its claims) and failed pods are
//    deleted to be made anew; OrderedReady stops at the first pod that is not
//    Running and Ready, so each pod waits for its predecessors; Parallel
//    goes on;
// 2. pods beyond the replica count are deleted from the highest ordinal
//    down, OrderedReady one at a time once every other pod is healthy;
// 3. RollingUpdate deletes the highest-ordinal pod not at the update
//    revision, down to the partition, one at a time and only while the pods
//    above it are healthy; step 1 recreates it at the new revision. OnDelete
//    leaves that to the user.
// Templates are recorded as ControllerRevisions (statefulset-history.ts);
// pods below the partition are made from the current revision. Status
// counts as upstream, so `kubectl rollout status sts/x` can follow it.
import type { appsv1, corev1 } from '../api/types.js';
import { objectKey, runWorkers, WorkQueue, type Client, type EventRecorder, type ResourceClient, type ResourceRef } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isAlreadyExists, isNotFound, labelSelectorFromObject } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { StatefulSetClaims } from './statefulset-claims.js';
import { StatefulSetHistory, templateOf, type SetRevisions } from './statefulset-history.js';
import { claimObjects, controllerRefOf } from './ownership.js';
import { isPodAvailable, msUntilAvailable } from './pods.js';
import { hasFinished, isHealthy, isRunningAndReady, isTerminating, ordinalOf, podIndexLabel, podNameLabel, revisionOf, startOrdinal, statefulPod, statefulSetKind } from './statefulset-pods.js';

type Pod = corev1.Pod;
type StatefulSet = appsv1.StatefulSet;

export const statefulSetsRef = { group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true } as const satisfies ResourceRef;

export interface StatefulSetControllerOptions {
  client: Client;
  statefulSets: Lister<StatefulSet>;
  pods: Lister<Pod>;
  revisions: Lister<appsv1.ControllerRevision>;
  claims: Lister<corev1.PersistentVolumeClaim>;
  recorder: Pick<EventRecorder, 'event'>;
  logger?: Logger;
  queue?: WorkQueue;
  now?: () => Date;
}

/** The set's pods by ordinal: `replicas[i]` holds ordinal start+i; `condemned` the rest, highest first. */
interface PodSlots {
  replicas: Array<{ ordinal: number; pod: Pod | undefined }>;
  condemned: Array<{ ordinal: number; pod: Pod }>;
}

export class StatefulSetController implements Controller {
  readonly name = 'statefulset';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly history: StatefulSetHistory;
  private readonly claims: StatefulSetClaims;
  private readonly api: ResourceClient<StatefulSet>;

  constructor(private readonly opts: StatefulSetControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
    this.history = new StatefulSetHistory(opts.client, opts.revisions);
    this.claims = new StatefulSetClaims(opts.client, opts.claims, opts.recorder);
    this.api = opts.client.resource<StatefulSet>(statefulSetsRef);
    const enqueue = (set: StatefulSet): void => this.queue.add(objectKey(set));
    opts.statefulSets.addEventHandler({ onAdd: enqueue, onUpdate: (_o, set) => enqueue(set), onDelete: enqueue });
    opts.pods.addEventHandler({
      onAdd: (pod) => this.podEvent(pod),
      onUpdate: (old, pod) => {
        if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
        if (controllerRefOf(old)?.uid !== controllerRefOf(pod)?.uid) this.podEvent(old);
        this.podEvent(pod);
      },
      onDelete: (pod) => this.podEvent(pod),
    });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.opts.statefulSets.get(name, namespace);
    if (!cached) return;
    const set: StatefulSet = { ...structuredClone(cached), ...statefulSetKind };
    if (set.metadata?.deletionTimestamp) return;
    const uid = set.metadata?.uid;
    const pods = await claimObjects({
      owner: { ...statefulSetKind, metadata: set.metadata },
      selector: labelSelectorFromObject(set.spec?.selector),
      // Only pods named as this set's members may be adopted.
      candidates: this.opts.pods.list(namespace).filter((p) => controllerRefOf(p)?.uid === uid || ordinalOf(set, p) !== undefined),
      resource: this.opts.client.pods,
      namespace,
      canAdopt: () => this.fresh(set),
    });
    const revisions = await this.history.resolve(set);
    const slots = slotsOf(set, pods);
    await this.reconcile(set, slots, revisions);
    const live = new Set([revisions.current, revisions.update].map((r) => r.metadata?.name ?? ''));
    for (const pod of pods) live.add(revisionOf(pod) ?? '');
    await this.history.prune(set, live);
    await this.updateStatus(set, pods, revisions);
  }

  /** Steps 1-3 of the header; returns at the first point where OrderedReady must wait. */
  private async reconcile(set: StatefulSet, slots: PodSlots, revisions: SetRevisions): Promise<void> {
    const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
    const minReady = set.spec?.minReadySeconds ?? 0;
    const now = this.now();
    for (const { ordinal, pod } of [...slots.replicas, ...slots.condemned]) if (pod && !isTerminating(pod)) await this.claims.retain(set, pod, ordinal);

    for (const { ordinal, pod } of slots.replicas) {
      if (!pod) {
        // Made now (or already made, the cache being behind): OrderedReady waits for it either way.
        await this.createPod(set, ordinal, revisions);
        if (monotonic) return;
        continue;
      }
      if (hasFinished(pod) && !isTerminating(pod)) {
        this.opts.recorder.event(set, 'Warning', 'RecreatingFailedPod', `StatefulSet ${set.metadata?.namespace ?? ''}/${set.metadata?.name ?? ''} is recreating failed Pod ${pod.metadata?.name ?? ''}`);
        await this.deletePod(set, pod);
        if (monotonic) return;
        continue;
      }
      if (!isTerminating(pod)) {
        // A pod that lost a claim (deleted by hand) gets it back before it is restarted.
        await this.claims.ensure(set, ordinal);
        await this.repairIdentity(set, pod, ordinal);
      }
      if (monotonic && (!isHealthy(pod) || !isPodAvailable(pod, minReady, now))) return;
    }

    const firstUnhealthy = [...slots.replicas.map((s) => s.pod), ...[...slots.condemned].reverse().map((s) => s.pod)].find((p) => !p || !isHealthy(p));
    for (const { pod } of slots.condemned) {
      if (isTerminating(pod)) {
        if (monotonic) return;
        continue;
      }
      if (monotonic && !isHealthy(pod) && pod !== firstUnhealthy) return;
      await this.deletePod(set, pod);
      if (monotonic) return;
    }

    const strategy = set.spec?.updateStrategy;
    if ((strategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') return;
    const partition = strategy?.rollingUpdate?.partition ?? 0;
    for (let i = slots.replicas.length - 1; i >= partition; i--) {
      const pod = slots.replicas[i]?.pod;
      if (!pod) return;
      if (revisionOf(pod) !== revisions.update.metadata?.name && !isTerminating(pod)) {
        await this.deletePod(set, pod);
        return;
      }
      if (!isHealthy(pod)) return;
    }
  }

  /** Creates the pod at `ordinal`, claims first; one that already exists is left be. */
  private async createPod(set: StatefulSet, ordinal: number, revisions: SetRevisions): Promise<void> {
    const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    const revision = rolling && ordinal < startOrdinal(set) + partition ? revisions.current : revisions.update;
    const pod = statefulPod(set, templateOf(revision), revision.metadata?.name ?? '', ordinal);
    const name = pod.metadata?.name ?? '';
    const setName = set.metadata?.name ?? '';
    await this.claims.ensure(set, ordinal);
    try {
      await this.opts.client.pods.create(pod, { namespace: set.metadata?.namespace });
    } catch (err) {
      if (isAlreadyExists(err)) return;
      this.opts.recorder.event(set, 'Warning', 'FailedCreate', `create Pod ${name} in StatefulSet ${setName} failed error: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    this.opts.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Pod ${name} in StatefulSet ${setName} successful`);
  }

  /** Puts back identity labels a pod lost (or never had, when adopted). */
  private async repairIdentity(set: StatefulSet, pod: Pod, ordinal: number): Promise<void> {
    const labels = pod.metadata?.labels ?? {};
    const name = pod.metadata?.name ?? '';
    if (labels[podNameLabel] === name && labels[podIndexLabel] === String(ordinal)) return;
    await this.opts.client.pods.patch(name, { metadata: { labels: { [podNameLabel]: name, [podIndexLabel]: String(ordinal) } } }, { namespace: pod.metadata?.namespace, type: 'strategic' });
    this.opts.recorder.event(set, 'Normal', 'SuccessfulUpdate', `update Pod ${name} in StatefulSet ${set.metadata?.name ?? ''} successful`);
  }

  private async deletePod(set: StatefulSet, pod: Pod): Promise<void> {
    const name = pod.metadata?.name ?? '';
    const setName = set.metadata?.name ?? '';
    try {
      await this.opts.client.pods.delete(name, { namespace: pod.metadata?.namespace, preconditions: { uid: pod.metadata?.uid } });
      this.opts.recorder.event(set, 'Normal', 'SuccessfulDelete', `delete Pod ${name} in StatefulSet ${setName} successful`);
    } catch (err) {
      if (isNotFound(err)) return;
      this.opts.recorder.event(set, 'Warning', 'FailedDelete', `delete Pod ${name} in StatefulSet ${setName} failed error: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
  }

  private async updateStatus(set: StatefulSet, pods: readonly Pod[], revisions: SetRevisions): Promise<void> {
    const minReady = set.spec?.minReadySeconds ?? 0;
    const now = this.now();
    const current = revisions.current.metadata?.name ?? '';
    const update = revisions.update.metadata?.name ?? '';
    const members = pods.filter((p) => ordinalOf(set, p) !== undefined);
    const live = members.filter((p) => !isTerminating(p));
    const status: appsv1.StatefulSetStatus = {
      replicas: members.length,
      readyReplicas: members.filter(isRunningAndReady).length,
      availableReplicas: members.filter((p) => isRunningAndReady(p) && isPodAvailable(p, minReady, now)).length,
      currentReplicas: live.filter((p) => revisionOf(p) === current).length,
      updatedReplicas: live.filter((p) => revisionOf(p) === update).length,
      currentRevision: current,
      updateRevision: update,
      collisionCount: revisions.collisionCount,
      observedGeneration: set.metadata?.generation ?? 0,
    };
    // A finished rolling update makes the update revision current.
    const rolling = (set.spec?.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    if (rolling && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
      status.currentRevision = update;
      status.currentReplicas = status.updatedReplicas;
    }
    if (set.status?.conditions) status.conditions = set.status.conditions;
    const old: appsv1.StatefulSetStatus = set.status ?? { replicas: 0 };
    const keys = Object.keys(status) as Array<keyof appsv1.StatefulSetStatus>;
    if (!set.status || !keys.every((k) => JSON.stringify(old[k] ?? 0) === JSON.stringify(status[k] ?? 0))) await this.api.updateStatus({ ...set, status });
    if (minReady > 0) {
      const wait = Math.max(0, ...members.map((p) => msUntilAvailable(p, minReady, now)));
      if (wait > 0) this.queue.addAfter(objectKey(set), wait + 10);
    }
  }

  /** A fresh read: the set may adopt only if it is the same object and not being deleted. */
  private async fresh(set: StatefulSet): Promise<boolean> {
    try {
      const now = await this.api.get(set.metadata?.name ?? '', set.metadata?.namespace);
      return now.metadata?.uid === set.metadata?.uid && !now.metadata?.deletionTimestamp;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Enqueues the pod's controlling set, or for an orphan every set whose selector matches it. */
  private podEvent(pod: Pod): void {
    const ref = controllerRefOf(pod);
    const namespace = pod.metadata?.namespace;
    if (ref) {
      if (ref.kind !== 'StatefulSet') return;
      const set = this.opts.statefulSets.get(ref.name, namespace);
      if (set && set.metadata?.uid === ref.uid) this.queue.add(objectKey(set));
      return;
    }
    for (const set of this.opts.statefulSets.list(namespace)) {
      try {
        if (labelSelectorFromObject(set.spec?.selector).matches(pod.metadata?.labels)) this.queue.add(objectKey(set));
      } catch {
        // A set with an invalid selector selects nothing.
      }
    }
  }
}

function slotsOf(set: StatefulSet, pods: readonly Pod[]): PodSlots {
  const start = startOrdinal(set);
  const count = set.spec?.replicas ?? 1;
  const replicas = Array.from({ length: count }, (_, i) => ({ ordinal: start + i, pod: undefined as Pod | undefined }));
  const condemned: PodSlots['condemned'] = [];
  for (const pod of pods) {
    const ordinal = ordinalOf(set, pod);
    if (ordinal === undefined) continue;
    const slot = replicas[ordinal - start];
    if (slot) slot.pod = pod;
    else condemned.push({ ordinal, pod });
  }
  condemned.sort((a, b) => b.ordinal - a.ordinal);
  return { replicas, condemned };
}

// The Deployment controller: owns ReplicaSets named `<deployment>-<hash>`
// (hash of the pod template, see deployment-revisions.ts) and moves pods
// from the old ones to the new one — RollingUpdate within maxSurge and
// maxUnavailable (deployment-rolling.ts), or Recreate (all old pods gone
// first). Scaling mid-rollout is proportional; a paused Deployment only
// scales. Revisions are the `deployment.kubernetes.io/revision` annotation;
// old ReplicaSets beyond revisionHistoryLimit are deleted once complete.
// Status and conditions: deployment-status.ts.
import type { appsv1, corev1 } from '../api/types.js';
import { objectKey, runWorkers, WorkQueue, type Client, type EventRecorder } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isNotFound, labelSelectorFromObject, type LabelMatcher } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { annotationsStale, cleanupHistory, createReplicaSet, deploymentKind, rsKind, scaleReplicaSet, syncRevision, type Deps } from './deployment-replicasets.js';
import { byCreation, copiedAnnotations, desiredReplicasAnnotation, findNewReplicaSet, maxReplicasAnnotation, maxRevision, replicasOf, revisionAnnotation, revisionOf } from './deployment-revisions.js';
import { isRollingUpdate, newReplicaSetReplicas, oldReplicaSetsScaleDown, proportionalSizes } from './deployment-rolling.js';
import { calculateStatus, condition, isComplete, msUntilDeadline, newCondition, reasons, sameStatus, setCondition, setProgressing } from './deployment-status.js';
import { claimObjects, controllerRefOf } from './ownership.js';

type Deployment = appsv1.Deployment;
type ReplicaSet = appsv1.ReplicaSet;
type Pod = corev1.Pod;

export interface DeploymentControllerOptions {
  client: Client;
  deployments: Lister<Deployment>;
  replicaSets: Lister<ReplicaSet>;
  pods: Lister<Pod>;
  recorder: Pick<EventRecorder, 'event'>;
  logger?: Logger;
  queue?: WorkQueue;
  now?: () => Date;
}


interface Family {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly deps: Deps;

  constructor(private readonly opts: DeploymentControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
    this.deps = { client: opts.client, recorder: opts.recorder, now: this.now };
    opts.deployments.addEventHandler({
      onAdd: (d) => this.queue.add(objectKey(d)),
      onUpdate: (_old, d) => this.queue.add(objectKey(d)),
      onDelete: (d) => this.queue.add(objectKey(d)),
    });
    opts.replicaSets.addEventHandler({
      onAdd: (rs) => this.replicaSetChanged(rs),
      onUpdate: (old, rs) => {
        const oldOwner = this.ownerKey(old);
        if (oldOwner && oldOwner !== this.ownerKey(rs)) this.queue.add(oldOwner);
        this.replicaSetChanged(rs);
      },
      onDelete: (rs) => {
        const key = this.ownerKey(rs);
        if (key) this.queue.add(key);
      },
    });
    // Recreate waits for old pods to be gone; their deletion is the signal.
    opts.pods.addEventHandler({
      onDelete: (pod) => {
        const rsRef = controllerRefOf(pod);
        if (rsRef?.kind !== 'ReplicaSet') return;
        const rs = opts.replicaSets.get(rsRef.name, pod.metadata?.namespace);
        const key = rs && rs.metadata?.uid === rsRef.uid ? this.ownerKey(rs) : undefined;
        if (!key) return;
        const d = opts.deployments.get(key.split('/')[1] ?? '', pod.metadata?.namespace);
        if (d?.spec?.strategy?.type === 'Recreate') this.queue.add(key);
      },
    });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.opts.deployments.get(name, namespace);
    if (!cached) return;
    let d: Deployment = { ...structuredClone(cached), ...deploymentKind };
    const selector = labelSelectorFromObject(d.spec?.selector);
    if (selector.isEverything()) {
      this.opts.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        await this.opts.client.deployments.updateStatus({ ...d, status: { ...d.status, observedGeneration: d.metadata?.generation ?? 0 } });
      }
      return;
    }
    const rsList = await this.claimReplicaSets(d, selector);
    if (d.metadata?.deletionTimestamp) {
      await this.syncStatusOnly(d, rsList);
      return;
    }
    d = await this.checkPausedConditions(d);
    if (d.spec?.paused || (await this.isScalingEvent(d, rsList))) {
      await this.syncScale(d, rsList);
      return;
    }
    if (d.spec?.strategy?.type === 'Recreate') await this.rolloutRecreate(d, rsList);
    else await this.rolloutRolling(d, rsList);
  }

  // Strategies.

  private async rolloutRolling(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const fam = await this.family(d, rsList, true);
    let newRS = fam.newRS!;
    const oldRSs = fam.oldRSs;
    const want = replicasOf(d);
    if (replicasOf(newRS) !== want) {
      const target = replicasOf(newRS) > want ? want : newReplicaSetReplicas(d, [...oldRSs, newRS], newRS);
      if (target !== replicasOf(newRS)) {
        newRS = await scaleReplicaSet(this.deps, d, newRS, target);
        await this.syncRolloutStatus(d, newRS, [...oldRSs, newRS]);
        return;
      }
    }
    const steps = oldReplicaSetsScaleDown(
      d,
      oldRSs.filter((rs) => replicasOf(rs) > 0),
      newRS,
    );
    if (steps.length > 0) {
      const scaled = new Map<ReplicaSet, ReplicaSet>();
      for (const step of steps) scaled.set(step.rs, await scaleReplicaSet(this.deps, d, step.rs, step.to));
      await this.syncRolloutStatus(d, newRS, [...oldRSs.map((rs) => scaled.get(rs) ?? rs), newRS]);
      return;
    }
    const status = calculateStatus(d, [...oldRSs, newRS], newRS, this.now());
    if (isComplete(d, status)) await cleanupHistory(this.deps, d, oldRSs);
    await this.syncRolloutStatus(d, newRS, [...oldRSs, newRS]);
  }

  private async rolloutRecreate(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    let fam = await this.family(d, rsList, false);
    const oldRSs = fam.oldRSs;
    const active = oldRSs.filter((rs) => replicasOf(rs) > 0);
    if (active.length > 0) {
      const scaled = new Map<ReplicaSet, ReplicaSet>();
      for (const rs of active) scaled.set(rs, await scaleReplicaSet(this.deps, d, rs, 0));
      const all = [...oldRSs.map((rs) => scaled.get(rs) ?? rs), ...(fam.newRS ? [fam.newRS] : [])];
      await this.syncRolloutStatus(d, fam.newRS, all);
      return;
    }
    if (this.oldPodsRunning(fam)) {
      await this.syncRolloutStatus(d, fam.newRS, [...oldRSs, ...(fam.newRS ? [fam.newRS] : [])]);
      return;
    }
    if (!fam.newRS) fam = await this.family(d, rsList, true);
    let newRS = fam.newRS!;
    if (replicasOf(newRS) !== replicasOf(d)) {
      newRS = await scaleReplicaSet(this.deps, d, newRS, replicasOf(d));
      await this.syncRolloutStatus(d, newRS, [...oldRSs, newRS]);
      return;
    }
    const status = calculateStatus(d, [...oldRSs, newRS], newRS, this.now());
    if (isComplete(d, status)) await cleanupHistory(this.deps, d, oldRSs);
    await this.syncRolloutStatus(d, newRS, [...oldRSs, newRS]);
  }

  /** A scaling event (or a paused Deployment): resize the active ReplicaSets, proportionally when several. */
  private async syncScale(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const fam = await this.family(d, rsList, false);
    const all = fam.newRS ? [...fam.oldRSs, fam.newRS] : [...fam.oldRSs];
    const replaced = new Map<ReplicaSet, ReplicaSet>();
    const active = all.filter((rs) => replicasOf(rs) > 0);
    const want = replicasOf(d);
    const only = active.length === 1 ? active[0] : active.length === 0 ? fam.newRS ?? [...fam.oldRSs].sort(byCreation).at(-1) : undefined;
    if (only) {
      if (replicasOf(only) !== want || annotationsStale(d, only)) replaced.set(only, await scaleReplicaSet(this.deps, d, only, want));
    } else if (fam.newRS && replicasOf(fam.newRS) === want && (fam.newRS.status?.availableReplicas ?? 0) === want) {
      for (const rs of fam.oldRSs.filter((r) => replicasOf(r) > 0)) replaced.set(rs, await scaleReplicaSet(this.deps, d, rs, 0));
    } else if (isRollingUpdate(d)) {
      const sizes = proportionalSizes(d, active, (rs) => {
        const n = Number(rs.metadata?.annotations?.[maxReplicasAnnotation]);
        return Number.isInteger(n) && n > 0 ? n : undefined;
      });
      // Shrink before growing, so the total stays within bounds meanwhile.
      const order = [...sizes].sort(([a, x], [b, y]) => x - replicasOf(a) - (y - replicasOf(b)));
      for (const [rs, size] of order) replaced.set(rs, await scaleReplicaSet(this.deps, d, rs, size));
    }
    const after = all.map((rs) => replaced.get(rs) ?? rs);
    const newRS = fam.newRS ? replaced.get(fam.newRS) ?? fam.newRS : undefined;
    if (d.spec?.paused) await cleanupHistory(this.deps, d, after.filter((rs) => rs !== newRS));
    await this.writeStatus(d, calculateStatus(d, after, newRS, this.now()));
  }

  private async syncStatusOnly(d: Deployment, rsList: ReplicaSet[]): Promise<void> {
    const fam = await this.family(d, rsList, false);
    const all = fam.newRS ? [...fam.oldRSs, fam.newRS] : fam.oldRSs;
    await this.writeStatus(d, calculateStatus(d, all, fam.newRS, this.now()));
  }

  private async syncRolloutStatus(d: Deployment, newRS: ReplicaSet | undefined, all: ReplicaSet[]): Promise<void> {
    const now = this.now();
    const status = calculateStatus(d, all, newRS, now);
    setProgressing(d, status, newRS, now);
    await this.writeStatus(d, status);
    const wait = msUntilDeadline(d, status, now);
    if (wait !== undefined) this.queue.addAfter(objectKey(d), wait);
  }

  private async writeStatus(d: Deployment, status: appsv1.DeploymentStatus): Promise<void> {
    if (sameStatus(d.status, status)) return;
    await this.opts.client.deployments.updateStatus({ ...d, status });
  }

  /** Sets Progressing to Unknown/DeploymentPaused or DeploymentResumed when pausing or resuming. */
  private async checkPausedConditions(d: Deployment): Promise<Deployment> {
    if (d.spec?.progressDeadlineSeconds === undefined) return d;
    const current = condition(d.status, 'Progressing');
    if (current?.reason === reasons.timedOut) return d;
    const paused = Boolean(d.spec?.paused);
    let c: appsv1.DeploymentCondition | undefined;
    if (paused && current?.reason !== reasons.paused) c = newCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused', this.now());
    else if (!paused && current?.reason === reasons.paused) c = newCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed', this.now());
    if (!c) return d;
    const status = { ...d.status, conditions: [...(d.status?.conditions ?? [])] };
    setCondition(status, c);
    return { ...(await this.opts.client.deployments.updateStatus({ ...d, status })), ...deploymentKind };
  }

  private async isScalingEvent(d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
    const fam = await this.family(d, rsList, false);
    const all = fam.newRS ? [fam.newRS, ...fam.oldRSs] : fam.oldRSs;
    return all.some((rs) => {
      if (replicasOf(rs) === 0) return false;
      const desired = rs.metadata?.annotations?.[desiredReplicasAnnotation];
      return desired !== undefined && desired !== String(replicasOf(d));
    });
  }

  private oldPodsRunning(fam: Family): boolean {
    if (fam.oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    const uids = new Set(fam.oldRSs.map((rs) => rs.metadata?.uid));
    return fam.oldRSs.length > 0 && this.opts.pods.list(fam.oldRSs[0]?.metadata?.namespace).some((p) => {
      const phase = p.status?.phase;
      return uids.has(controllerRefOf(p)?.uid) && phase !== 'Succeeded' && phase !== 'Failed';
    });
  }

  // ReplicaSets.

  private async claimReplicaSets(d: Deployment, selector: LabelMatcher): Promise<ReplicaSet[]> {
    const namespace = d.metadata?.namespace ?? '';
    const claimed = await claimObjects({
      owner: { ...deploymentKind, metadata: d.metadata },
      selector,
      candidates: this.opts.replicaSets.list(namespace),
      resource: this.opts.client.replicaSets,
      namespace,
      canAdopt: async () => {
        try {
          const fresh = await this.opts.client.deployments.get(d.metadata?.name ?? '', namespace);
          return fresh.metadata?.uid === d.metadata?.uid && !fresh.metadata?.deletionTimestamp;
        } catch (err) {
          if (isNotFound(err)) return false;
          throw err;
        }
      },
    });
    return claimed.map((rs) => ({ ...structuredClone(rs), ...rsKind }));
  }

  /**
   * The new ReplicaSet (created when `create` and missing) and the old ones.
   * Also brings the new one's revision up to date and copies it to the
   * Deployment's revision annotation.
   */
  private async family(d: Deployment, rsList: ReplicaSet[], create: boolean): Promise<Family> {
    const found = findNewReplicaSet(d, rsList);
    const oldRSs = rsList.filter((rs) => rs !== found);
    const revision = maxRevision(oldRSs) + 1;
    let newRS = found;
    if (found) {
      const copy = structuredClone(found);
      const annotations = { ...copy.metadata?.annotations, ...copiedAnnotations(d) };
      if (revisionOf(found) < revision) annotations[revisionAnnotation] = String(revision);
      const minReadyChanged = (copy.spec?.minReadySeconds ?? 0) !== (d.spec?.minReadySeconds ?? 0);
      if (JSON.stringify(annotations) !== JSON.stringify(copy.metadata?.annotations ?? {}) || minReadyChanged) {
        copy.metadata = { ...copy.metadata, annotations };
        copy.spec = { ...copy.spec!, minReadySeconds: d.spec?.minReadySeconds ?? 0 };
        newRS = { ...(await this.opts.client.replicaSets.update(copy)), ...rsKind };
        this.replaceIn(rsList, found, newRS);
      }
    } else if (create) {
      newRS = await createReplicaSet(this.deps, d, oldRSs, revision);
      rsList.push(newRS);
    }
    if (newRS) await syncRevision(this.deps, d, newRS);
    return { newRS, oldRSs };
  }


  private replaceIn(list: ReplicaSet[], old: ReplicaSet, next: ReplicaSet): void {
    const i = list.indexOf(old);
    if (i >= 0) list[i] = next;
  }

  // Event routing.

  private ownerKey(rs: ReplicaSet): string | undefined {
    const ref = controllerRefOf(rs);
    if (ref?.kind !== 'Deployment') return undefined;
    const d = this.opts.deployments.get(ref.name, rs.metadata?.namespace);
    return d && d.metadata?.uid === ref.uid ? objectKey(d) : undefined;
  }

  private replicaSetChanged(rs: ReplicaSet): void {
    const key = this.ownerKey(rs);
    if (key) {
      this.queue.add(key);
      return;
    }
    if (controllerRefOf(rs)) return;
    for (const d of this.opts.deployments.list(rs.metadata?.namespace)) {
      try {
        if (labelSelectorFromObject(d.spec?.selector).matches(rs.metadata?.labels)) this.queue.add(objectKey(d));
      } catch {
        // An invalid selector adopts nothing.
      }
    }
  }
}


// A Deployment's status from its ReplicaSets, with the Available and
// Progressing conditions and upstream's reasons and messages, so that
// `kubectl rollout status` reads it as it reads upstream's.
import type { appsv1 } from '../api/types.js';
import { replicasOf } from './deployment-revisions.js';
import { maxUnavailableOf } from './deployment-rolling.js';

type Deployment = appsv1.Deployment;
type ReplicaSet = appsv1.ReplicaSet;
type Status = appsv1.DeploymentStatus;
type Condition = appsv1.DeploymentCondition;

export const reasons = {
  newRSAvailable: 'NewReplicaSetAvailable',
  rsUpdated: 'ReplicaSetUpdated',
  newRSCreated: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minAvailable: 'MinimumReplicasAvailable',
  minUnavailable: 'MinimumReplicasUnavailable',
} as const;

export function stamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

export function condition(status: Status | undefined, type: string): Condition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: Date): Condition {
  const t = stamp(now);
  return { type, status, reason, message, lastUpdateTime: t, lastTransitionTime: t };
}

/** Sets a condition as upstream: same status and reason leaves it alone; same status keeps its transition time. */
export function setCondition(status: Status, c: Condition): void {
  const current = condition(status, c.type);
  if (current && current.status === c.status && current.reason === c.reason) return;
  if (current && current.status === c.status) c.lastTransitionTime = current.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), c];
}

export function removeCondition(status: Status, type: string): void {
  status.conditions = (status.conditions ?? []).filter((c) => c.type !== type);
}

function sum(rsList: readonly ReplicaSet[], f: (s: appsv1.ReplicaSetStatus) => number | undefined): number {
  return rsList.reduce((n, rs) => n + (f(rs.status ?? { replicas: 0 }) ?? 0), 0);
}

/** Counts and the Available condition (upstream's calculateStatus). */
export function calculateStatus(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined, now: Date): Status {
  const available = sum(allRSs, (s) => s.availableReplicas);
  const total = sum(allRSs, (s) => s.replicas);
  const status: Status = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: total,
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(allRSs, (s) => s.readyReplicas),
    availableReplicas: available,
    // Against the pods wanted (spec), not those that exist, as upstream.
    unavailableReplicas: Math.max(0, allRSs.reduce((n, rs) => n + replicasOf(rs), 0) - available),
    conditions: (d.status?.conditions ?? []).map((c) => ({ ...c })),
  };
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= replicasOf(d) - maxUnavailableOf(d)) {
    setCondition(status, newCondition('Available', 'True', reasons.minAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', reasons.minUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** Every pod updated and available, none old, and the current generation observed. */
export function isComplete(d: Deployment, s: Status): boolean {
  const want = replicasOf(d);
  return (s.updatedReplicas ?? 0) === want && (s.replicas ?? 0) === want && (s.availableReplicas ?? 0) === want && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** The rollout moved since the last status: more updated, ready or available pods, or fewer old ones. */
export function isProgressing(d: Deployment, s: Status): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** Past progressDeadlineSeconds since the Progressing condition last changed. */
export function hasTimedOut(d: Deployment, s: Status, now: Date): boolean {
  const deadline = d.spec?.progressDeadlineSeconds;
  if (deadline === undefined) return false;
  const c = condition(s, 'Progressing');
  if (!c || c.reason === reasons.newRSAvailable) return false;
  if (c.reason === reasons.timedOut) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  return !Number.isNaN(from) && from + deadline * 1000 < now.getTime();
}

/** Adds the Progressing condition as upstream's syncRolloutStatus. */
export function setProgressing(d: Deployment, s: Status, newRS: ReplicaSet | undefined, now: Date): void {
  if (d.spec?.progressDeadlineSeconds === undefined || d.spec?.paused) return;
  const current = condition(s, 'Progressing');
  if (current?.reason === reasons.timedOut) return;
  const name = newRS?.metadata?.name ?? '';
  if (isComplete(d, s)) {
    setCondition(s, newCondition('Progressing', 'True', reasons.newRSAvailable, `ReplicaSet "${name}" has successfully progressed.`, now));
  } else if (isProgressing(d, s)) {
    const c = newCondition('Progressing', 'True', reasons.rsUpdated, `ReplicaSet "${name}" is progressing.`, now);
    if (current?.status === 'True' && current.lastTransitionTime) c.lastTransitionTime = current.lastTransitionTime;
    removeCondition(s, 'Progressing');
    setCondition(s, c);
  } else if (hasTimedOut(d, s, now)) {
    setCondition(s, newCondition('Progressing', 'False', reasons.timedOut, `ReplicaSet "${name}" has timed out progressing.`, now));
  }
  const failure = newRS?.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (failure) setCondition(s, { type: 'ReplicaFailure', status: failure.status, reason: failure.reason, message: failure.message, lastTransitionTime: failure.lastTransitionTime, lastUpdateTime: stamp(now) });
  else removeCondition(s, 'ReplicaFailure');
}

/** Milliseconds until the Progressing deadline passes (undefined: nothing to wait for). */
export function msUntilDeadline(d: Deployment, s: Status, now: Date): number | undefined {
  const deadline = d.spec?.progressDeadlineSeconds;
  if (deadline === undefined || isComplete(d, s)) return undefined;
  const c = condition(s, 'Progressing');
  if (!c || c.reason === reasons.timedOut) return undefined;
  const from = Date.parse(c.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return undefined;
  return Math.max(0, from + deadline * 1000 - now.getTime()) + 1000;
}

/** Whether two statuses differ in anything but condition timestamps of unchanged conditions. */
export function sameStatus(a: Status | undefined, b: Status): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b);
}

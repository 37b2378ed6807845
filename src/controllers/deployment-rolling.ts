// The arithmetic of a rolling update, as upstream's deployment util: how
// far maxSurge and maxUnavailable let the new ReplicaSet grow and the old
// ones shrink. Pure functions; the controller applies the numbers.
import type { appsv1 } from '../api/types.js';
import { byCreation, replicasOf, specReplicas } from './deployment-revisions.js';

type Deployment = appsv1.Deployment;
type ReplicaSet = appsv1.ReplicaSet;
type IntOrString = number | string;

/** An int-or-percent against `total`, rounding up or down. */
export function scaledValue(value: IntOrString | undefined, total: number, roundUp: boolean, fallback: IntOrString): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    const n = Number(v);
    return Number.isInteger(n) ? n : 0;
  }
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** maxSurge (rounded up) and maxUnavailable (rounded down); both 0 makes maxUnavailable 1. */
export function resolveFenceposts(d: Deployment): { maxSurge: number; maxUnavailable: number } {
  const replicas = replicasOf(d);
  const ru = d.spec?.strategy?.rollingUpdate;
  const maxSurge = scaledValue(ru?.maxSurge, replicas, true, '25%');
  let maxUnavailable = scaledValue(ru?.maxUnavailable, replicas, false, '25%');
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

export function maxSurgeOf(d: Deployment): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).maxSurge : 0;
}

export function maxUnavailableOf(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  return Math.min(resolveFenceposts(d).maxUnavailable, replicasOf(d));
}

/** The size the new ReplicaSet may grow to now: up to replicas + maxSurge pods in all. */
export function newReplicaSetReplicas(d: Deployment, allRSs: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const want = replicasOf(d);
  if (!isRollingUpdate(d)) return want;
  const current = replicasOf(newRS);
  const maxTotal = want + resolveFenceposts(d).maxSurge;
  const total = specReplicas(allRSs);
  if (total >= maxTotal) return current;
  return current + Math.max(0, Math.min(maxTotal - total, want - current));
}

export interface ScaleStep {
  rs: ReplicaSet;
  to: number;
}

/**
 * How the old ReplicaSets shrink: first their unavailable pods (which cost
 * no availability), then available ones while at least
 * replicas - maxUnavailable stay available. Returns the resizes to apply.
 */
export function oldReplicaSetsScaleDown(d: Deployment, oldRSs: readonly ReplicaSet[], newRS: ReplicaSet | undefined): ScaleStep[] {
  const allRSs = newRS ? [...oldRSs, newRS] : [...oldRSs];
  if (specReplicas(oldRSs) === 0) return [];
  const minAvailable = replicasOf(d) - maxUnavailableOf(d);
  const newUnavailable = newRS ? replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0) : 0;
  const maxScaledDown = specReplicas(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return [];
  const sizes = new Map<ReplicaSet, number>(oldRSs.map((rs) => [rs, replicasOf(rs)]));
  // Unhealthy pods first.
  let cleaned = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (cleaned >= maxScaledDown) break;
    const size = sizes.get(rs) ?? 0;
    const available = rs.status?.availableReplicas ?? 0;
    if (size === 0 || size === available) continue;
    const n = Math.min(maxScaledDown - cleaned, size - available);
    sizes.set(rs, size - n);
    cleaned += n;
  }
  // Then available pods, keeping minAvailable.
  const available = allRSs.reduce((n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, sizes.get(rs) ?? replicasOf(rs)), 0);
  let budget = Math.min(available - minAvailable, maxScaledDown - cleaned);
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (budget <= 0) break;
    const size = sizes.get(rs) ?? 0;
    if (size === 0) continue;
    const n = Math.min(size, budget);
    sizes.set(rs, size - n);
    budget -= n;
  }
  return oldRSs.filter((rs) => sizes.get(rs) !== replicasOf(rs)).map((rs) => ({ rs, to: sizes.get(rs) ?? 0 }));
}

/**
 * Proportional scaling when the Deployment is resized mid-rollout: the
 * difference is spread over the active ReplicaSets in proportion to their
 * size (against the max-replicas annotation), leftovers to the largest
 * (newest on scale-up). Returns the target size of each ReplicaSet.
 */
export function proportionalSizes(d: Deployment, active: readonly ReplicaSet[], annotatedMax: (rs: ReplicaSet) => number | undefined): Map<ReplicaSet, number> {
  const allowed = replicasOf(d) + maxSurgeOf(d);
  const current = specReplicas(active);
  const toAdd = allowed - current;
  const sizes = new Map<ReplicaSet, number>(active.map((rs) => [rs, replicasOf(rs)]));
  if (toAdd === 0) return sizes;
  const ordered = [...active].sort((a, b) => {
    const diff = replicasOf(b) - replicasOf(a);
    if (diff !== 0) return diff;
    return toAdd > 0 ? byCreation(b, a) : byCreation(a, b);
  });
  let added = 0;
  for (const rs of ordered) {
    const size = replicasOf(rs);
    let share: number;
    if (replicasOf(d) === 0) share = -size;
    else {
      const before = annotatedMax(rs) ?? (d.status?.replicas ?? current);
      share = before > 0 ? Math.round((size * allowed) / before) - size : 0;
    }
    share = toAdd > 0 ? Math.min(share, toAdd - added) : Math.max(share, toAdd - added);
    sizes.set(rs, size + share);
    added += share;
  }
  const first = ordered[0];
  if (first && added !== toAdd) sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + toAdd - added));
  return sizes;
}

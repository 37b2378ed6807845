// Which pods a scale-down removes first, as upstream's ActivePodsWithRanks:
// unassigned before assigned; Pending before Unknown before Running; not
// ready before ready; more pods of the same owner on the node first; ready
// for a shorter time first; more restarts first; newer first.
import type { corev1 } from '../api/types.js';
import { isPodReady, readyCondition } from './pods.js';

type Pod = corev1.Pod;

const phaseRank: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

function time(text: string | undefined): number {
  const t = text ? Date.parse(text) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/** Negative when `a` should be deleted before `b`. `rank` counts related pods on each pod's node. */
export function compareVictims(a: Pod, b: Pod, rank: (pod: Pod) => number = () => 0): number {
  const aUnassigned = !a.spec?.nodeName;
  const bUnassigned = !b.spec?.nodeName;
  if (aUnassigned !== bUnassigned) return aUnassigned ? -1 : 1;
  const aPhase = phaseRank[a.status?.phase ?? 'Pending'] ?? 0;
  const bPhase = phaseRank[b.status?.phase ?? 'Pending'] ?? 0;
  if (aPhase !== bPhase) return aPhase - bPhase;
  const aReady = isPodReady(a);
  const bReady = isPodReady(b);
  if (aReady !== bReady) return aReady ? 1 : -1;
  const rankDiff = rank(b) - rank(a);
  if (rankDiff !== 0) return rankDiff;
  if (aReady && bReady) {
    const diff = time(readyCondition(b)?.lastTransitionTime) - time(readyCondition(a)?.lastTransitionTime);
    if (diff !== 0) return diff;
  }
  const restartDiff = restarts(b) - restarts(a);
  if (restartDiff !== 0) return restartDiff;
  return time(b.metadata?.creationTimestamp) - time(a.metadata?.creationTimestamp);
}

/** The `n` pods to delete from `pods`; `related` (the owner's pods and its siblings') ranks by node co-location. */
export function podsToDelete(pods: readonly Pod[], related: readonly Pod[], n: number): Pod[] {
  if (n >= pods.length) return [...pods];
  const perNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName;
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const rank = (p: Pod): number => (p.spec?.nodeName ? perNode.get(p.spec.nodeName) ?? 0 : 0);
  return [...pods].sort((a, b) => compareVictims(a, b, rank)).slice(0, n);
}

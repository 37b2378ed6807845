// InterPodAffinity: required pod affinity and anti-affinity by topologyKey
// (filter), including the anti-affinity of pods already running; preferred
// terms, both ways, as a score.
import type { corev1 } from '../../api/types.js';
import { maxNodeScore, type CycleContext, type FilterPlugin, type NodeScore, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../framework/interfaces.js';
import type { NodeInfo, Snapshot } from '../framework/nodeinfo.js';
import { skip, success, unresolvable, unschedulable, type Status } from '../framework/status.js';
import {
  pairKey,
  preferredAffinityTerms,
  preferredAntiAffinityTerms,
  requiredAffinityTerms,
  requiredAntiAffinityTerms,
  termMatchesPod,
  type PodTerm,
} from '../framework/podterms.js';

export const interPodAffinityName = 'InterPodAffinity';
export const errReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const errReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";
export const errReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";
/** The score an existing pod's required affinity term adds for a pod it matches (upstream's hardPodAffinityWeight default). */
const hardPodAffinityWeight = 1;

type Counts = Map<string, number>;

function bump(counts: Counts, node: corev1.Node | undefined, topologyKey: string, by: number): void {
  const value = node?.metadata?.labels?.[topologyKey];
  if (value === undefined) return;
  const k = pairKey(topologyKey, value);
  counts.set(k, (counts.get(k) ?? 0) + by);
}

export interface AffinityState {
  affinity: PodTerm[];
  antiAffinity: PodTerm[];
  /** Domains where some existing pod's anti-affinity rejects the incoming pod. */
  existingAnti: Counts;
  /** Domains holding pods that match all of the incoming pod's affinity terms. */
  affinityCounts: Counts;
  /** Domains holding pods the incoming pod's anti-affinity terms match. */
  antiCounts: Counts;
}

/** Counts, over every node, what the incoming pod's required terms and existing pods' anti-affinity say. */
export function computeAffinityState(pod: corev1.Pod, snapshot: Snapshot): AffinityState {
  const state: AffinityState = {
    affinity: requiredAffinityTerms(pod),
    antiAffinity: requiredAntiAffinityTerms(pod),
    existingAnti: new Map(),
    affinityCounts: new Map(),
    antiCounts: new Map(),
  };
  const own = state.affinity.length > 0 || state.antiAffinity.length > 0;
  for (const n of snapshot.nodes) {
    for (const existing of n.podsWithRequiredAntiAffinity) {
      for (const t of existing.terms.requiredAnti) if (termMatchesPod(t, pod)) bump(state.existingAnti, n.node, t.topologyKey, 1);
    }
    if (!own) continue;
    for (const { pod: existing } of n.pods) {
      if (state.affinity.length > 0 && state.affinity.every((t) => termMatchesPod(t, existing))) {
        for (const t of state.affinity) bump(state.affinityCounts, n.node, t.topologyKey, 1);
      }
      for (const t of state.antiAffinity) if (termMatchesPod(t, existing)) bump(state.antiCounts, n.node, t.topologyKey, 1);
    }
  }
  return state;
}

function satisfiesAffinity(s: AffinityState, pod: corev1.Pod, labels: Readonly<Record<string, string>>): boolean {
  let podsExist = true;
  for (const t of s.affinity) {
    const value = labels[t.topologyKey];
    if (value === undefined) return false;
    if ((s.affinityCounts.get(pairKey(t.topologyKey, value)) ?? 0) <= 0) podsExist = false;
  }
  // The first pod of a group with affinity to itself may go anywhere its topology keys exist.
  return podsExist || (s.affinityCounts.size === 0 && s.affinity.every((t) => termMatchesPod(t, pod)));
}

/** The pure predicate: the node's domains against the precomputed counts. */
export function affinityFits(s: AffinityState, pod: corev1.Pod, labels: Readonly<Record<string, string>>): Status {
  if (!satisfiesAffinity(s, pod, labels)) return unresolvable(errReasonAffinityRulesNotMatch);
  for (const t of s.antiAffinity) {
    const value = labels[t.topologyKey];
    if (value !== undefined && (s.antiCounts.get(pairKey(t.topologyKey, value)) ?? 0) > 0) return unschedulable(errReasonAntiAffinityRulesNotMatch);
  }
  for (const [k, v] of Object.entries(labels)) if ((s.existingAnti.get(pairKey(k, v)) ?? 0) > 0) return unschedulable(errReasonExistingAntiAffinityRulesNotMatch);
  return success;
}

/** Preferred terms both ways (and existing pods' required affinity) summed per topology domain. */
export function preferredAffinityCounts(pod: corev1.Pod, snapshot: Snapshot): Counts {
  const counts: Counts = new Map();
  const affinity = preferredAffinityTerms(pod);
  const anti = preferredAntiAffinityTerms(pod);
  const own = affinity.length > 0 || anti.length > 0;
  for (const n of snapshot.nodes) {
    // Without preferred terms of its own, only pods with affinity terms can add to the score.
    for (const info of own ? n.pods : n.podsWithAffinity) {
      const existing = info.pod;
      for (const t of affinity) if (termMatchesPod(t, existing)) bump(counts, n.node, t.topologyKey, t.weight);
      for (const t of anti) if (termMatchesPod(t, existing)) bump(counts, n.node, t.topologyKey, -t.weight);
      for (const t of info.terms.requiredAffinity) if (termMatchesPod(t, pod)) bump(counts, n.node, t.topologyKey, hardPodAffinityWeight);
      for (const t of info.terms.preferredAffinity) if (termMatchesPod(t, pod)) bump(counts, n.node, t.topologyKey, t.weight);
      for (const t of info.terms.preferredAnti) if (termMatchesPod(t, pod)) bump(counts, n.node, t.topologyKey, -t.weight);
    }
  }
  return counts;
}

const filterKey = 'InterPodAffinity/filter';
const scoreKey = 'InterPodAffinity/score';

function hasAffinity(pod: corev1.Pod): boolean {
  return !!(pod.spec?.affinity?.podAffinity || pod.spec?.affinity?.podAntiAffinity);
}

export const interPodAffinity: PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin = {
  name: interPodAffinityName,
  /** Skip (as upstream) when the pod has no required terms and no existing pod's anti-affinity matches it: no node can fail. */
  preFilter(ctx: CycleContext): Status {
    const s = computeAffinityState(ctx.pod, ctx.snapshot);
    if (s.affinity.length === 0 && s.antiAffinity.length === 0 && s.existingAnti.size === 0) return skip;
    ctx.state.set(filterKey, s);
    return success;
  },
  filter(ctx: CycleContext, node: NodeInfo): Status {
    const s = ctx.state.get(filterKey) as AffinityState | undefined;
    return s ? affinityFits(s, ctx.pod, node.labels) : success;
  },
  preScore(ctx: CycleContext): Status {
    const counts = preferredAffinityCounts(ctx.pod, ctx.snapshot);
    if (counts.size === 0 && !hasAffinity(ctx.pod)) return skip;
    ctx.state.set(scoreKey, counts);
    return success;
  },
  score(ctx: CycleContext, node: NodeInfo): number {
    const counts = ctx.state.get(scoreKey) as Counts | undefined;
    if (!counts) return 0;
    let sum = 0;
    for (const [k, v] of Object.entries(node.labels)) sum += counts.get(pairKey(k, v)) ?? 0;
    return sum;
  },
  normalizeScore(_ctx: CycleContext, scores: NodeScore[]): void {
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      min = Math.min(min, s.score);
      max = Math.max(max, s.score);
    }
    const diff = max - min;
    for (const s of scores) s.score = diff > 0 ? Math.trunc((maxNodeScore * (s.score - min)) / diff) : 0;
  },
};

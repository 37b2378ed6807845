// PodTopologySpread: DoNotSchedule constraints filter (the skew after
// placing the pod must stay within maxSkew), ScheduleAnyway constraints
// score (fewer matching pods in the node's domain is better).
import type { corev1 } from '../../api/types.js';
import type { LabelMatcher } from '../../machinery/index.js';
import { labelSelectorFromObject } from '../../machinery/index.js';
import { maxNodeScore, type CycleContext, type FilterPlugin, type NodeScore, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../framework/interfaces.js';
import type { NodeInfo } from '../framework/nodeinfo.js';
import { skip, success, unresolvable, unschedulable, type Status } from '../framework/status.js';
import { podMatchesNodeSelectorAndAffinity } from './nodeselector.js';
import { pairKey, selectorOf } from '../framework/podterms.js';
import { firstUntolerated } from '../../machinery/index.js';

export const podTopologySpreadName = 'PodTopologySpread';
export const errReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const errReasonNodeLabelNotMatch = `${errReasonConstraintsNotMatch} (missing required label)`;

export interface Constraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly selector: LabelMatcher;
  readonly minDomains: number;
  readonly honorAffinity: boolean;
  readonly honorTaints: boolean;
}

export function constraintsOf(pod: corev1.Pod, when: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
  const labels = pod.metadata?.labels ?? {};
  return (pod.spec?.topologySpreadConstraints ?? [])
    .filter((c) => c.whenUnsatisfiable === when)
    .map((c) => {
      let selector = selectorOf(c.labelSelector);
      const keys = (c.matchLabelKeys ?? []).filter((k) => Object.hasOwn(labels, k));
      if (keys.length > 0 && c.labelSelector) {
        const extra = keys.map((key) => ({ key, operator: 'In', values: [labels[key] ?? ''] }));
        try {
          selector = labelSelectorFromObject({ ...c.labelSelector, matchExpressions: [...(c.labelSelector.matchExpressions ?? []), ...extra] });
        } catch {
          // keep the selector without matchLabelKeys
        }
      }
      return {
        maxSkew: c.maxSkew,
        topologyKey: c.topologyKey,
        selector,
        minDomains: c.minDomains ?? 1,
        honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
        honorTaints: c.nodeTaintsPolicy === 'Honor',
      };
    });
}

function nodeCounts(pod: corev1.Pod, c: Constraint, node: corev1.Node): boolean {
  if (c.honorAffinity && !podMatchesNodeSelectorAndAffinity(pod, node)) return false;
  if (c.honorTaints && firstUntolerated(node.spec?.taints, pod.spec?.tolerations, ['NoSchedule', 'NoExecute'])) return false;
  return true;
}

function matchingPods(pod: corev1.Pod, c: Constraint, n: NodeInfo): number {
  const ns = pod.metadata?.namespace;
  let count = 0;
  for (const { pod: p } of n.pods) {
    if (p.metadata?.namespace === ns && !p.metadata?.deletionTimestamp && c.selector.matches(p.metadata?.labels)) count++;
  }
  return count;
}

export interface SpreadState {
  constraints: Constraint[];
  /** Matching pods per topology domain. */
  counts: Map<string, number>;
  /** Per constraint: the smallest count over its domains (0 when fewer than minDomains). */
  minimums: number[];
}

/** Counts matching pods per domain over the eligible nodes that carry every constraint's key. */
export function computeSpreadState(pod: corev1.Pod, constraints: Constraint[], nodes: readonly NodeInfo[]): SpreadState {
  const counts = new Map<string, number>();
  for (const n of nodes) {
    if (!n.node) continue;
    const labels = n.labels;
    if (!constraints.every((c) => labels[c.topologyKey] !== undefined)) continue;
    for (const c of constraints) {
      if (!nodeCounts(pod, c, n.node)) continue;
      const k = pairKey(c.topologyKey, labels[c.topologyKey] ?? '');
      counts.set(k, (counts.get(k) ?? 0) + matchingPods(pod, c, n));
    }
  }
  const minimums = constraints.map((c) => {
    let min = Infinity;
    let domains = 0;
    const prefix = pairKey(c.topologyKey, '');
    for (const [k, v] of counts) {
      if (!k.startsWith(prefix)) continue;
      domains++;
      min = Math.min(min, v);
    }
    return domains < c.minDomains || min === Infinity ? 0 : min;
  });
  return { constraints, counts, minimums };
}

/** The pure predicate: would placing the pod on a node with `labels` keep every skew within maxSkew? */
export function spreadFits(s: SpreadState, pod: corev1.Pod, labels: Readonly<Record<string, string>>): Status {
  for (const [i, c] of s.constraints.entries()) {
    const value = labels[c.topologyKey];
    if (value === undefined) return unresolvable(errReasonNodeLabelNotMatch);
    const self = c.selector.matches(pod.metadata?.labels) ? 1 : 0;
    const skew = (s.counts.get(pairKey(c.topologyKey, value)) ?? 0) + self - (s.minimums[i] ?? 0);
    if (skew > c.maxSkew) return unschedulable(errReasonConstraintsNotMatch);
  }
  return success;
}

const filterKey = 'PodTopologySpread/filter';
const scoreKey = 'PodTopologySpread/score';

interface ScoreState extends SpreadState {
  ignored: Set<string>;
  weights: number[];
}

export const podTopologySpread: PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin = {
  name: podTopologySpreadName,
  preFilter(ctx: CycleContext): Status {
    const constraints = constraintsOf(ctx.pod, 'DoNotSchedule');
    if (constraints.length === 0) return skip;
    ctx.state.set(filterKey, computeSpreadState(ctx.pod, constraints, ctx.snapshot.nodes));
    return success;
  },
  filter(ctx: CycleContext, node: NodeInfo): Status {
    const s = ctx.state.get(filterKey) as SpreadState | undefined;
    return s ? spreadFits(s, ctx.pod, node.labels) : success;
  },
  preScore(ctx: CycleContext, nodes: readonly NodeInfo[]): Status {
    const constraints = constraintsOf(ctx.pod, 'ScheduleAnyway');
    if (constraints.length === 0) return skip;
    const s = computeSpreadState(ctx.pod, constraints, ctx.snapshot.nodes);
    const ignored = new Set(nodes.filter((n) => !constraints.every((c) => n.labels[c.topologyKey] !== undefined)).map((n) => n.name));
    const weights = constraints.map((c) => {
      const domains = new Set(nodes.filter((n) => !ignored.has(n.name)).map((n) => n.labels[c.topologyKey]));
      return Math.log(domains.size + 2);
    });
    ctx.state.set(scoreKey, { ...s, ignored, weights } satisfies ScoreState);
    return success;
  },
  score(ctx: CycleContext, node: NodeInfo): number {
    const s = ctx.state.get(scoreKey) as ScoreState | undefined;
    if (!s || s.ignored.has(node.name)) return 0;
    let score = 0;
    for (const [i, c] of s.constraints.entries()) {
      const count = s.counts.get(pairKey(c.topologyKey, node.labels[c.topologyKey] ?? '')) ?? 0;
      score += count * (s.weights[i] ?? 1) + (c.maxSkew - 1);
    }
    return Math.round(score);
  },
  normalizeScore(ctx: CycleContext, scores: NodeScore[]): void {
    const s = ctx.state.get(scoreKey) as ScoreState | undefined;
    if (!s) return;
    let min = Infinity;
    let max = 0;
    for (const x of scores) {
      if (s.ignored.has(x.name)) continue;
      min = Math.min(min, x.score);
      max = Math.max(max, x.score);
    }
    for (const x of scores) {
      if (s.ignored.has(x.name)) x.score = 0;
      else if (max === 0) x.score = maxNodeScore;
      else x.score = Math.trunc((maxNodeScore * (max + min - x.score)) / max);
    }
  },
};

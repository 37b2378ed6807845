// The extension points, one tiny interface each (upstream's
// framework/interface.go). A plugin object implements the points it needs;
// every call gets the cycle's context: the pod, a read-only snapshot of the
// nodes, and a state map where a plugin keeps what its PreFilter or
// PreScore computed for its Filter or Score.
import type { corev1 } from '../../api/types.js';
import type { NodeInfo, PodInfo, Snapshot } from './nodeinfo.js';
import type { Status } from './status.js';

export const maxNodeScore = 100;

export interface CycleContext {
  readonly pod: corev1.Pod;
  readonly snapshot: Snapshot;
  /** Per-cycle data, keyed by plugin name. */
  readonly state: Map<string, unknown>;
  /** The pod's requests, host ports and affinity terms, when the caller has them (else plugins work them out). */
  readonly podInfo?: PodInfo;
}

export interface Plugin {
  readonly name: string;
}

/** Runs once per pod before filtering; a rejection fails the pod on every node. Skip: do not call Filter. */
export interface PreFilterPlugin extends Plugin {
  preFilter(ctx: CycleContext): Status;
}

/** Whether the pod may run on one node. */
export interface FilterPlugin extends Plugin {
  filter(ctx: CycleContext, node: NodeInfo): Status;
}

/** Runs once per pod before scoring the feasible nodes. Skip: do not call Score. */
export interface PreScorePlugin extends Plugin {
  preScore(ctx: CycleContext, nodes: readonly NodeInfo[]): Status;
}

export interface NodeScore {
  readonly name: string;
  score: number;
}

/** Ranks a feasible node; NormalizeScore maps the raw scores onto 0..maxNodeScore. */
export interface ScorePlugin extends Plugin {
  score(ctx: CycleContext, node: NodeInfo): number;
  normalizeScore?(ctx: CycleContext, scores: NodeScore[]): void;
}

/** Runs after the pod is assumed on a node and before the binding (e.g. provisioning its volumes). */
export interface PreBindPlugin extends Plugin {
  preBind(pod: corev1.Pod, node: corev1.Node): Promise<Status>;
}

export function isPreFilter(p: Plugin): p is PreFilterPlugin {
  return typeof (p as Partial<PreFilterPlugin>).preFilter === 'function';
}
export function isFilter(p: Plugin): p is FilterPlugin {
  return typeof (p as Partial<FilterPlugin>).filter === 'function';
}
export function isPreScore(p: Plugin): p is PreScorePlugin {
  return typeof (p as Partial<PreScorePlugin>).preScore === 'function';
}
export function isPreBind(p: Plugin): p is PreBindPlugin {
  return typeof (p as Partial<PreBindPlugin>).preBind === 'function';
}
export function isScore(p: Plugin): p is ScorePlugin {
  return typeof (p as Partial<ScorePlugin>).score === 'function';
}

/**
 * Upstream's DefaultNormalizeScore: scales scores so the highest becomes
 * maxNodeScore; with `reverse`, a lower raw score is better.
 */
export function defaultNormalizeScore(scores: NodeScore[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) max = Math.max(max, s.score);
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = maxNodeScore;
    return;
  }
  for (const s of scores) {
    let v = Math.trunc((maxNodeScore * s.score) / max);
    if (reverse) v = maxNodeScore - v;
    s.score = v;
  }
}

// One scheduling cycle for one pod over a snapshot: PreFilter, Filter over
// the nodes, PreScore/Score/NormalizeScore with weights, and the highest
// total wins (ties broken at random). Pure apart from `random`.
import type { corev1 } from '../../api/types.js';
import type { Diagnosis } from './fiterror.js';
import { noNodesAvailable } from './fiterror.js';
import {
  isFilter,
  isPreFilter,
  type FilterPlugin,
  isPreScore,
  isScore,
  type CycleContext,
  type NodeScore,
  type Plugin,
  type ScorePlugin,
} from './interfaces.js';
import type { NodeInfo, PodInfo, Snapshot } from './nodeinfo.js';
import { Code, isRejected, isSuccess, statusMessage, success, withPlugin, type Status } from './status.js';

export interface Profile {
  readonly schedulerName: string;
  /** In the order their extension points run. */
  readonly plugins: readonly Plugin[];
  /** Score weight per plugin name (default 1). */
  readonly weights: Readonly<Record<string, number>>;
}

export type CycleResult =
  | { readonly kind: 'scheduled'; readonly node: string; readonly evaluated: number; readonly feasible: number }
  | { readonly kind: 'unschedulable'; readonly diagnosis: Diagnosis; readonly numAllNodes: number; readonly message?: string }
  | { readonly kind: 'error'; readonly message: string };

/** Runs the PreFilter points; returns the plugins whose Filter to skip, or the rejection. */
export function runPreFilters(profile: Profile, ctx: CycleContext): { skipped: Set<string> } | { status: Status } {
  const skipped = new Set<string>();
  for (const p of profile.plugins) {
    if (!isPreFilter(p)) continue;
    const s = p.preFilter(ctx);
    if (s.code === Code.Skip) skipped.add(p.name);
    else if (!isSuccess(s)) return { status: withPlugin(s, p.name) };
  }
  return { skipped };
}

/** The Filter plugins to run this cycle, in order. */
function filtersToRun(profile: Profile, skipped: ReadonlySet<string>): FilterPlugin[] {
  const out: FilterPlugin[] = [];
  for (const p of profile.plugins) if (isFilter(p) && !skipped.has(p.name)) out.push(p);
  return out;
}

/**
 * Runs every Filter on one node; the first failure is the node's status.
 * Pods nominated to the node with at least this pod's priority count as if
 * they were there, so preemption's freed space is not taken by others.
 */
export function runFilters(profile: Profile, ctx: CycleContext, node: NodeInfo, skipped: ReadonlySet<string>): Status {
  return runFilterList(filtersToRun(profile, skipped), ctx, node);
}

function runFilterList(filters: readonly FilterPlugin[], ctx: CycleContext, node: NodeInfo): Status {
  const nominated = ctx.snapshot.nominated(node.name);
  if (nominated.length > 0) {
    const priority = ctx.pod.spec?.priority ?? 0;
    const self = `${ctx.pod.metadata?.namespace ?? ''}/${ctx.pod.metadata?.name ?? ''}`;
    const ahead = nominated.filter((p) => p.key !== self && (p.pod.spec?.priority ?? 0) >= priority);
    if (ahead.length > 0) {
      const withNominated = node.clone();
      for (const p of ahead) withNominated.addPod(p);
      node = withNominated;
    }
  }
  for (const p of filters) {
    const s = p.filter(ctx, node);
    if (!isSuccess(s)) return withPlugin(s, p.name);
  }
  return success;
}

/** Weighted, normalised totals for the feasible nodes. */
export function prioritize(profile: Profile, ctx: CycleContext, nodes: readonly NodeInfo[]): NodeScore[] {
  const totals: NodeScore[] = new Array<NodeScore>(nodes.length);
  for (let i = 0; i < nodes.length; i++) totals[i] = { name: nodes[i]!.name, score: 0 };
  const scorers: ScorePlugin[] = [];
  for (const p of profile.plugins) {
    if (!isScore(p)) continue;
    if (isPreScore(p)) {
      const s = p.preScore(ctx, nodes);
      if (s.code === Code.Skip || !isSuccess(s)) continue;
    }
    scorers.push(p);
  }
  // One array of raw scores, refilled for each plugin (normalizeScore rewrites it in place).
  const scores: NodeScore[] = totals.map((t) => ({ name: t.name, score: 0 }));
  for (const p of scorers) {
    for (let i = 0; i < nodes.length; i++) scores[i]!.score = p.score(ctx, nodes[i]!);
    p.normalizeScore?.(ctx, scores);
    const weight = profile.weights[p.name] ?? 1;
    for (let i = 0; i < nodes.length; i++) totals[i]!.score += scores[i]!.score * weight;
  }
  return totals;
}

/** The highest total; among equals each is chosen with equal chance (reservoir sampling). */
export function selectHost(scores: readonly NodeScore[], random: () => number = Math.random): string | undefined {
  let best: NodeScore | undefined;
  let ties = 0;
  for (const s of scores) {
    if (!best || s.score > best.score) {
      best = s;
      ties = 1;
    } else if (s.score === best.score) {
      ties++;
      if (random() * ties < 1) best = s;
    }
  }
  return best?.name;
}

/** Upstream's adaptive share of nodes to find feasible before stopping (all of them in small clusters). */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  if (numAllNodes < 100) return numAllNodes;
  const percentage = Math.max(5, 50 - Math.trunc(numAllNodes / 125));
  return Math.max(100, Math.trunc((numAllNodes * percentage) / 100));
}

export interface CycleOptions {
  random?: () => number;
  /** Where to start looking among the nodes (rotates between cycles so all nodes get their turn). */
  startIndex?: number;
  /** The pod's info, when the caller has worked it out already (see CycleContext.podInfo). */
  podInfo?: PodInfo;
}

export function runCycle(profile: Profile, pod: corev1.Pod, snapshot: Snapshot, opts: CycleOptions = {}): CycleResult & { nextStartIndex?: number } {
  const all = snapshot.nodes;
  if (all.length === 0) return { kind: 'unschedulable', numAllNodes: 0, message: noNodesAvailable, diagnosis: { nodeToStatus: new Map(), unschedulablePlugins: new Set() } };
  const ctx: CycleContext = { pod, snapshot, state: new Map(), ...(opts.podInfo ? { podInfo: opts.podInfo } : {}) };
  const pre = runPreFilters(profile, ctx);
  if ('status' in pre) {
    if (!isRejected(pre.status)) return { kind: 'error', message: statusMessage(pre.status) };
    const nodeToStatus = new Map(all.map((n) => [n.name, pre.status]));
    const diagnosis: Diagnosis = { nodeToStatus, preFilterMsg: statusMessage(pre.status), unschedulablePlugins: new Set([pre.status.plugin ?? '']) };
    return { kind: 'unschedulable', diagnosis, numAllNodes: all.length };
  }
  const filters = filtersToRun(profile, pre.skipped);
  const want = numFeasibleNodesToFind(all.length);
  const start = (opts.startIndex ?? 0) % all.length;
  const feasible: NodeInfo[] = [];
  const nodeToStatus = new Map<string, Status>();
  const unschedulablePlugins = new Set<string>();
  let evaluated = 0;
  for (let i = 0; i < all.length && feasible.length < want; i++) {
    const node = all[(start + i) % all.length]!;
    evaluated++;
    const s = runFilterList(filters, ctx, node);
    if (isSuccess(s)) feasible.push(node);
    else if (isRejected(s)) {
      nodeToStatus.set(node.name, s);
      unschedulablePlugins.add(s.plugin ?? '');
    } else return { kind: 'error', message: `running ${s.plugin ?? 'a'} filter plugin: ${statusMessage(s)}` };
  }
  const nextStartIndex = (start + evaluated) % all.length;
  if (feasible.length === 0) return { kind: 'unschedulable', diagnosis: { nodeToStatus, unschedulablePlugins }, numAllNodes: all.length, nextStartIndex };
  if (feasible.length === 1) return { kind: 'scheduled', node: feasible[0]!.name, evaluated, feasible: 1, nextStartIndex };
  const host = selectHost(prioritize(profile, ctx, feasible), opts.random);
  return { kind: 'scheduled', node: host ?? feasible[0]!.name, evaluated, feasible: feasible.length, nextStartIndex };
}

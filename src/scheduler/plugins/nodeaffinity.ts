// NodeAffinity: the node must satisfy the pod's nodeSelector and required
// node affinity; preferred terms add their weight to the node's score.
import type { corev1 } from '../../api/types.js';
import { defaultNormalizeScore, type CycleContext, type FilterPlugin, type NodeScore, type ScorePlugin } from '../framework/interfaces.js';
import type { NodeInfo } from '../framework/nodeinfo.js';
import { success, unresolvable, type Status } from '../framework/status.js';
import { podMatchesNodeSelectorAndAffinity, termMatches } from './nodeselector.js';

export const nodeAffinityName = 'NodeAffinity';
export const errReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";

/** The summed weight of the preferred terms the node matches. */
export function preferredAffinityScore(pod: corev1.Pod, node: corev1.Node): number {
  let sum = 0;
  for (const term of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (term.weight !== 0 && termMatches(term.preference, node)) sum += term.weight;
  }
  return sum;
}

export const nodeAffinity: FilterPlugin & ScorePlugin = {
  name: nodeAffinityName,
  filter(ctx: CycleContext, node: NodeInfo): Status {
    if (!node.node) return unresolvable('node(s) not found');
    return podMatchesNodeSelectorAndAffinity(ctx.pod, node.node) ? success : unresolvable(errReasonNodeAffinity);
  },
  score(ctx: CycleContext, node: NodeInfo): number {
    return node.node ? preferredAffinityScore(ctx.pod, node.node) : 0;
  },
  normalizeScore(_ctx: CycleContext, scores: NodeScore[]): void {
    defaultNormalizeScore(scores, false);
  },
};

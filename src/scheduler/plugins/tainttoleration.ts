// TaintToleration: NoSchedule and NoExecute taints the pod does not
// tolerate keep it off the node; untolerated PreferNoSchedule taints lower
// the node's score.
import type { corev1 } from '../../api/types.js';
import { defaultNormalizeScore, type CycleContext, type FilterPlugin, type NodeScore, type ScorePlugin } from '../framework/interfaces.js';
import type { NodeInfo } from '../framework/nodeinfo.js';
import { success, unresolvable, type Status } from '../framework/status.js';
import { firstUntolerated, isTolerated } from '../../machinery/index.js';

export const taintTolerationName = 'TaintToleration';

export function untoleratedTaintReason(taint: corev1.Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

/** The count of PreferNoSchedule taints not tolerated by a toleration that could apply to them. */
export function intolerablePreferNoSchedule(pod: corev1.Pod, node: corev1.Node): number {
  const tolerations = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  return (node.spec?.taints ?? []).filter((t) => t.effect === 'PreferNoSchedule' && !isTolerated(t, tolerations)).length;
}

export const taintToleration: FilterPlugin & ScorePlugin = {
  name: taintTolerationName,
  filter(ctx: CycleContext, node: NodeInfo): Status {
    const taint = firstUntolerated(node.node?.spec?.taints, ctx.pod.spec?.tolerations, ['NoSchedule', 'NoExecute']);
    return taint ? unresolvable(untoleratedTaintReason(taint)) : success;
  },
  score(ctx: CycleContext, node: NodeInfo): number {
    return node.node ? intolerablePreferNoSchedule(ctx.pod, node.node) : 0;
  },
  normalizeScore(_ctx: CycleContext, scores: NodeScore[]): void {
    defaultNormalizeScore(scores, true);
  },
};

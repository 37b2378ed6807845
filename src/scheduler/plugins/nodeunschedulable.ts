// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods
// that tolerate the node.kubernetes.io/unschedulable:NoSchedule taint.
import type { corev1 } from '../../api/types.js';
import type { CycleContext, FilterPlugin } from '../framework/interfaces.js';
import type { NodeInfo } from '../framework/nodeinfo.js';
import { success, unresolvable, type Status } from '../framework/status.js';
import { isTolerated } from '../../machinery/index.js';

export const nodeUnschedulableName = 'NodeUnschedulable';
export const errReasonUnschedulable = 'node(s) were unschedulable';
const unschedulableTaint: corev1.Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export function fitsUnschedulable(pod: corev1.Pod, node: corev1.Node): boolean {
  return !node.spec?.unschedulable || isTolerated(unschedulableTaint, pod.spec?.tolerations);
}

export const nodeUnschedulable: FilterPlugin = {
  name: nodeUnschedulableName,
  filter(ctx: CycleContext, node: NodeInfo): Status {
    if (!node.node) return unresolvable('node(s) not found');
    return fitsUnschedulable(ctx.pod, node.node) ? success : unresolvable(errReasonUnschedulable);
  },
};

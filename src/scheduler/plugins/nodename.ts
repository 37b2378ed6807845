// NodeName: a pod that names its node fits only that node.
import type { corev1 } from '../../api/types.js';
import type { CycleContext, FilterPlugin } from '../framework/interfaces.js';
import type { NodeInfo } from '../framework/nodeinfo.js';
import { success, unresolvable, type Status } from '../framework/status.js';

export const nodeNameName = 'NodeName';
export const errReasonNodeName = "node(s) didn't match the requested node name";

export function fitsNodeName(pod: corev1.Pod, nodeName: string): boolean {
  const wanted = pod.spec?.nodeName;
  return !wanted || wanted === nodeName;
}

export const nodeName: FilterPlugin = {
  name: nodeNameName,
  filter(ctx: CycleContext, node: NodeInfo): Status {
    return fitsNodeName(ctx.pod, node.name) ? success : unresolvable(errReasonNodeName);
  },
};

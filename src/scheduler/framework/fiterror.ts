// The failure message of a pod no node fits, in upstream's FitError shape:
//   0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}. preemption: ...
// Reasons are counted over nodes and sorted as strings.
import type { Status } from './status.js';

export interface Diagnosis {
  /** The rejection of each node that was evaluated. */
  readonly nodeToStatus: ReadonlyMap<string, Status>;
  /** The status nodes absent from nodeToStatus count with (none: they add no reason). */
  readonly absentStatus?: Status;
  /** Set when a PreFilter rejected the pod (then it stands for every node). */
  readonly preFilterMsg?: string;
  /** What PostFilter (preemption) said, e.g. `preemption: 0/3 nodes are available: ...`. */
  postFilterMsg?: string;
  /** Plugins that rejected the pod: the cluster events that may help are theirs. */
  readonly unschedulablePlugins: ReadonlySet<string>;
}

export const noNodesAvailable = 'no nodes available to schedule pods';

export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    for (const status of d.nodeToStatus.values()) for (const r of status.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const absent = numAllNodes - d.nodeToStatus.size;
    if (absent > 0 && d.absentStatus) for (const r of d.absentStatus.reasons) counts.set(r, (counts.get(r) ?? 0) + absent);
    const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}

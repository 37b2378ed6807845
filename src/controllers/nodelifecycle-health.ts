// Node health as upstream's node lifecycle controller judges it: when this
// process last saw the kubelet's heartbeat (Lease renewTime or the Ready
// condition's lastHeartbeatTime) change — by its own clock, so clock skew
// between nodes does not matter — and the conditions it writes once that is
// longer ago than the grace period.
import type { coordinationv1, corev1 } from '../api/types.js';

type Node = corev1.Node;
type NodeCondition = corev1.NodeCondition;

/** The last heartbeat seen and when (this process's clock, ms). */
export interface Probe {
  renewTime: string;
  heartbeat: string;
  readyStatus: string;
  at: number;
}

export const unknownReason = 'NodeStatusUnknown';
export const unknownMessage = 'Kubelet stopped posting node status.';
export const neverUpdatedReason = 'NodeStatusNeverUpdated';
export const neverUpdatedMessage = 'Kubelet never posted node status.';

/** The conditions the kubelet owns and the controller marks Unknown. */
export const monitoredConditions = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

export function readyOf(node: Node): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

/** The probe after looking at `node` and its Lease at `now`: `at` moves only when a heartbeat changed. */
export function observe(previous: Probe | undefined, node: Node, lease: coordinationv1.Lease | undefined, now: number): Probe {
  const ready = readyOf(node);
  const seen = { renewTime: lease?.spec?.renewTime ?? '', heartbeat: ready?.lastHeartbeatTime ?? '', readyStatus: ready?.status ?? '' };
  if (previous && previous.renewTime === seen.renewTime && previous.heartbeat === seen.heartbeat) return { ...previous, readyStatus: seen.readyStatus };
  return { ...seen, at: now };
}

/**
 * The node's conditions with every monitored one set to Unknown (missing
 * ones added as never updated), or undefined when they all already are.
 */
export function unknownConditions(node: Node, now: string): NodeCondition[] | undefined {
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of monitoredConditions) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      const heartbeat = node.metadata?.creationTimestamp ?? now;
      conditions.push({ type, status: 'Unknown', reason: neverUpdatedReason, message: neverUpdatedMessage, lastHeartbeatTime: heartbeat, lastTransitionTime: now });
      changed = true;
    } else if (c.status !== 'Unknown') {
      Object.assign(c, { status: 'Unknown', reason: unknownReason, message: unknownMessage, lastTransitionTime: now });
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}

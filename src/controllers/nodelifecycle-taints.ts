// The taints the node lifecycle controller owns, as upstream's
// TaintNodesByCondition (NoSchedule, one per bad condition and for
// spec.unschedulable) and its NoExecute not-ready/unreachable taints, and
// how long a pod's tolerations let it stay (the taint-based eviction).
import type { corev1 } from '../api/types.js';
import { toleratesTaint } from '../machinery/index.js';

type Node = corev1.Node;
type Taint = corev1.Taint;
type Toleration = corev1.Toleration;

export const taintKeys = {
  notReady: 'node.kubernetes.io/not-ready',
  unreachable: 'node.kubernetes.io/unreachable',
  unschedulable: 'node.kubernetes.io/unschedulable',
  memoryPressure: 'node.kubernetes.io/memory-pressure',
  diskPressure: 'node.kubernetes.io/disk-pressure',
  pidPressure: 'node.kubernetes.io/pid-pressure',
  networkUnavailable: 'node.kubernetes.io/network-unavailable',
} as const;

const managedKeys: ReadonlySet<string> = new Set(Object.values(taintKeys));

/** The condition (type and status) that calls for each NoSchedule taint. */
const conditionTaints: ReadonlyArray<readonly [string, string, string]> = [
  ['Ready', 'False', taintKeys.notReady],
  ['Ready', 'Unknown', taintKeys.unreachable],
  ['MemoryPressure', 'True', taintKeys.memoryPressure],
  ['DiskPressure', 'True', taintKeys.diskPressure],
  ['PIDPressure', 'True', taintKeys.pidPressure],
  ['NetworkUnavailable', 'True', taintKeys.networkUnavailable],
];

/** The managed taints `node` should carry, without timeAdded. */
export function wantedTaints(node: Node): Taint[] {
  const conditions = node.status?.conditions ?? [];
  const wanted: Taint[] = [];
  for (const [type, status, key] of conditionTaints) {
    if (conditions.some((c) => c.type === type && c.status === status)) wanted.push({ key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable) wanted.push({ key: taintKeys.unschedulable, effect: 'NoSchedule' });
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'False') wanted.push({ key: taintKeys.notReady, effect: 'NoExecute' });
  if (ready?.status === 'Unknown') wanted.push({ key: taintKeys.unreachable, effect: 'NoExecute' });
  return wanted;
}

/**
 * The node's taints with the managed ones reconciled: unmanaged taints and
 * managed ones still wanted are kept as they are (timeAdded included);
 * missing ones are added, NoExecute ones stamped with `now`. Undefined when
 * nothing changes.
 */
export function reconcileTaints(node: Node, now: string): Taint[] | undefined {
  const current = node.spec?.taints ?? [];
  const wanted = wantedTaints(node);
  const same = (a: Taint, b: Taint): boolean => a.key === b.key && a.effect === b.effect;
  const kept = current.filter((t) => !managedKeys.has(t.key) || wanted.some((w) => same(w, t)));
  const added = wanted.filter((w) => !current.some((t) => same(w, t))).map((w) => (w.effect === 'NoExecute' ? { ...w, timeAdded: now } : w));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}

/**
 * How long a pod may stay on a node with these NoExecute taints: 0 when one
 * is not tolerated, undefined (forever) when no matching toleration bounds
 * it, else the least tolerationSeconds of the first toleration matching each
 * taint (negative counts as 0), as upstream's taint eviction.
 */
export function tolerationMs(taints: readonly Taint[], tolerations: readonly Toleration[]): number | undefined {
  let least: number | undefined;
  for (const taint of taints) {
    const match = tolerations.find((t) => toleratesTaint(t, taint));
    if (!match) return 0;
    if (match.tolerationSeconds === undefined || match.tolerationSeconds === null) continue;
    const ms = Math.max(0, match.tolerationSeconds) * 1000;
    least = least === undefined ? ms : Math.min(least, ms);
  }
  return least;
}

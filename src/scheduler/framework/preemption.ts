// Preemption (upstream's DefaultPreemption PostFilter), run when no node
// fits: on each node rejected for a reason preemption could change, remove
// the pods of lower priority, re-run the filters, give back as many victims
// as still fit, and pick the node whose victims matter least. Its message is
// what upstream appends to the failure: `preemption: 0/3 nodes are
// available: ...`.
import type { corev1 } from '../../api/types.js';
import { runFilters, runPreFilters, type Profile } from './cycle.js';
import { fitErrorMessage } from './fiterror.js';
import { makeSnapshot, type NodeInfo, type PodInfo, type Snapshot } from './nodeinfo.js';
import { Code, isSuccess, unresolvable, type Status } from './status.js';

export interface PreemptionResult {
  /** The PostFilter message ('' when a node was nominated). */
  readonly message: string;
  readonly nominated?: { readonly node: string; readonly victims: readonly corev1.Pod[] };
}

export const notHelpful = 'Preemption is not helpful for scheduling';
export const noVictims = 'No preemption victims found for incoming pod';

export function podPriority(pod: corev1.Pod): number {
  return pod.spec?.priority ?? 0;
}

function fitsOn(profile: Profile, pod: corev1.Pod, snapshot: Snapshot, node: NodeInfo): Status {
  const replaced = makeSnapshot(snapshot.nodes.map((n) => (n.name === node.name ? node : n)));
  const ctx = { pod, snapshot: replaced, state: new Map<string, unknown>() };
  const pre = runPreFilters(profile, ctx);
  if ('status' in pre) return pre.status;
  return runFilters(profile, ctx, node, pre.skipped);
}

interface Candidate {
  node: string;
  victims: PodInfo[];
}

/** Victims on one node, or why there are none that would help. */
function selectVictims(profile: Profile, pod: corev1.Pod, snapshot: Snapshot, node: NodeInfo): Candidate | Status {
  const priority = podPriority(pod);
  const lower = node.pods.filter((p) => podPriority(p.pod) < priority);
  if (lower.length === 0) return unresolvable(noVictims);
  const trial = node.clone();
  for (const v of lower) trial.removePod(v.key);
  const s = fitsOn(profile, pod, snapshot, trial);
  if (!isSuccess(s)) return s;
  // Reprieve: give back the most important victims first while the pod still fits.
  const victims: PodInfo[] = [];
  for (const v of [...lower].sort((a, b) => podPriority(b.pod) - podPriority(a.pod))) {
    trial.addPod(v);
    if (!isSuccess(fitsOn(profile, pod, snapshot, trial))) {
      trial.removePod(v.key);
      victims.push(v);
    }
  }
  return { node: node.name, victims };
}

function rank(c: Candidate): [number, number, number] {
  const priorities = c.victims.map((v) => podPriority(v.pod));
  return [Math.max(...priorities, -Infinity), priorities.reduce((a, b) => a + b, 0), c.victims.length];
}

export function evaluatePreemption(profile: Profile, pod: corev1.Pod, snapshot: Snapshot, nodeToStatus: ReadonlyMap<string, Status>): PreemptionResult {
  if (pod.spec?.preemptionPolicy === 'Never') return { message: 'preemption: not eligible due to preemptionPolicy=Never.' };
  const nominatedName = pod.status?.nominatedNodeName;
  const nominated = nominatedName ? snapshot.get(nominatedName) : undefined;
  if (nominated?.pods.some((p) => p.pod.metadata?.deletionTimestamp && podPriority(p.pod) < podPriority(pod))) {
    return { message: 'preemption: not eligible due to a terminating pod on the nominated node.' };
  }
  const statuses = new Map<string, Status>();
  const candidates: Candidate[] = [];
  for (const node of snapshot.nodes) {
    if (nodeToStatus.get(node.name)?.code !== Code.Unschedulable) continue;
    const r = selectVictims(profile, pod, snapshot, node);
    if ('victims' in r) {
      if (r.victims.length > 0) candidates.push(r);
    } else statuses.set(node.name, r);
  }
  if (candidates.length === 0) {
    const msg = fitErrorMessage(snapshot.nodes.length, { nodeToStatus: statuses, absentStatus: unresolvable(notHelpful), unschedulablePlugins: new Set() });
    return { message: `preemption: ${msg}` };
  }
  candidates.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
  const best = candidates[0]!;
  return { message: '', nominated: { node: best.node, victims: best.victims.map((v) => v.pod) } };
}

// The scheduler's view of the cluster: nodes and the pods on them (bound,
// or assumed: placed by this scheduler while the binding is in flight), so
// consecutive cycles see each other's decisions before the API does.
// Objects from informers are stored as they are and never modified; an
// assumed pod is a copy carrying its nodeName. A pod's requests, host ports
// and affinity terms cannot change while its uid stays the same (pod spec
// updates may not touch them), so an update of a cached pod keeps them.
import type { corev1 } from '../../api/types.js';
import { makeSnapshot, NodeInfo, podInfo, type PodInfo, type Snapshot } from './nodeinfo.js';
import { podKey } from './queue.js';

interface CachedPod {
  readonly node: string;
  readonly assumed: boolean;
  readonly info: PodInfo;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, CachedPod>();
  /** node → pod key → pending pods nominated there by preemption. */
  private readonly nominated = new Map<string, Map<string, PodInfo>>();
  private snap: Snapshot | undefined;

  get nodeCount(): number {
    return this.snapshot().nodes.length;
  }

  setNode(node: corev1.Node): void {
    const name = node.metadata?.name ?? '';
    const info = this.nodes.get(name);
    if (info) info.setNode(node);
    else this.nodes.set(name, new NodeInfo(node));
    this.snap = undefined;
  }

  removeNode(name: string): void {
    const info = this.nodes.get(name);
    if (!info) return;
    // Pods still bound there stay counted until they go; the node itself is gone.
    if (info.pods.length === 0) this.nodes.delete(name);
    else info.node = undefined;
    this.snap = undefined;
  }

  /** An assigned pod from the API (add or update). Confirms an assumed pod. */
  setPod(pod: corev1.Pod): void {
    const node = pod.spec?.nodeName;
    if (!node) return;
    const key = podKey(pod);
    if (isTerminal(pod)) return this.removePod(key);
    const prior = this.pods.get(key)?.info;
    this.removePod(key);
    this.place(key, prior && prior.pod.metadata?.uid === pod.metadata?.uid ? { ...prior, pod } : podInfo(pod), node, false);
  }

  removePod(key: string): void {
    const cached = this.pods.get(key);
    if (!cached) return;
    this.pods.delete(key);
    const info = this.nodes.get(cached.node);
    info?.removePod(key);
    if (info && !info.node && info.pods.length === 0) this.nodes.delete(cached.node);
  }

  /** Places the pod on `node` before the binding is confirmed; `info` is the pod's, if the caller has it. */
  assume(pod: corev1.Pod, node: string, info: PodInfo = podInfo(pod)): void {
    const key = podKey(pod);
    this.removePod(key);
    this.place(key, { ...info, pod: { ...pod, spec: { containers: [], ...pod.spec, nodeName: node } } }, node, true);
  }

  /** Undoes assume() after a failed binding (unless the API confirmed the pod meanwhile). */
  forget(key: string): void {
    if (this.pods.get(key)?.assumed) this.removePod(key);
  }

  isAssumed(key: string): boolean {
    return this.pods.get(key)?.assumed ?? false;
  }

  /** Records (or clears) where a pending pod is nominated (status.nominatedNodeName). */
  setNominated(pod: corev1.Pod): void {
    const key = podKey(pod);
    this.clearNominated(key);
    const node = pod.status?.nominatedNodeName;
    if (!node || pod.spec?.nodeName) return;
    let onNode = this.nominated.get(node);
    if (!onNode) this.nominated.set(node, (onNode = new Map()));
    onNode.set(key, podInfo(pod));
    this.snap = undefined;
  }

  clearNominated(key: string): void {
    for (const [node, pods] of this.nominated) {
      if (!pods.delete(key)) continue;
      if (pods.size === 0) this.nominated.delete(node);
      this.snap = undefined;
    }
  }

  /** Every node (with its Node object) as it stands now; valid until the cache next changes nodes. */
  snapshot(): Snapshot {
    this.snap ??= makeSnapshot(
      [...this.nodes.values()].filter((n) => n.node !== undefined),
      this.nominated,
    );
    return this.snap;
  }

  private place(key: string, info: PodInfo, node: string, assumed: boolean): void {
    let onNode = this.nodes.get(node);
    if (!onNode) {
      onNode = new NodeInfo();
      this.nodes.set(node, onNode);
    }
    onNode.addPod(info);
    this.pods.set(key, { node, assumed, info });
  }
}

export function isTerminal(pod: corev1.Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

// The node lifecycle controller, as upstream's: every monitor period it
// looks at each node's heartbeat (its Lease in kube-node-lease and the Ready
// condition). A node not heard from for the grace period gets its kubelet
// conditions set to Unknown (NodeStatusUnknown), and the pods on it are
// marked not Ready. Taints follow the conditions: NoSchedule ones for every
// bad condition and spec.unschedulable (TaintNodesByCondition), NoExecute
// not-ready/unreachable while Ready is False/Unknown; they go when the node
// recovers. Evicting pods from NoExecute-tainted nodes is the taint
// eviction controller's job (nodelifecycle-eviction.ts).
import type { coordinationv1, corev1 } from '../api/types.js';
import { runWorkers, WorkQueue, type Client, type EventRecorder } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { systemClock, type Clock, type Timer } from '../machinery/clock.js';
import { isNotFound } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { observe, readyOf, unknownConditions, type Probe } from './nodelifecycle-health.js';
import { reconcileTaints } from './nodelifecycle-taints.js';

type Node = corev1.Node;
type Pod = corev1.Pod;
type Lease = coordinationv1.Lease;

export const nodeLeaseNamespace = 'kube-node-lease';

export interface NodeLifecycleControllerOptions {
  client: Client;
  nodes: Lister<Node>;
  /** Leases (those in kube-node-lease are the nodes' heartbeats). */
  leases: Lister<Lease>;
  pods: Lister<Pod>;
  recorder: Pick<EventRecorder, 'event'>;
  logger?: Logger;
  queue?: WorkQueue;
  clock?: Clock;
  /** node-monitor-grace-period: silence after which a node is Unknown (upstream: 40 s). */
  gracePeriodMs?: number;
  /** node-monitor-period: how often every node is checked (upstream: 5 s). */
  monitorPeriodMs?: number;
}

export const nodeLifecycleDefaults = { gracePeriodMs: 40_000, monitorPeriodMs: 5_000 } as const;

export class NodeLifecycleController implements Controller {
  readonly name = 'nodelifecycle';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly gracePeriodMs: number;
  private readonly monitorPeriodMs: number;
  private readonly probes = new Map<string, Probe>();

  constructor(private readonly opts: NodeLifecycleControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.clock = opts.clock ?? systemClock;
    this.gracePeriodMs = opts.gracePeriodMs ?? nodeLifecycleDefaults.gracePeriodMs;
    this.monitorPeriodMs = opts.monitorPeriodMs ?? nodeLifecycleDefaults.monitorPeriodMs;
    opts.nodes.addEventHandler({
      onAdd: (node) => this.queue.add(node.metadata?.name ?? ''),
      onUpdate: (_old, node) => this.queue.add(node.metadata?.name ?? ''),
      onDelete: (node) => this.queue.add(node.metadata?.name ?? ''),
    });
  }

  /** Runs the workers and, every monitor period, queues every node. */
  run(workers: number, signal: AbortSignal): Promise<void> {
    let timer: Timer | undefined;
    const tick = (): void => {
      if (signal.aborted) return;
      for (const node of this.opts.nodes.list()) this.queue.add(node.metadata?.name ?? '');
      timer = this.clock.setTimer(tick, this.monitorPeriodMs);
    };
    tick();
    signal.addEventListener('abort', () => timer?.cancel(), { once: true });
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(name: string): Promise<void> {
    const cached = this.opts.nodes.get(name);
    if (!cached) {
      this.probes.delete(name);
      return;
    }
    const now = this.clock.now();
    const stamp = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
    const previous = this.probes.get(name);
    const probe = observe(previous, cached, this.opts.leases.get(name, nodeLeaseNamespace), now);
    this.probes.set(name, probe);
    let node: Node = { ...structuredClone(cached), apiVersion: 'v1', kind: 'Node' };

    if (now - probe.at >= this.gracePeriodMs) {
      const conditions = unknownConditions(node, stamp);
      if (conditions) {
        this.log.info('node stopped posting status', { node: name, silentMs: now - probe.at });
        node = await this.opts.client.nodes.updateStatus({ ...node, status: { ...node.status, conditions } });
      }
    }
    const ready = readyOf(node)?.status ?? '';
    this.probes.set(name, { ...probe, readyStatus: ready });
    if (previous && previous.readyStatus !== ready && (previous.readyStatus === 'True' || ready === 'True')) {
      const reason = ready === 'True' ? 'NodeReady' : 'NodeNotReady';
      this.opts.recorder.event(node, 'Normal', reason, `Node ${name} status is now: ${reason}`);
    }

    const taints = reconcileTaints(node, stamp);
    if (taints) {
      node = await this.opts.client.nodes.update({ ...node, spec: { ...node.spec, taints: taints.length > 0 ? taints : undefined } });
    }

    // A silent kubelet cannot correct its pods; a kubelet reporting NotReady is told once, on the transition.
    if (ready === 'Unknown' || (ready === 'False' && previous?.readyStatus === 'True')) await this.markPodsNotReady(name, stamp);
  }

  private async markPodsNotReady(nodeName: string, stamp: string): Promise<void> {
    for (const cached of this.opts.pods.list()) {
      if (cached.spec?.nodeName !== nodeName) continue;
      const conditions = cached.status?.conditions ?? [];
      if (!conditions.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      const copy = structuredClone(cached);
      const status = { ...copy.status, conditions: conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: stamp } : c)) };
      const pod: Pod = { ...copy, apiVersion: 'v1', kind: 'Pod', status };
      try {
        await this.opts.client.pods.updateStatus(pod);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}

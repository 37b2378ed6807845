// The pod garbage collector, as upstream's: every period it force-deletes
// (grace 0) terminated pods (Succeeded or Failed) beyond the threshold,
// oldest first; pods bound to a node that no longer exists, once the node
// has been missing for the quarantine and a fresh read confirms it (they
// are first marked Failed with the DisruptionTarget condition
// DeletionByPodGC); and terminating pods that were never scheduled.
import type { corev1 } from '../api/types.js';
import { objectKey, runWorkers, WorkQueue, type Client } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { systemClock, type Clock, type Timer } from '../machinery/clock.js';
import { isNotFound } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';

type Pod = corev1.Pod;
type Node = corev1.Node;

export interface PodGCControllerOptions {
  client: Client;
  pods: Lister<Pod>;
  nodes: Lister<Node>;
  logger?: Logger;
  queue?: WorkQueue;
  clock?: Clock;
  /** terminated-pod-gc-threshold; 0 or less turns that part off (upstream: 12500). */
  terminatedPodThreshold?: number;
  /** How often the collector runs (upstream: 20 s). */
  periodMs?: number;
  /** How long a node must be missing before its pods go (upstream: 40 s). */
  quarantineMs?: number;
}

export const podGCDefaults = { terminatedPodThreshold: 12_500, periodMs: 20_000, quarantineMs: 40_000 } as const;

/** The collector works on the whole cluster at once: its only key. */
export const podGCKey = 'podgc';

function isTerminated(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export class PodGCController implements Controller {
  readonly name = 'podgc';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly threshold: number;
  private readonly periodMs: number;
  private readonly quarantineMs: number;
  /** When each missing node was first found missing. */
  private readonly missingSince = new Map<string, number>();
  private wake: Timer | undefined;

  constructor(private readonly opts: PodGCControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.clock = opts.clock ?? systemClock;
    this.threshold = opts.terminatedPodThreshold ?? podGCDefaults.terminatedPodThreshold;
    this.periodMs = opts.periodMs ?? podGCDefaults.periodMs;
    this.quarantineMs = opts.quarantineMs ?? podGCDefaults.quarantineMs;
  }

  /** Runs the collector every period (one worker is enough: there is one key). */
  run(workers: number, signal: AbortSignal): Promise<void> {
    let timer: Timer | undefined;
    const tick = (): void => {
      if (signal.aborted) return;
      this.queue.add(podGCKey);
      timer = this.clock.setTimer(tick, this.periodMs);
    };
    tick();
    signal.addEventListener('abort', () => {
      timer?.cancel();
      this.wake?.cancel();
    }, { once: true });
    return runWorkers(this.queue, () => this.sync(), signal, { workers, logger: this.log });
  }

  async sync(): Promise<void> {
    const pods = this.opts.pods.list();
    await this.collectTerminated(pods);
    await this.collectOrphaned(pods);
    for (const pod of pods) {
      if (pod.metadata?.deletionTimestamp && !pod.spec?.nodeName) await this.forceDelete(pod, 'unscheduled terminating pod');
    }
  }

  private async collectTerminated(pods: readonly Pod[]): Promise<void> {
    if (this.threshold <= 0) return;
    const terminated = pods.filter((p) => isTerminated(p) && !p.metadata?.deletionTimestamp);
    const excess = terminated.length - this.threshold;
    if (excess <= 0) return;
    const created = (p: Pod): number => Date.parse(p.metadata?.creationTimestamp ?? '') || 0;
    terminated.sort((a, b) => created(a) - created(b));
    for (const pod of terminated.slice(0, excess)) await this.forceDelete(pod, 'terminated pod over the threshold');
  }

  private async collectOrphaned(pods: readonly Pod[]): Promise<void> {
    const now = this.clock.now();
    const byNode = new Map<string, Pod[]>();
    for (const pod of pods) {
      const node = pod.spec?.nodeName;
      if (!node || this.opts.nodes.get(node)) continue;
      byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }
    for (const name of this.missingSince.keys()) if (!byNode.has(name)) this.missingSince.delete(name);
    let nextDue: number | undefined;
    for (const [name, orphans] of byNode) {
      const since = this.missingSince.get(name) ?? now;
      this.missingSince.set(name, since);
      const due = since + this.quarantineMs;
      if (due > now) {
        nextDue = Math.min(nextDue ?? due, due);
        continue;
      }
      if (await this.nodeExists(name)) {
        this.missingSince.delete(name);
        continue;
      }
      for (const pod of orphans) await this.failAndDelete(pod);
    }
    this.wake?.cancel();
    this.wake = nextDue === undefined ? undefined : this.clock.setTimer(() => this.queue.add(podGCKey), nextDue - now);
  }

  /** A fresh read: the cache may not have seen the node yet. */
  private async nodeExists(name: string): Promise<boolean> {
    try {
      await this.opts.client.nodes.get(name);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private async failAndDelete(cached: Pod): Promise<void> {
    const pod: Pod = { ...structuredClone(cached), apiVersion: 'v1', kind: 'Pod' };
    const stamp = new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
    conditions.push({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastTransitionTime: stamp });
    const phase = isTerminated(pod) ? pod.status?.phase : 'Failed';
    try {
      await this.opts.client.pods.updateStatus({ ...pod, status: { ...pod.status, phase, conditions } });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    await this.forceDelete(cached, `pod bound to missing node ${cached.spec?.nodeName ?? ''}`);
  }

  private async forceDelete(pod: Pod, why: string): Promise<void> {
    this.log.info('deleting pod', { pod: objectKey(pod), why });
    try {
      await this.opts.client.pods.delete(pod.metadata?.name ?? '', { namespace: pod.metadata?.namespace, gracePeriodSeconds: 0 });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

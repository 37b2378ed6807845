// Taint-based eviction, as upstream's taint eviction controller: a pod on a
// node with NoExecute taints is deleted once its tolerations run out — at
// once when one taint is not tolerated, after the least tolerationSeconds of
// the matching tolerations otherwise, never when none of them bounds it.
// The clock starts when the taint was added (its timeAdded, else when this
// controller first saw it). Before deleting, the pod gets the
// DisruptionTarget condition (DeletionByTaintManager) as upstream does.
import type { corev1 } from '../api/types.js';
import { objectKey, runWorkers, WorkQueue, type Client, type EventRecorder } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { systemClock, type Clock, type Timer } from '../machinery/clock.js';
import { isNotFound } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { tolerationMs } from './nodelifecycle-taints.js';

type Node = corev1.Node;
type Pod = corev1.Pod;
type Taint = corev1.Taint;

export interface TaintEvictionControllerOptions {
  client: Client;
  nodes: Lister<Node>;
  pods: Lister<Pod>;
  recorder: Pick<EventRecorder, 'event'>;
  logger?: Logger;
  queue?: WorkQueue;
  clock?: Clock;
}

function noExecute(node: Node | undefined): Taint[] {
  return (node?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
}

function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  return a.length === b.length && a.every((t, i) => t.key === b[i]?.key && t.value === b[i]?.value);
}

export class TaintEvictionController implements Controller {
  readonly name = 'taint-eviction-controller';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly clock: Clock;
  /** Pending wake-ups by pod key. */
  private readonly timers = new Map<string, Timer>();
  /** When this controller first saw each NoExecute taint without timeAdded, by `node|key|value`. */
  private readonly firstSeen = new Map<string, number>();

  constructor(private readonly opts: TaintEvictionControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.clock = opts.clock ?? systemClock;
    opts.pods.addEventHandler({
      onAdd: (pod) => this.podChanged(pod),
      onUpdate: (_old, pod) => this.podChanged(pod),
      onDelete: (pod) => this.cancel(objectKey(pod)),
    });
    opts.nodes.addEventHandler({
      onAdd: (node) => this.nodeChanged(node),
      onUpdate: (old, node) => {
        if (!sameTaints(noExecute(old), noExecute(node))) this.nodeChanged(node);
      },
    });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => [...this.timers.keys()].forEach((k) => this.cancel(k)), { once: true });
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(key: string): Promise<void> {
    this.cancel(key);
    const [namespace = '', name = ''] = key.split('/');
    const pod = this.opts.pods.get(name, namespace);
    if (!pod?.spec?.nodeName || pod.metadata?.deletionTimestamp) return;
    const node = this.opts.nodes.get(pod.spec.nodeName);
    const taints = noExecute(node);
    if (taints.length === 0) return;
    const allowed = tolerationMs(taints, pod.spec.tolerations ?? []);
    if (allowed === undefined) return;
    const now = this.clock.now();
    const since = Math.min(...taints.map((t) => this.addedAt(pod.spec?.nodeName ?? '', t, now)));
    const wait = since + allowed - now;
    if (wait > 0) {
      this.timers.set(key, this.clock.setTimer(() => this.queue.add(key), wait));
      return;
    }
    await this.evict(pod);
  }

  private async evict(cached: Pod): Promise<void> {
    const name = cached.metadata?.name ?? '';
    const namespace = cached.metadata?.namespace;
    this.log.info('evicting pod from tainted node', { pod: objectKey(cached), node: cached.spec?.nodeName ?? '' });
    this.opts.recorder.event(cached, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${objectKey(cached)}`);
    const pod: Pod = { ...structuredClone(cached), apiVersion: 'v1', kind: 'Pod' };
    const conditions = (pod.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionTarget');
    const stamp = new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    conditions.push({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: stamp });
    try {
      await this.opts.client.pods.updateStatus({ ...pod, status: { ...pod.status, conditions } });
      await this.opts.client.pods.delete(name, { namespace, preconditions: { uid: cached.metadata?.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** When the taint was added: its timeAdded, else when first seen here. */
  private addedAt(nodeName: string, taint: Taint, now: number): number {
    const stamped = taint.timeAdded ? Date.parse(taint.timeAdded) : NaN;
    if (!Number.isNaN(stamped)) return stamped;
    const id = `${nodeName}|${taint.key}|${taint.value ?? ''}`;
    const seen = this.firstSeen.get(id) ?? now;
    this.firstSeen.set(id, seen);
    return seen;
  }

  private podChanged(pod: Pod): void {
    if (pod.spec?.nodeName && !pod.metadata?.deletionTimestamp) this.queue.add(objectKey(pod));
    else this.cancel(objectKey(pod));
  }

  private nodeChanged(node: Node): void {
    const name = node.metadata?.name ?? '';
    const current = new Set(noExecute(node).map((t) => `${name}|${t.key}|${t.value ?? ''}`));
    for (const id of this.firstSeen.keys()) if (id.startsWith(`${name}|`) && !current.has(id)) this.firstSeen.delete(id);
    for (const pod of this.opts.pods.list()) if (pod.spec?.nodeName === name) this.queue.add(objectKey(pod));
  }

  private cancel(key: string): void {
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }
}

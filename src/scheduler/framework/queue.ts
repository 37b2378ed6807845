// The scheduling queue (upstream's PriorityQueue): an active queue ordered
// by priority then arrival, a back-off queue for pods that failed recently
// (1 s doubling to 10 s per attempt), and the unschedulable pods, which a
// cluster event that may help moves back (to back-off if theirs has not
// expired yet). Pods parked longer than five minutes are retried anyway.
import type { corev1 } from '../../api/types.js';
import { eventMayHelp, type ClusterEvent } from './events.js';
import { KeyedHeap } from './heap.js';

export interface QueuedPod {
  pod: corev1.Pod;
  readonly key: string;
  /** When it (re)entered the queue; orders pods of equal priority. */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When the last attempt failed (back-off counts from here). */
  failedAt: number;
  /** Plugins that rejected it last time. */
  unschedulablePlugins: ReadonlySet<string>;
}

export interface QueueOptions {
  now?: () => number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long an unschedulable pod waits for an event before it is retried anyway. */
  maxUnschedulableMs?: number;
  /** How often back-off and parked pods are checked. */
  flushIntervalMs?: number;
}

export function podKey(pod: corev1.Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

const priorityOf = (q: QueuedPod): number => q.pod.spec?.priority ?? 0;

export class SchedulingQueue {
  private readonly active = new KeyedHeap<QueuedPod>((a, b) => priorityOf(a) > priorityOf(b) || (priorityOf(a) === priorityOf(b) && a.timestamp < b.timestamp));
  private readonly backoff = new KeyedHeap<QueuedPod>((a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  private readonly unschedulable = new Map<string, QueuedPod>();
  /** Pods popped and not yet done; an update or delete meanwhile is noted here. */
  private readonly inFlight = new Map<string, QueuedPod>();
  private readonly waiters: ((q: QueuedPod | undefined) => void)[] = [];
  private readonly now: () => number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Counts pops; a move request during a cycle sends its failed pod to back-off, not to the parked set. */
  schedulingCycle = 0;
  private moveRequestCycle = -1;

  constructor(private readonly opts: QueueOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = opts.maxUnschedulableMs ?? 5 * 60_000;
  }

  /** Starts the periodic flush. */
  run(): void {
    this.timer ??= setInterval(() => this.flush(), this.opts.flushIntervalMs ?? 1000);
    this.timer.unref?.();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  get lengths(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.active.size, backoff: this.backoff.size, unschedulable: this.unschedulable.size };
  }

  has(key: string): boolean {
    return this.active.has(key) || this.backoff.has(key) || this.unschedulable.has(key) || this.inFlight.has(key);
  }

  /** A new pending pod. */
  add(pod: corev1.Pod): void {
    const key = podKey(pod);
    if (this.has(key)) return this.update(pod);
    const t = this.now();
    this.pushActive({ pod, key, timestamp: t, attempts: 0, failedAt: 0, unschedulablePlugins: new Set() });
  }

  /** A pending pod changed: keep the newest object; a parked pod gets another chance. */
  update(pod: corev1.Pod): void {
    const key = podKey(pod);
    const flying = this.inFlight.get(key);
    if (flying) {
      flying.pod = pod;
      return;
    }
    for (const heap of [this.active, this.backoff]) {
      const q = heap.get(key);
      if (q) {
        q.pod = pod;
        heap.push(key, q);
        return;
      }
    }
    const parked = this.unschedulable.get(key);
    if (parked) {
      const changed = JSON.stringify(parked.pod.spec) !== JSON.stringify(pod.spec) || JSON.stringify(parked.pod.metadata?.labels) !== JSON.stringify(pod.metadata?.labels);
      parked.pod = pod;
      if (changed) this.requeue(parked);
      return;
    }
    this.add(pod);
  }

  delete(pod: corev1.Pod): void {
    const key = podKey(pod);
    this.active.remove(key);
    this.backoff.remove(key);
    this.unschedulable.delete(key);
    this.inFlight.delete(key);
  }

  /**
   * The next pod to schedule; waits while the active queue is empty.
   * Resolves undefined once closed, or once `signal` aborts (then nothing
   * is taken from the queue).
   */
  pop(signal?: AbortSignal): Promise<QueuedPod | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    const q = this.popNow();
    if (q || this.closed) return Promise.resolve(q);
    return new Promise((resolve) => {
      const waiter = (next: QueuedPod | undefined): void => {
        signal?.removeEventListener('abort', abandon);
        resolve(next);
      };
      const abandon = (): void => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(undefined);
      };
      signal?.addEventListener('abort', abandon, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** The next active pod without waiting; undefined when none is ready. */
  tryPop(): QueuedPod | undefined {
    return this.closed ? undefined : this.popNow();
  }

  private popNow(): QueuedPod | undefined {
    const q = this.active.pop();
    if (!q) return undefined;
    q.attempts++;
    this.schedulingCycle++;
    this.inFlight.set(q.key, q);
    return q;
  }

  /** The pod's cycle ended (bound, or handed back through addUnschedulable/addBackoff). */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * A pod no node fits. It waits for a cluster event that may help, unless
   * one already came during its cycle (then it only backs off).
   */
  addUnschedulable(q: QueuedPod, plugins: ReadonlySet<string>, cycle: number): void {
    if (!this.inFlight.has(q.key)) return; // deleted meanwhile
    this.inFlight.delete(q.key);
    q.unschedulablePlugins = plugins;
    q.failedAt = this.now();
    q.timestamp = q.failedAt;
    if (this.moveRequestCycle >= cycle) this.backoff.push(q.key, q);
    else this.unschedulable.set(q.key, q);
  }

  /** A pod whose cycle or binding failed for an internal reason: retry after back-off. */
  addBackoff(q: QueuedPod): void {
    if (!this.inFlight.has(q.key)) return;
    this.inFlight.delete(q.key);
    q.failedAt = this.now();
    q.timestamp = q.failedAt;
    this.backoff.push(q.key, q);
  }

  /** A cluster event: parked pods it may help go back to active (or back-off). */
  moveOnEvent(event: ClusterEvent): void {
    for (const q of [...this.unschedulable.values()]) if (eventMayHelp(event, q.unschedulablePlugins)) this.requeue(q);
    this.moveRequestCycle = this.schedulingCycle;
  }

  backoffMs(q: QueuedPod): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < q.attempts && d < this.maxBackoffMs; i++) d *= 2;
    return Math.min(d, this.maxBackoffMs);
  }

  private backoffExpiry(q: QueuedPod): number {
    return q.failedAt + this.backoffMs(q);
  }

  private requeue(q: QueuedPod): void {
    this.unschedulable.delete(q.key);
    if (this.backoffExpiry(q) > this.now()) this.backoff.push(q.key, q);
    else this.pushActive(q);
  }

  /** Moves pods whose back-off expired, and pods parked too long. */
  flush(): void {
    const now = this.now();
    for (let q = this.backoff.peek(); q && this.backoffExpiry(q) <= now; q = this.backoff.peek()) {
      this.backoff.pop();
      this.pushActive(q);
    }
    for (const q of [...this.unschedulable.values()]) if (now - q.failedAt >= this.maxUnschedulableMs) this.requeue(q);
  }

  private pushActive(q: QueuedPod): void {
    this.active.push(q.key, q);
    const waiter = this.waiters.shift();
    if (waiter) {
      const next = this.popNow();
      waiter(next);
    }
  }
}

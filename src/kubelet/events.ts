// A small event recorder: core/v1 Events from source component "kubelet" on
// this host, written through the client without blocking the caller. A
// repeat of an event (same object, field, type, reason and message) bumps
// the count and lastTimestamp of the one already written, as upstream's
// correlator does, instead of writing a new object.
import type { corev1 } from '../api/types.js';
import type { Client } from '../client/index.js';
import type { Logger } from '../log/logger.js';
import { isNotFound } from '../machinery/index.js';
import { rfc3339, type Clock } from './clock.js';
import { messageOf } from './errors.js';

export type EventType = 'Normal' | 'Warning';

/** The object an event is about. */
export type EventTarget = corev1.ObjectReference & { kind: string; name: string };

interface Written {
  name: string;
  namespace: string;
  count: number;
  /** Writes of one event key run one after another. */
  chain: Promise<void>;
}

const maxRemembered = 4096;

export interface EventRecorderOptions {
  client: Client;
  host: string;
  clock: Clock;
  logger: Logger;
  component?: string;
}

export class EventRecorder {
  private readonly written = new Map<string, Written>();
  private readonly inflight = new Set<Promise<void>>();
  private seq = 0;

  constructor(private readonly opts: EventRecorderOptions) {}

  /** Records an event about `target`; never throws, never waits. */
  record(target: EventTarget, type: EventType, reason: string, message: string): void {
    const key = [target.kind, target.namespace ?? '', target.name, target.uid ?? '', target.fieldPath ?? '', type, reason, message].join('\u0000');
    let entry = this.written.get(key);
    if (!entry) {
      entry = { name: '', namespace: target.namespace || 'default', count: 0, chain: Promise.resolve() };
      this.written.set(key, entry);
      if (this.written.size > maxRemembered) this.written.delete(this.written.keys().next().value as string);
    }
    const e = entry;
    const at = rfc3339(this.opts.clock.now());
    const job = e.chain.then(() => this.write(e, target, type, reason, message, at));
    e.chain = job;
    this.inflight.add(job);
    void job.finally(() => this.inflight.delete(job));
  }

  /** An event about a pod, or one of its containers (fieldPath spec.containers{name}). */
  pod(pod: corev1.Pod, type: EventType, reason: string, message: string, container?: { name: string; init?: boolean }): void {
    const m = pod.metadata ?? {};
    const target: EventTarget = { kind: 'Pod', apiVersion: 'v1', namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '', resourceVersion: m.resourceVersion ?? '' };
    if (container) target.fieldPath = `spec.${container.init ? 'initContainers' : 'containers'}{${container.name}}`;
    this.record(target, type, reason, message);
  }

  /** An event about this node (upstream names the node by its name as its uid, too). */
  node(nodeName: string, type: EventType, reason: string, message: string): void {
    this.record({ kind: 'Node', name: nodeName, uid: nodeName, namespace: '' }, type, reason, message);
  }

  /** Resolves once every event recorded so far is written (or failed). */
  async flush(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  private async write(e: Written, target: EventTarget, type: EventType, reason: string, message: string, now: string): Promise<void> {
    const events = this.opts.client.events;
    try {
      if (e.count > 0) {
        try {
          await events.patch(e.name, { count: e.count + 1, lastTimestamp: now }, { namespace: e.namespace });
          e.count++;
          return;
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      e.name = `${target.name}.${this.uniqueSuffix()}`;
      const event: corev1.Event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: e.name, namespace: e.namespace },
        involvedObject: target,
        reason,
        message,
        source: { component: this.opts.component ?? 'kubelet', host: this.opts.host },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type,
        reportingComponent: this.opts.component ?? 'kubelet',
        reportingInstance: this.opts.host,
      };
      await events.create(event);
      e.count = 1;
    } catch (err) {
      this.opts.logger.warn('event not written', { reason, object: `${target.kind}/${target.name}`, err: messageOf(err) });
    }
  }

  /** Upstream names events <object>.<unix nanoseconds in hex>; a counter keeps them unique within one ms. */
  private uniqueSuffix(): string {
    const nanos = BigInt(this.opts.clock.now()) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    return nanos.toString(16);
  }
}

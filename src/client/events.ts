// Records core/v1 Events about objects, as upstream's event recorder does:
// one Event per distinct (object, type, reason, message, source); a repeat
// within the aggregation window bumps the existing Event's count and
// lastTimestamp instead of creating another. Writes happen in the
// background; failures are logged, never thrown at the caller.
import type { corev1 } from '../api/types.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isNotFound } from '../machinery/index.js';
import type { Client } from './client.js';
import type { ObjectLike } from './resource.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  /** The source component, e.g. `deployment-controller`. */
  component: string;
  host?: string;
  logger?: Logger;
  now?: () => Date;
  /** Repeats older than this start a new Event (upstream: 10 minutes). */
  aggregateWindowMs?: number;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  at: number;
}

export class EventRecorder {
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly windowMs: number;
  private readonly seen = new Map<string, Seen>();
  private pending: Promise<void> = Promise.resolve();
  private serial = 0;

  constructor(
    private readonly client: Client,
    private readonly opts: EventRecorderOptions,
  ) {
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
    this.windowMs = opts.aggregateWindowMs ?? 10 * 60_000;
  }

  /**
   * Records an event about `obj` (which must have a name; its namespace, or
   * `default`, holds the Event); `action` is what the component did or
   * failed to do, as upstream's newer recorders say (`Binding`, `Scheduling`).
   */
  event(obj: ObjectLike, type: EventType, reason: string, message: string, action?: string): void {
    const involved = referenceTo(obj);
    const namespace = involved.namespace || 'default';
    const key = [involved.kind, namespace, involved.name, involved.uid, type, reason, message].join('\u0000');
    const at = this.now();
    this.pending = this.pending.then(() => this.write(key, involved, namespace, { type, reason, message, action }, at)).catch((err: unknown) => {
      this.log.warn('could not record event', { reason, object: `${involved.kind}/${involved.name}`, err: err instanceof Error ? err.message : String(err) });
    });
  }

  /** Resolves when every event recorded so far has been written (or failed). */
  flush(): Promise<void> {
    return this.pending;
  }

  private async write(
    key: string,
    involved: corev1.ObjectReference,
    namespace: string,
    { type, reason, message, action }: { type: EventType; reason: string; message: string; action: string | undefined },
    at: Date,
  ): Promise<void> {
    const stamp = at.toISOString().replace(/\.\d+Z$/, 'Z');
    const prior = this.seen.get(key);
    if (prior && at.getTime() - prior.at < this.windowMs) {
      const count = prior.count + 1;
      try {
        await this.client.events.patch(prior.name, { count, lastTimestamp: stamp }, { namespace: prior.namespace });
        this.seen.set(key, { ...prior, count, at: at.getTime() });
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    const name = `${involved.name}.${(BigInt(at.getTime()) * 1_000_000n + BigInt(this.serial++ % 1_000_000)).toString(16)}`;
    const event: corev1.Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: involved,
      type,
      reason,
      message,
      ...(action ? { action } : {}),
      source: { component: this.opts.component, ...(this.opts.host ? { host: this.opts.host } : {}) },
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.host ?? '',
    };
    await this.client.events.create(event);
    this.seen.set(key, { name, namespace, count: 1, at: at.getTime() });
    if (this.seen.size > 4096) this.seen.delete(this.seen.keys().next().value ?? '');
  }
}

/** An ObjectReference to `obj`. */
export function referenceTo(obj: ObjectLike): corev1.ObjectReference {
  const m = obj.metadata ?? {};
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    name: m.name,
    namespace: m.namespace,
    uid: m.uid,
    resourceVersion: m.resourceVersion,
  };
}

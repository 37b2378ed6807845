// Events about pods, as upstream's scheduler records them (core/v1 view):
// `Scheduled` (Normal, action Binding) and `FailedScheduling` (Warning,
// action Scheduling), source and reporting component default-scheduler. A
// repeat of the same event for the same pod bumps the count of the one
// already written instead of adding another.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { corev1 } from '../api/types.js';
import type { Client } from '../client/index.js';
import type { Logger } from '../log/logger.js';

export interface PodEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  action: string;
  message: string;
}

interface Written {
  name: string;
  namespace: string;
  count: number;
}

export class EventRecorder {
  private readonly written = new Map<string, Written>();
  private readonly instance: string;

  constructor(
    private readonly client: Client,
    private readonly component: string,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.instance = `${component}-${hostname()}`;
  }

  /** Writes the event; failures are logged, never thrown (events are best effort). */
  async record(pod: corev1.Pod, e: PodEvent): Promise<void> {
    const namespace = pod.metadata?.namespace ?? 'default';
    const id = `${pod.metadata?.uid ?? ''}|${e.reason}|${e.message}`;
    const ts = this.now().toISOString().replace(/\.\d+Z$/, 'Z');
    try {
      const seen = this.written.get(id);
      if (seen) {
        seen.count++;
        await this.client.events.patch(seen.name, { count: seen.count, lastTimestamp: ts }, { namespace });
        return;
      }
      const name = `${pod.metadata?.name ?? 'pod'}.${randomBytes(8).toString('hex')}`;
      const event: corev1.Event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: 'v1',
          kind: 'Pod',
          namespace,
          name: pod.metadata?.name,
          uid: pod.metadata?.uid,
          resourceVersion: pod.metadata?.resourceVersion,
        },
        type: e.type,
        reason: e.reason,
        action: e.action,
        message: e.message,
        source: { component: this.component },
        reportingComponent: this.component,
        reportingInstance: this.instance,
        firstTimestamp: ts,
        lastTimestamp: ts,
        count: 1,
      };
      await this.client.events.create(event);
      this.written.set(id, { name, namespace, count: 1 });
      if (this.written.size > 10_000) this.written.delete(this.written.keys().next().value ?? '');
    } catch (err) {
      this.log.warn('recording event failed', { pod: `${namespace}/${pod.metadata?.name}`, reason: e.reason, err: err instanceof Error ? err.message : String(err) });
    }
  }
}

// One pod through the framework: run the cycle on the cache's snapshot; on
// success assume the pod and bind it in the background (forget it if the
// binding fails); on failure park it, run preemption, and tell the user
// through the PodScheduled condition and a FailedScheduling event. Events
// go to the shared recorder, which writes them in the background: no event
// write is on a binding's path.
import type { corev1 } from '../api/types.js';
import type { Client, EventRecorder, EventType } from '../client/index.js';
import type { Logger } from '../log/logger.js';
import { isConflict, isNotFound } from '../machinery/index.js';
import type { SchedulerCache } from './framework/cache.js';
import { runCycle, type Profile } from './framework/cycle.js';
import { fitErrorMessage } from './framework/fiterror.js';
import { isPreBind } from './framework/interfaces.js';
import { podInfo } from './framework/nodeinfo.js';
import { evaluatePreemption } from './framework/preemption.js';
import type { QueuedPod, SchedulingQueue } from './framework/queue.js';
import { Code, statusMessage } from './framework/status.js';
import { bindPod, reasonSchedulerError, reasonUnschedulable, writeUnschedulable } from './podstatus.js';

export interface SchedulerDeps {
  readonly client: Client;
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  readonly profile: Profile;
  readonly recorder: Pick<EventRecorder, 'event'>;
  readonly log: Logger;
  readonly random?: () => number;
  /** Background work (bindings, status writes) the scheduler waits for when stopping. */
  readonly track: (p: Promise<void>) => void;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Queues an event about `pod` (as upstream's scheduler: source and reporting component are the scheduler's name). */
function podEvent(recorder: Pick<EventRecorder, 'event'>, pod: corev1.Pod, type: EventType, reason: string, message: string, action: string): void {
  recorder.event({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata }, type, reason, message, action);
}

export class PodScheduler {
  private startIndex = 0;

  constructor(private readonly d: SchedulerDeps) {}

  scheduleOne(q: QueuedPod): void {
    const { cache, queue, profile } = this.d;
    const pod = q.pod;
    const cycle = queue.schedulingCycle;
    if (pod.metadata?.deletionTimestamp) return queue.done(q.key);
    const info = podInfo(pod);
    const result = runCycle(profile, pod, cache.snapshot(), { random: this.d.random, startIndex: this.startIndex, podInfo: info });
    if (result.nextStartIndex !== undefined) this.startIndex = result.nextStartIndex;
    if (result.kind === 'scheduled') {
      cache.assume(pod, result.node, info);
      this.d.track(this.bind(q, result.node));
      return;
    }
    if (result.kind === 'error') {
      queue.addBackoff(q);
      this.fail(pod, reasonSchedulerError, result.message);
      return;
    }
    let message = result.message;
    let nominated: string | undefined;
    if (message === undefined) {
      const preemption = evaluatePreemption(profile, pod, cache.snapshot(), result.diagnosis.nodeToStatus);
      result.diagnosis.postFilterMsg = preemption.message;
      message = fitErrorMessage(result.numAllNodes, result.diagnosis);
      if (preemption.nominated) {
        nominated = preemption.nominated.node;
        this.d.track(this.evict(pod, nominated, preemption.nominated.victims));
      }
    }
    queue.addUnschedulable(q, result.diagnosis.unschedulablePlugins, cycle);
    this.fail(pod, reasonUnschedulable, message, nominated);
  }

  private async bind(q: QueuedPod, node: string): Promise<void> {
    const { client, cache, queue, log } = this.d;
    const pod = q.pod;
    try {
      const preBind = await this.preBind(pod, node);
      if (preBind) {
        cache.forget(q.key);
        log.warn('pre-binding failed', { pod: q.key, node, err: preBind });
        queue.addBackoff(q);
        await this.writeFailure(pod, reasonSchedulerError, preBind);
        return;
      }
      await bindPod(client, pod, node);
    } catch (err) {
      cache.forget(q.key);
      if (isNotFound(err) || (isConflict(err) && /already assigned|being deleted/.test(errorText(err)))) {
        queue.done(q.key);
        return;
      }
      log.warn('binding failed', { pod: q.key, node, err: errorText(err) });
      queue.addBackoff(q);
      await this.writeFailure(pod, reasonSchedulerError, `binding rejected: ${errorText(err)}`);
      return;
    }
    queue.done(q.key);
    if (log.enabled('debug')) log.debug('bound', { pod: q.key, node });
    podEvent(this.d.recorder, pod, 'Normal', 'Scheduled', `Successfully assigned ${q.key} to ${node}`, 'Binding');
  }

  /** Runs the PreBind plugins; returns the failure message, if any. */
  private async preBind(pod: corev1.Pod, nodeName: string): Promise<string | undefined> {
    const node = this.d.cache.snapshot().get(nodeName)?.node;
    if (!node) return `node "${nodeName}" not found`;
    for (const p of this.d.profile.plugins) {
      if (!isPreBind(p)) continue;
      const s = await p.preBind(pod, node);
      if (s.code !== Code.Success && s.code !== Code.Skip) return `running PreBind plugin "${p.name}": ${statusMessage(s)}`;
    }
    return undefined;
  }

  private fail(pod: corev1.Pod, reason: string, message: string, nominated?: string): void {
    if (this.d.log.enabled('debug')) this.d.log.debug('unschedulable', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, reason, message });
    this.d.track(this.writeFailure(pod, reason, message, nominated));
  }

  private async writeFailure(pod: corev1.Pod, reason: string, message: string, nominated?: string): Promise<void> {
    podEvent(this.d.recorder, pod, 'Warning', 'FailedScheduling', message, 'Scheduling');
    try {
      await writeUnschedulable(this.d.client, pod, reason, message, nominated);
    } catch (err) {
      if (!isNotFound(err)) this.d.log.warn('updating pod status failed', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, err: errorText(err) });
    }
  }

  /** Deletes the victims preemption chose; their deletion wakes the preemptor. */
  private async evict(preemptor: corev1.Pod, node: string, victims: readonly corev1.Pod[]): Promise<void> {
    const by = `${preemptor.metadata?.namespace}/${preemptor.metadata?.name}`;
    for (const v of victims) {
      try {
        podEvent(this.d.recorder, v, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata?.uid ?? by} on node ${node}`, 'Preempting');
        await this.d.client.pods.delete(v.metadata?.name ?? '', { namespace: v.metadata?.namespace });
      } catch (err) {
        if (!isNotFound(err)) this.d.log.warn('preempting pod failed', { pod: `${v.metadata?.namespace}/${v.metadata?.name}`, by, err: errorText(err) });
      }
    }
  }
}

// The horizontal pod autoscaler, as upstream's: every sync period (15 s)
// each HPA reads its target's scale subresource, asks its Resource metrics
// (PodMetrics from metrics.k8s.io) for a replica count, takes the highest,
// stabilizes and bounds it (horizontalpodautoscaler-normalize.ts), writes
// the new count through `/scale`, and reports status, the AbleToScale /
// ScalingActive / ScalingLimited conditions and events with upstream's
// reasons and messages. Recommendations and scale events live in memory
// per HPA, as upstream's.
import type { corev1 } from '../api/types.js';
import { objectKey, resourcePath, runWorkers, WorkQueue, type Client, type EventRecorder, type ResourceRef } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { parseLabelSelector } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { sameJSON } from './endpoints.js';
import { MetricError, metricReplicas, type MetricProposal } from './horizontalpodautoscaler-metrics.js';
import { normalizeReplicas, type Recommendation, type ScaleEvent } from './horizontalpodautoscaler-normalize.js';
import { hpaSpec, rfc3339, scaleRefFor, setCondition, type Condition, type Hpa, type HpaSpec } from './horizontalpodautoscaler-spec.js';

export const horizontalPodAutoscalersRef = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', namespaced: true } as const satisfies ResourceRef;

interface Scale {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

export interface HorizontalPodAutoscalerControllerOptions {
  client: Client;
  hpas: Lister<Hpa>;
  pods: Lister<corev1.Pod>;
  recorder: Pick<EventRecorder, 'event'>;
  logger?: Logger;
  queue?: WorkQueue;
  now?: () => Date;
  /** How often every HPA is reconciled (upstream's horizontal-pod-autoscaler-sync-period: 15 s). */
  syncPeriodMs?: number;
  /** Scale-down stabilization when an HPA's behavior sets none (upstream's flag: 300 s). */
  downscaleStabilizationMs?: number;
}

interface Outcome {
  current: number;
  desired: number;
  metrics?: MetricProposal[];
  lastScaleTime?: string;
}

export class HorizontalPodAutoscalerController implements Controller {
  readonly name = 'horizontalpodautoscaling';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly recommendations = new Map<string, Recommendation[]>();
  private readonly scaleEvents = new Map<string, ScaleEvent[]>();

  constructor(private readonly opts: HorizontalPodAutoscalerControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
    opts.hpas.addEventHandler({
      onAdd: (h) => this.queue.add(objectKey(h)),
      onUpdate: (_old, h) => this.queue.add(objectKey(h)),
    });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    const timer = setInterval(() => {
      for (const h of this.opts.hpas.list()) this.queue.add(objectKey(h));
    }, this.opts.syncPeriodMs ?? 15_000);
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.opts.hpas.get(name, namespace);
    if (!cached || cached.metadata?.deletionTimestamp) {
      this.recommendations.delete(key);
      this.scaleEvents.delete(key);
      return;
    }
    const hpa = structuredClone(cached);
    const spec = hpaSpec(hpa);
    const conditions: Condition[] = structuredClone(hpa.status?.conditions ?? []);
    const previous: Outcome = { current: hpa.status?.currentReplicas ?? 0, desired: hpa.status?.desiredReplicas ?? 0, ...(hpa.status?.lastScaleTime ? { lastScaleTime: hpa.status.lastScaleTime } : {}) };
    const outcome = await this.reconcile(key, hpa, spec, conditions, previous).catch(async (err: unknown) => {
      await this.writeStatus(hpa, spec, conditions, previous);
      throw err;
    });
    await this.writeStatus(hpa, spec, conditions, outcome);
  }

  private async reconcile(key: string, hpa: Hpa, spec: HpaSpec, conditions: Condition[], previous: Outcome): Promise<Outcome> {
    const now = this.now();
    const set = (type: string, status: 'True' | 'False', reason: string, message: string) => setCondition(conditions, type, status, reason, message, now);
    const namespace = hpa.metadata?.namespace ?? '';
    const ref = scaleRefFor(spec.target);
    let scale: Scale;
    try {
      if (!ref) throw new Error(`no scale subresource for ${spec.target.apiVersion ?? ''}, Kind=${spec.target.kind}`);
      scale = (await this.opts.client.transport.request({ method: 'GET', path: resourcePath(ref, { namespace, name: spec.target.name, subresource: 'scale' }) })).body as Scale;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      set('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${message}`);
      this.opts.recorder.event(hpa, 'Warning', 'FailedGetScale', message);
      return previous;
    }
    set('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
    const current = scale.spec?.replicas ?? 0;
    let desired: number;
    let reason = '';
    let metrics: MetricProposal[] | undefined;
    if (current === 0 && spec.min !== 0) {
      desired = 0;
      set('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
    } else if (current > spec.max) {
      [desired, reason] = [spec.max, 'Current number of replicas above Spec.MaxReplicas'];
    } else if (current < spec.min) {
      [desired, reason] = [spec.min, 'Current number of replicas below Spec.MinReplicas'];
    } else {
      const selectorText = scale.status?.selector ?? '';
      if (selectorText === '') {
        set('ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
        this.opts.recorder.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
        return { ...previous, current };
      }
      const selector = parseLabelSelector(selectorText);
      const pods = this.opts.pods.list(namespace).filter((p) => selector.matches(p.metadata?.labels ?? {}));
      const input = { client: this.opts.client, namespace, selectorText, pods, current, nowMs: now.getTime() };
      try {
        metrics = [];
        for (const m of spec.metrics) metrics.push(await metricReplicas(m, input));
      } catch (err) {
        const failure = err instanceof MetricError ? err : new MetricError('FailedGetResourceMetric', String(err));
        set('ScalingActive', 'False', failure.reason, `the HPA was unable to compute the replica count: ${failure.message}`);
        this.opts.recorder.event(hpa, 'Warning', failure.reason, failure.message);
        this.opts.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (1 invalid out of ${spec.metrics.length}), first error is: failed to get ${spec.metrics[0]?.resource?.name ?? ''} resource metric value: ${failure.message}`);
        return { ...previous, current };
      }
      const best = metrics.reduce((a, b) => (b.replicas > a.replicas ? b : a));
      set('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${best.name}`);
      desired = this.normalize(key, spec, current, best.replicas, now, set);
      if (desired > current) reason = `${best.name} above target`;
      if (desired < current) reason = 'All metrics below target';
    }
    if (desired === current) return { current, desired, ...(metrics ? { metrics } : {}), ...(previous.lastScaleTime ? { lastScaleTime: previous.lastScaleTime } : {}) };
    try {
      const body = { ...scale, spec: { ...scale.spec, replicas: desired } };
      await this.opts.client.transport.request({ method: 'PUT', path: resourcePath(ref, { namespace, name: spec.target.name, subresource: 'scale' }), body });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      set('AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${message}`);
      this.opts.recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${message}`);
      throw err;
    }
    set('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
    this.opts.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
    this.log.info('rescaled', { hpa: key, from: current, to: desired, reason });
    this.scaleEvents.set(key, [...(this.scaleEvents.get(key) ?? []), { timestampMs: now.getTime(), change: desired - current }]);
    return { current, desired, ...(metrics ? { metrics } : {}), lastScaleTime: rfc3339(now) };
  }

  /** Stabilizes and bounds the metrics' recommendation, setting AbleToScale and ScalingLimited. */
  private normalize(key: string, spec: HpaSpec, current: number, recommended: number, now: Date, set: (type: string, status: 'True' | 'False', reason: string, message: string) => void): number {
    const nowMs = now.getTime();
    const downMs = this.opts.downscaleStabilizationMs ?? 300_000;
    const longest = Math.max(downMs, (spec.behavior?.scaleDown?.stabilizationWindowSeconds ?? 0) * 1000, (spec.behavior?.scaleUp?.stabilizationWindowSeconds ?? 0) * 1000, 1_800_000);
    const recommendations = (this.recommendations.get(key) ?? []).filter((r) => r.timestampMs > nowMs - longest);
    const events = (this.scaleEvents.get(key) ?? []).filter((e) => e.timestampMs > nowMs - longest);
    this.scaleEvents.set(key, events);
    const out = normalizeReplicas({ current, desired: recommended, min: spec.min, max: spec.max, behavior: spec.behavior, recommendations, events, nowMs, defaultDownscaleWindowMs: downMs });
    this.recommendations.set(key, [...recommendations, { timestampMs: nowMs, replicas: recommended }]);
    if (out.stabilized) set('AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
    else set('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
    if (out.limit) set('ScalingLimited', 'True', out.limit.reason, out.limit.message);
    else set('ScalingLimited', 'False', 'DesiredWithinRange', 'the desired count is within the acceptable range');
    return out.replicas;
  }

  /** Writes the status in the HPA's own version's fields when it changed. */
  private async writeStatus(hpa: Hpa, spec: HpaSpec, conditions: Condition[], o: Outcome): Promise<void> {
    const base = { observedGeneration: hpa.metadata?.generation ?? 0, ...(o.lastScaleTime ? { lastScaleTime: o.lastScaleTime } : {}), currentReplicas: o.current, desiredReplicas: o.desired };
    const utilization = o.metrics?.find((m) => m.status.resource?.name === 'cpu')?.status.resource?.current.averageUtilization;
    const status: Hpa['status'] = spec.v1
      ? { ...base, ...(utilization === undefined ? {} : { currentCPUUtilizationPercentage: utilization }) }
      : { ...base, ...(o.metrics ? { currentMetrics: o.metrics.map((m) => m.status) } : hpa.status?.currentMetrics ? { currentMetrics: hpa.status.currentMetrics } : {}), conditions };
    if (sameJSON(status, hpa.status)) return;
    const ref = { ...horizontalPodAutoscalersRef, version: spec.v1 ? 'v1' : 'v2' };
    await this.opts.client.resource<Hpa>(ref).updateStatus({ ...hpa, status });
  }
}

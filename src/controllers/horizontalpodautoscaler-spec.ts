// What the HPA controller reads of an HPA, whichever version it was written
// in (autoscaling/v1 objects are kept as written: their CPU percentage is
// read as the one Resource metric upstream converts it to), the scale
// subresource of the target kinds it knows, and conditions as upstream
// sets them (the transition time moves only when the status changes).
import type { autoscalingv1, autoscalingv2 } from '../api/types.js';
import type { ResourceRef } from '../client/index.js';

export type Hpa = autoscalingv2.HorizontalPodAutoscaler & {
  spec?: Partial<autoscalingv1.HorizontalPodAutoscalerSpec>;
  status?: Partial<autoscalingv1.HorizontalPodAutoscalerStatus>;
};
export type Condition = autoscalingv2.HorizontalPodAutoscalerCondition;

export interface HpaSpec {
  target: autoscalingv2.CrossVersionObjectReference;
  min: number;
  max: number;
  metrics: autoscalingv2.MetricSpec[];
  behavior: autoscalingv2.HorizontalPodAutoscalerBehavior | undefined;
  /** Written as autoscaling/v1: status goes back in v1's fields. */
  v1: boolean;
}

/** Upstream's target when none is given. */
const defaultUtilization = 80;

export function hpaSpec(hpa: Hpa): HpaSpec {
  const spec = hpa.spec;
  const v1 = (hpa.apiVersion as string | undefined) === 'autoscaling/v1' || (spec?.metrics === undefined && spec?.targetCPUUtilizationPercentage !== undefined);
  const cpu = (percent: number): autoscalingv2.MetricSpec[] => [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: percent } } }];
  const metrics = v1 ? cpu(spec?.targetCPUUtilizationPercentage ?? defaultUtilization) : spec?.metrics?.length ? spec.metrics : cpu(defaultUtilization);
  return {
    target: spec?.scaleTargetRef ?? { kind: '', name: '' },
    min: spec?.minReplicas ?? 1,
    max: spec?.maxReplicas ?? 0,
    metrics,
    behavior: v1 ? undefined : (spec?.behavior ?? undefined),
    v1,
  };
}

const scalable: Readonly<Record<string, ResourceRef>> = {
  'apps/Deployment': { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true },
  'apps/ReplicaSet': { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true },
  'apps/StatefulSet': { group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true },
  '/ReplicationController': { group: '', version: 'v1', resource: 'replicationcontrollers', namespaced: true },
};

/** The resource whose `/scale` the target names; undefined for kinds without a known scale subresource. */
export function scaleRefFor(target: autoscalingv2.CrossVersionObjectReference): ResourceRef | undefined {
  const apiVersion = target.apiVersion ?? '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return scalable[`${group}/${target.kind}`];
}

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Sets the condition of `type` in the list (in place), keeping its transition time when the status is unchanged. */
export function setCondition(conditions: Condition[], type: string, status: 'True' | 'False', reason: string, message: string, now: Date): void {
  const at = conditions.findIndex((c) => c.type === type);
  const old = at >= 0 ? conditions[at] : undefined;
  const next: Condition = { type, status, reason, message, lastTransitionTime: old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now) };
  if (at >= 0) conditions[at] = next;
  else conditions.push(next);
}

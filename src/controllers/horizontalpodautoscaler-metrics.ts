// The replica count each Resource metric of an HPA asks for, read from the
// metrics API's PodMetrics (metrics.k8s.io) of the target's pods. Usage,
// requests and targets are compared in milli-units for every resource, as
// upstream's metrics client does. Failures carry the condition reason and
// the message upstream reports.
import type { autoscalingv2, corev1 } from '../api/types.js';
import type { Client, ResourceRef } from '../client/index.js';
import { formatQuantity, newMilliQuantity, parseQuantity, quantityMilliValue } from '../machinery/index.js';
import { podRequests, resourceReplicas, type PodSample, type ResourceTarget } from './horizontalpodautoscaler-replicas.js';

export const podMetricsRef = { group: 'metrics.k8s.io', version: 'v1beta1', resource: 'pods', namespaced: true } as const satisfies ResourceRef;

interface PodMetrics {
  metadata?: { name?: string };
  timestamp?: string;
  window?: string;
  containers?: { name: string; usage?: Record<string, string> }[];
}

/** A metric that could not be computed: the ScalingActive reason and the error text. */
export class MetricError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

export interface MetricProposal {
  replicas: number;
  /** `cpu resource utilization (percentage of request)`, as the rescale reason names it. */
  name: string;
  status: autoscalingv2.MetricStatus;
}

const milli = (q: string): number => Number(quantityMilliValue(parseQuantity(q)));

const unitsMs: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

/** A Go duration string (`15.012s`, `1m0.5s`) in milliseconds; 0 when unreadable. */
export function durationMs(text: string | undefined): number {
  let total = 0;
  for (const m of (text ?? '').matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)) total += Number(m[1]) * (unitsMs[m[2] ?? ''] ?? 0);
  return total;
}

export interface MetricInput {
  client: Client;
  namespace: string;
  selectorText: string;
  pods: corev1.Pod[];
  current: number;
  nowMs: number;
}

async function samplesFor(input: MetricInput, resource: string): Promise<Map<string, PodSample>> {
  let items: PodMetrics[];
  try {
    items = (await input.client.resource<PodMetrics>(podMetricsRef).list({ namespace: input.namespace, labelSelector: input.selectorText })).items;
  } catch (err) {
    throw new Error(`unable to get metrics for resource ${resource}: unable to fetch metrics from resource metrics API: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (items.length === 0) throw new Error(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  const out = new Map<string, PodSample>();
  for (const item of items) {
    let value = 0;
    let complete = true;
    for (const c of item.containers ?? []) {
      const q = c.usage?.[resource];
      if (q === undefined) complete = false;
      else value += milli(q);
    }
    if (complete) out.set(item.metadata?.name ?? '', { value, timestampMs: Date.parse(item.timestamp ?? '') || 0, windowMs: durationMs(item.window) });
  }
  return out;
}

/** The proposal of one metric; rejects with a MetricError. */
export async function metricReplicas(spec: autoscalingv2.MetricSpec, input: MetricInput): Promise<MetricProposal> {
  const source = spec.resource;
  if (spec.type !== 'Resource' || !source) throw new MetricError('InvalidMetricSourceType', `the HPA was unable to compute the replica count: unknown metric source type "${spec.type}"`);
  const resource = source.name;
  const utilization = source.target.type === 'Utilization';
  const what = utilization ? `${resource} utilization` : `${resource} usage`;
  try {
    const samples = await samplesFor(input, resource);
    if (input.pods.length === 0) throw new Error('no pods returned by selector while calculating replica count');
    let target: ResourceTarget;
    if (utilization) target = { type: 'Utilization', percent: source.target.averageUtilization ?? 0, requests: podRequests(input.pods, resource, milli) };
    else if (source.target.type === 'AverageValue' && source.target.averageValue !== undefined) target = { type: 'AverageValue', average: milli(String(source.target.averageValue)) };
    else throw new Error(`invalid resource metric source: neither a utilization target nor a value target was set`);
    const proposal = resourceReplicas(input.current, input.pods, samples, resource, target, input.nowMs);
    const current: autoscalingv2.MetricValueStatus = { averageValue: formatQuantity(newMilliQuantity(BigInt(Math.round(proposal.average)))) };
    if (proposal.utilization !== undefined) current.averageUtilization = proposal.utilization;
    return {
      replicas: proposal.replicas,
      name: utilization ? `${resource} resource utilization (percentage of request)` : `${resource} resource`,
      status: { type: 'Resource', resource: { name: resource, current } },
    };
  } catch (err) {
    throw new MetricError('FailedGetResourceMetric', `failed to get ${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

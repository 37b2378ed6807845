// The replica count one Resource metric asks for, by upstream's replica
// calculator: pods being deleted or failed are ignored, pending pods and
// (for CPU) pods not yet ready or still warming up count as unready, pods
// without a sample are missing. Within the tolerance (10 %) the count stays;
// otherwise missing pods are assumed at the target when scaling down and at
// zero when scaling up, unready pods at zero when scaling up, and a
// recomputed ratio that changes direction keeps the count.
import type { corev1 } from '../api/types.js';

type Pod = corev1.Pod;

export const tolerance = 0.1;
/** CPU samples of a pod younger than this count only once a whole window follows its readiness. */
export const cpuInitializationPeriodMs = 5 * 60_000;
/** A pod not ready this long after starting has not been ready yet. */
export const delayOfInitialReadinessStatusMs = 30_000;

/** A pod's summed container usage (millicores or bytes) and when it was measured. */
export interface PodSample {
  value: number;
  timestampMs: number;
  windowMs: number;
}

export interface PodGroups {
  readyCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

export function groupPods(pods: readonly Pod[], samples: ReadonlyMap<string, PodSample>, resource: string, nowMs: number): PodGroups {
  const groups: PodGroups = { readyCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp || pod.status?.phase === 'Failed') {
      groups.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === 'Pending') {
      groups.unready.add(name);
      continue;
    }
    const sample = samples.get(name);
    if (!sample) {
      groups.missing.add(name);
      continue;
    }
    if (resource === 'cpu' && cpuUnready(pod, sample, nowMs)) {
      groups.unready.add(name);
      continue;
    }
    groups.readyCount++;
  }
  return groups;
}

function cpuUnready(pod: Pod, sample: PodSample, nowMs: number): boolean {
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : undefined;
  if (!ready || start === undefined) return true;
  const transition = ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
  if (start + cpuInitializationPeriodMs > nowMs) return ready.status === 'False' || sample.timestampMs < transition + sample.windowMs;
  return ready.status === 'False' && start + delayOfInitialReadinessStatusMs > transition;
}

/** What a target compares: the utilisation of the pods' requests (percent), or the average raw value. */
export type ResourceTarget = { type: 'Utilization'; percent: number; requests: ReadonlyMap<string, number> } | { type: 'AverageValue'; average: number };

export interface ReplicaProposal {
  replicas: number;
  /** Utilisation in percent of the requests (Utilization targets). */
  utilization?: number;
  /** Average usage over the pods with samples (millicores or bytes). */
  average: number;
}

/** The usage ratio of the samples against the target, with the figures reported in status. */
function ratio(samples: ReadonlyMap<string, number>, target: ResourceTarget): { ratio: number; utilization?: number; average: number } {
  let total = 0;
  let requested = 0;
  let count = 0;
  for (const [pod, value] of samples) {
    if (target.type === 'Utilization') {
      const request = target.requests.get(pod);
      if (request === undefined) continue;
      requested += request;
    }
    total += value;
    count++;
  }
  const average = count === 0 ? 0 : total / count;
  if (target.type === 'AverageValue') return { ratio: average / target.average, average };
  const utilization = requested === 0 ? 0 : Math.trunc((total * 100) / requested);
  return { ratio: utilization / target.percent, utilization, average };
}

/** Throws (with upstream's message) when no pod has a usable sample. */
export function resourceReplicas(current: number, pods: readonly Pod[], samples: ReadonlyMap<string, PodSample>, resource: string, target: ResourceTarget, nowMs: number): ReplicaProposal {
  const groups = groupPods(pods, samples, resource, nowMs);
  const usable = new Map<string, number>();
  for (const [pod, s] of samples) if (!groups.ignored.has(pod) && !groups.unready.has(pod) && pods.some((p) => p.metadata?.name === pod)) usable.set(pod, s.value);
  if (usable.size === 0) throw new Error('did not receive metrics for targeted pods (pods might be unready)');
  const first = ratio(usable, target);
  const report = { ...(first.utilization === undefined ? {} : { utilization: first.utilization }), average: first.average };
  const scaleUpWithUnready = groups.unready.size > 0 && first.ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1 - first.ratio) <= tolerance) return { replicas: current, ...report };
    return { replicas: Math.ceil(first.ratio * groups.readyCount), ...report };
  }
  const assumed = new Map(usable);
  const atTarget = (pod: string): number => (target.type === 'Utilization' ? ((target.requests.get(pod) ?? 0) * target.percent) / 100 : target.average);
  for (const pod of groups.missing) assumed.set(pod, first.ratio < 1 ? atTarget(pod) : 0);
  if (scaleUpWithUnready) for (const pod of groups.unready) assumed.set(pod, 0);
  const next = ratio(assumed, target).ratio;
  if (Math.abs(1 - next) <= tolerance || (first.ratio < 1 && next > 1) || (first.ratio > 1 && next < 1)) return { replicas: current, ...report };
  const replicas = Math.ceil(next * assumed.size);
  if ((next < 1 && replicas > current) || (next > 1 && replicas < current)) return { replicas: current, ...report };
  return { replicas, ...report };
}

/** Each pod's request for `resource` (millicores or bytes); throws, as upstream, when a container has none. */
export function podRequests(pods: readonly Pod[], resource: string, parse: (q: string) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const pod of pods) {
    let sum = 0;
    for (const c of pod.spec?.containers ?? []) {
      const q = c.resources?.requests?.[resource];
      if (q === undefined) throw new Error(`missing request for ${resource} in container ${c.name} of Pod ${pod.metadata?.name ?? ''}`);
      sum += parse(String(q));
    }
    out.set(pod.metadata?.name ?? '', sum);
  }
  return out;
}

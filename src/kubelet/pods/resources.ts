// Resources: the pod's QoS class, and the cgroup settings a container (and
// the sandbox) gets from its requests and limits, with upstream's formulas
// (cpu shares from requests, CFS quota from limits over a 100 ms period,
// memory limit, OOM score by QoS class).
import type { corev1 } from '../../api/types.js';
import { quantityFromJSON, quantityMilliValue, quantityValue } from '../../machinery/index.js';
import type { LinuxContainerResources } from '../cri/types.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const minShares = 2;
const maxShares = 262144;
const sharesPerCpu = 1024;
export const cfsPeriodUs = 100_000;
const minQuotaUs = 1000;

/** A quantity in milli-units; 0 for absent or unparsable values. */
export function milli(q: unknown): number {
  if (q === undefined) return 0;
  try {
    return Number(quantityMilliValue(quantityFromJSON(q)));
  } catch {
    return 0;
  }
}

/** A quantity in whole units (bytes); 0 for absent or unparsable values. */
export function units(q: unknown): number {
  if (q === undefined) return 0;
  try {
    return Number(quantityValue(quantityFromJSON(q)));
  } catch {
    return 0;
  }
}

export function milliCpuToShares(milliCpu: number): number {
  if (milliCpu === 0) return minShares;
  const shares = Math.floor((milliCpu * sharesPerCpu) / 1000);
  return Math.min(maxShares, Math.max(minShares, shares));
}

export function milliCpuToQuota(milliCpu: number, periodUs: number): number {
  if (milliCpu === 0) return 0;
  return Math.max(minQuotaUs, Math.floor((milliCpu * periodUs) / 1000));
}

const qosResources = ['cpu', 'memory'] as const;

/** Upstream's GetPodQOS over init and app containers (cpu and memory only). */
export function qosClass(pod: corev1.Pod): QosClass {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const r of qosResources) {
      const req = milli(c.resources?.requests?.[r]);
      if (req > 0) requests.set(r, (requests.get(r) ?? 0) + req);
    }
    let limited = 0;
    for (const r of qosResources) {
      const lim = milli(c.resources?.limits?.[r]);
      if (lim > 0) {
        limits.set(r, (limits.get(r) ?? 0) + lim);
        limited++;
      }
    }
    if (limited < qosResources.length) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) for (const [r, v] of requests) if (limits.get(r) !== v) guaranteed = false;
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

export function oomScoreAdj(qos: QosClass, container: corev1.Container, memoryCapacityBytes: number): number {
  if (qos === 'Guaranteed') return -997;
  if (qos === 'BestEffort') return 1000;
  const request = units(container.resources?.requests?.['memory']);
  const adj = memoryCapacityBytes > 0 ? 1000 - Math.floor((1000 * request) / memoryCapacityBytes) : 1000;
  if (adj < 3) return 3;
  if (adj === 1000) return 999;
  return adj;
}

function cgroupSettings(cpuRequestMilli: number, cpuLimitMilli: number, memoryLimit: number): LinuxContainerResources {
  const shares = cpuRequestMilli === 0 && cpuLimitMilli > 0 ? milliCpuToShares(cpuLimitMilli) : milliCpuToShares(cpuRequestMilli);
  const out: LinuxContainerResources = { cpuShares: shares, cpuPeriod: cfsPeriodUs, cpuQuota: milliCpuToQuota(cpuLimitMilli, cfsPeriodUs) };
  if (memoryLimit > 0) out.memoryLimitInBytes = memoryLimit;
  return out;
}

export function containerResources(pod: corev1.Pod, container: corev1.Container, memoryCapacityBytes: number): LinuxContainerResources {
  const r = container.resources ?? {};
  return {
    ...cgroupSettings(milli(r.requests?.['cpu']), milli(r.limits?.['cpu']), units(r.limits?.['memory'])),
    oomScoreAdj: oomScoreAdj(qosClass(pod), container, memoryCapacityBytes),
  };
}

/** The sandbox's share: the sum over app containers (limits only when every container has one). */
export function sandboxResources(pod: corev1.Pod): LinuxContainerResources {
  const containers = pod.spec?.containers ?? [];
  let cpuRequest = 0;
  let cpuLimit = 0;
  let memLimit = 0;
  let allCpu = containers.length > 0;
  let allMem = containers.length > 0;
  for (const c of containers) {
    cpuRequest += milli(c.resources?.requests?.['cpu']);
    const cl = milli(c.resources?.limits?.['cpu']);
    const ml = units(c.resources?.limits?.['memory']);
    if (cl === 0) allCpu = false;
    if (ml === 0) allMem = false;
    cpuLimit += cl;
    memLimit += ml;
  }
  return cgroupSettings(cpuRequest, allCpu ? cpuLimit : 0, allMem ? memLimit : 0);
}

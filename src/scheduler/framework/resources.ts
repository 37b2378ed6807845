// Resource amounts as the scheduler counts them: milli-CPU, bytes, pod
// slots and extended resources by name; and a pod's effective requests
// (upstream's PodRequests: containers summed, init containers by the max
// rule with restartable sidecars added, plus the pod overhead).
import type { corev1 } from '../../api/types.js';
import { parseQuantity, quantityMilliValue, quantityValue } from '../../machinery/index.js';

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  allowedPodNumber: number;
  /** Extended and hugepages resources, in whole units. */
  scalar: Record<string, number>;
}

type ResourceList = Readonly<Record<string, string>> | undefined;

/** Requests of a container without cpu or memory requests count as these when spreading (upstream's non-zero defaults). */
export const defaultMilliCPURequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} };
}

export function cloneResource(r: Resource): Resource {
  return { ...r, scalar: { ...r.scalar } };
}

function amount(name: string, value: string): number {
  try {
    const q = parseQuantity(value);
    return Number(name === 'cpu' ? quantityMilliValue(q) : quantityValue(q));
  } catch {
    return 0;
  }
}

/** Converts a ResourceList (`{cpu: '500m', memory: '1Gi'}`) into counted amounts. */
export function resourceFromList(list: ResourceList): Resource {
  const r = emptyResource();
  for (const [name, value] of Object.entries(list ?? {})) {
    const n = amount(name, value);
    if (name === 'cpu') r.milliCPU = n;
    else if (name === 'memory') r.memory = n;
    else if (name === 'ephemeral-storage') r.ephemeralStorage = n;
    else if (name === 'pods') r.allowedPodNumber = n;
    else r.scalar[name] = n;
  }
  return r;
}

export function addResource(into: Resource, r: Resource, sign = 1): void {
  into.milliCPU += sign * r.milliCPU;
  into.memory += sign * r.memory;
  into.ephemeralStorage += sign * r.ephemeralStorage;
  into.allowedPodNumber += sign * r.allowedPodNumber;
  for (const [name, n] of Object.entries(r.scalar)) into.scalar[name] = (into.scalar[name] ?? 0) + sign * n;
}

function maxInto(into: Resource, r: Resource): void {
  into.milliCPU = Math.max(into.milliCPU, r.milliCPU);
  into.memory = Math.max(into.memory, r.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, r.ephemeralStorage);
  for (const [name, n] of Object.entries(r.scalar)) into.scalar[name] = Math.max(into.scalar[name] ?? 0, n);
}

/** Requests with upstream's non-zero defaults for cpu and memory applied per container. */
function nonZero(r: Resource, list: ResourceList): Resource {
  const out = cloneResource(r);
  if (list?.['cpu'] === undefined) out.milliCPU = defaultMilliCPURequest;
  if (list?.['memory'] === undefined) out.memory = defaultMemoryRequest;
  return out;
}

/**
 * The pod's effective requests. With `nonZero`, containers that request no
 * cpu or memory count the defaults instead (used by scoring only).
 */
export function podRequests(pod: corev1.Pod, opts: { nonZero?: boolean } = {}): Resource {
  return sumRequests(pod, (c) => {
    const r = resourceFromList(c.resources?.requests);
    return opts.nonZero ? nonZero(r, c.resources?.requests) : r;
  });
}

/** Both forms of podRequests, parsing each container's requests once. */
export function podRequestPair(pod: corev1.Pod): { requests: Resource; nonZeroRequests: Resource } {
  const parsed = new Map<corev1.Container, Resource>();
  const parse = (c: corev1.Container): Resource => {
    let r = parsed.get(c);
    if (!r) parsed.set(c, (r = resourceFromList(c.resources?.requests)));
    return r;
  };
  return { requests: sumRequests(pod, parse), nonZeroRequests: sumRequests(pod, (c) => nonZero(parse(c), c.resources?.requests)) };
}

/** Upstream's PodRequests over per-container requests (which the sum does not modify). */
function sumRequests(pod: corev1.Pod, containerReq: (c: corev1.Container) => Resource): Resource {
  const reqs = emptyResource();
  for (const c of pod.spec?.containers ?? []) addResource(reqs, containerReq(c));
  const restartable = emptyResource();
  const init = emptyResource();
  for (const c of pod.spec?.initContainers ?? []) {
    const r = containerReq(c);
    if (c.restartPolicy === 'Always') {
      addResource(reqs, r);
      addResource(restartable, r);
      maxInto(init, restartable);
    } else {
      const tmp = cloneResource(r);
      addResource(tmp, restartable);
      maxInto(init, tmp);
    }
  }
  maxInto(reqs, init);
  const overhead = pod.spec?.overhead;
  if (overhead) addResource(reqs, resourceFromList(overhead));
  return reqs;
}

/** True when the pod asks for nothing a node counts (only a pod slot). */
export function isZeroRequest(r: Resource): boolean {
  return r.milliCPU === 0 && r.memory === 0 && r.ephemeralStorage === 0 && Object.values(r.scalar).every((n) => n === 0);
}

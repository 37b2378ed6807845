// NodeResourcesFit: the pod's requests must fit in what the node's
// allocatable leaves after the pods already there (cpu, memory,
// ephemeral-storage, extended resources, and one pod slot). It also scores
// with the least-allocated strategy (leastallocated.ts).
import type { CycleContext, FilterPlugin, ScorePlugin } from '../framework/interfaces.js';
import type { NodeInfo } from '../framework/nodeinfo.js';
import { isZeroRequest, podRequests, type Resource } from '../framework/resources.js';
import { success, unschedulable, type Status } from '../framework/status.js';
import { leastAllocatedScore } from './leastallocated.js';

export const nodeResourcesFitName = 'NodeResourcesFit';

/** Upstream's reasons, in upstream's order: `Too many pods`, then `Insufficient <resource>` for each short resource. */
export function insufficientResources(request: Resource, node: NodeInfo): string[] {
  const reasons: string[] = [];
  if (node.pods.length + 1 > node.allocatable.allowedPodNumber) reasons.push('Too many pods');
  if (isZeroRequest(request)) return reasons;
  const { allocatable, requested } = node;
  if (request.milliCPU > 0 && request.milliCPU > allocatable.milliCPU - requested.milliCPU) reasons.push('Insufficient cpu');
  if (request.memory > 0 && request.memory > allocatable.memory - requested.memory) reasons.push('Insufficient memory');
  if (request.ephemeralStorage > 0 && request.ephemeralStorage > allocatable.ephemeralStorage - requested.ephemeralStorage) {
    reasons.push('Insufficient ephemeral-storage');
  }
  for (const [name, n] of Object.entries(request.scalar)) {
    if (n > 0 && n > (allocatable.scalar[name] ?? 0) - (requested.scalar[name] ?? 0)) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

/** The pod's requests (or with non-zero defaults), computed once per cycle. */
export function requestsOf(ctx: CycleContext, nonZero = false): Resource {
  if (ctx.podInfo) return nonZero ? ctx.podInfo.nonZeroRequests : ctx.podInfo.requests;
  const key = nonZero ? 'requests/nonZero' : 'requests';
  let r = ctx.state.get(key) as Resource | undefined;
  if (!r) {
    r = podRequests(ctx.pod, { nonZero });
    ctx.state.set(key, r);
  }
  return r;
}

export const nodeResourcesFit: FilterPlugin & ScorePlugin = {
  name: nodeResourcesFitName,
  filter(ctx: CycleContext, node: NodeInfo): Status {
    const reasons = insufficientResources(requestsOf(ctx), node);
    return reasons.length === 0 ? success : unschedulable(...reasons);
  },
  score(ctx: CycleContext, node: NodeInfo): number {
    return leastAllocatedScore(requestsOf(ctx, true), node);
  },
};

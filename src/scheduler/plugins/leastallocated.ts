// The least-allocated scoring strategy: prefer the node with the larger
// share of cpu and memory still free after placing the pod (counting
// upstream's non-zero defaults for containers without requests).
import { maxNodeScore } from '../framework/interfaces.js';
import type { NodeInfo } from '../framework/nodeinfo.js';
import type { Resource } from '../framework/resources.js';

function freeShare(requested: number, allocatable: number): number {
  if (allocatable === 0 || requested > allocatable) return 0;
  return Math.trunc(((allocatable - requested) * maxNodeScore) / allocatable);
}

/** 0..100, cpu and memory weighted equally. `podNonZero` is the pod's requests with non-zero defaults. */
export function leastAllocatedScore(podNonZero: Resource, node: NodeInfo): number {
  const cpu = freeShare(node.nonZeroRequested.milliCPU + podNonZero.milliCPU, node.allocatable.milliCPU);
  const memory = freeShare(node.nonZeroRequested.memory + podNonZero.memory, node.allocatable.memory);
  return Math.trunc((cpu + memory) / 2);
}

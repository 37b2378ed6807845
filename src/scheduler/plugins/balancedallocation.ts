// NodeResourcesBalancedAllocation: prefer the node whose cpu and memory
// would be used in the most similar proportions after placing the pod
// (score = (1 - standard deviation of the fractions) × 100).
import { maxNodeScore, type CycleContext, type ScorePlugin } from '../framework/interfaces.js';
import type { NodeInfo } from '../framework/nodeinfo.js';
import type { Resource } from '../framework/resources.js';
import { requestsOf } from './noderesourcesfit.js';

export const balancedAllocationName = 'NodeResourcesBalancedAllocation';

function fraction(requested: number, allocatable: number): number {
  if (allocatable === 0) return 0;
  return Math.min(1, requested / allocatable);
}

export function balancedAllocationScore(podReq: Resource, node: NodeInfo): number {
  const cpu = fraction(node.requested.milliCPU + podReq.milliCPU, node.allocatable.milliCPU);
  const memory = fraction(node.requested.memory + podReq.memory, node.allocatable.memory);
  // With two resources the standard deviation is half their difference.
  const std = Math.abs(cpu - memory) / 2;
  return Math.trunc((1 - std) * maxNodeScore);
}

export const balancedAllocation: ScorePlugin = {
  name: balancedAllocationName,
  score(ctx: CycleContext, node: NodeInfo): number {
    return balancedAllocationScore(requestsOf(ctx), node);
  },
};

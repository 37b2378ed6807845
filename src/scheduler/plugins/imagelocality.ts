// ImageLocality: prefer nodes that already hold the pod's images, weighting
// each image's size by how widely it is spread (so one node holding a
// common image does not attract every pod).
import type { corev1 } from '../../api/types.js';
import { maxNodeScore, type CycleContext, type ScorePlugin } from '../framework/interfaces.js';
import { normalizedImageName, type NodeInfo } from '../framework/nodeinfo.js';

export const imageLocalityName = 'ImageLocality';
const mb = 1024 * 1024;
const minThreshold = 23 * mb;
const maxContainerThreshold = 1000 * mb;

/** Scaled size of the pod's images present on the node, given how many nodes hold each. */
export function imageLocalityScore(pod: corev1.Pod, sizes: ReadonlyMap<string, number>, totalNodes: number, nodesWith: (image: string) => number): number {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  let sum = 0;
  for (const c of containers) {
    if (!c.image) continue;
    const size = sizes.get(normalizedImageName(c.image));
    if (size === undefined || totalNodes === 0) continue;
    sum += size * (nodesWith(c.image) / totalNodes);
  }
  const max = maxContainerThreshold * Math.max(1, containers.length);
  const clamped = Math.min(Math.max(sum, minThreshold), max);
  return Math.trunc((maxNodeScore * (clamped - minThreshold)) / (max - minThreshold));
}

export const imageLocality: ScorePlugin = {
  name: imageLocalityName,
  score(ctx: CycleContext, node: NodeInfo): number {
    return imageLocalityScore(ctx.pod, node.imageSizes, ctx.snapshot.nodes.length, (image) => ctx.snapshot.imageNodeCount(image));
  },
};

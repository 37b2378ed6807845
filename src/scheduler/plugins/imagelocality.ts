// ImageLocality: prefer nodes that already hold the pod's images, weighting
// each image's size by how widely it is spread (so one node holding a
// common image does not attract every pod). The pod's images and their
// spread are worked out once per cycle; each node then costs a lookup per
// image. When no node holds any of them every score would be 0, so
// PreScore skips the plugin.
import type { corev1 } from '../../api/types.js';
import { maxNodeScore, type CycleContext, type PreScorePlugin, type ScorePlugin } from '../framework/interfaces.js';
import { skip, success, type Status } from '../framework/status.js';
import { normalizedImageName, type NodeInfo, type Snapshot } from '../framework/nodeinfo.js';

export const imageLocalityName = 'ImageLocality';
const mb = 1024 * 1024;
const minThreshold = 23 * mb;
const maxContainerThreshold = 1000 * mb;
const stateKey = 'ImageLocality/images';

export interface PodImages {
  /** Per container with an image: its normalised name and the share of nodes holding it. */
  readonly images: readonly { readonly name: string; readonly spread: number }[];
  /** Containers of every kind, images or not (they set the score's ceiling). */
  readonly containers: number;
}

export function podImages(pod: corev1.Pod, snapshot: Snapshot): PodImages {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const total = snapshot.nodes.length;
  const images = containers.filter((c) => !!c.image).map((c) => ({ name: normalizedImageName(c.image ?? ''), spread: total === 0 ? 0 : snapshot.imageNodeCount(c.image ?? '') / total }));
  return { images, containers: containers.length };
}

/** Scaled size of the pod's images present on a node with these image sizes. */
export function imageLocalityScore(pod: PodImages, sizes: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const { name, spread } of pod.images) sum += (sizes.get(name) ?? 0) * spread;
  const max = maxContainerThreshold * Math.max(1, pod.containers);
  const clamped = Math.min(Math.max(sum, minThreshold), max);
  return Math.trunc((maxNodeScore * (clamped - minThreshold)) / (max - minThreshold));
}

function imagesOf(ctx: CycleContext): PodImages {
  let images = ctx.state.get(stateKey) as PodImages | undefined;
  if (!images) {
    images = podImages(ctx.pod, ctx.snapshot);
    ctx.state.set(stateKey, images);
  }
  return images;
}

export const imageLocality: PreScorePlugin & ScorePlugin = {
  name: imageLocalityName,
  preScore(ctx: CycleContext): Status {
    return imagesOf(ctx).images.some((i) => i.spread > 0) ? success : skip;
  },
  score(ctx: CycleContext, node: NodeInfo): number {
    return imageLocalityScore(imagesOf(ctx), node.imageSizes);
  },
};

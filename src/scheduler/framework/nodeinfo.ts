// What the scheduler knows about one node: the Node object, the pods
// assigned (or assumed) to it, their summed requests, the host ports they
// hold and the images the node reports. Filters and scores read it; only the
// cache changes it.
import type { corev1 } from '../../api/types.js';
import { podAffinityTerms, type PodAffinityTerms } from './podterms.js';
import { addResource, cloneResource, emptyResource, podRequestPair, resourceFromList, type Resource } from './resources.js';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export interface PodInfo {
  readonly pod: corev1.Pod;
  /** `namespace/name`. */
  readonly key: string;
  readonly requests: Resource;
  readonly nonZeroRequests: Resource;
  readonly hostPorts: readonly HostPort[];
  /** The pod's affinity terms, resolved once. */
  readonly terms: PodAffinityTerms;
}

/** The host ports a pod's containers ask for (hostPort > 0), defaulting IP 0.0.0.0 and protocol TCP. */
export function podHostPorts(pod: corev1.Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

export function podInfo(pod: corev1.Pod): PodInfo {
  return {
    pod,
    key: `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`,
    ...podRequestPair(pod),
    hostPorts: podHostPorts(pod),
    terms: podAffinityTerms(pod),
  };
}

export class NodeInfo {
  node: corev1.Node | undefined;
  readonly pods: PodInfo[] = [];
  readonly requested: Resource = emptyResource();
  readonly nonZeroRequested: Resource = emptyResource();
  readonly usedPorts: HostPort[] = [];
  /** Pods with any pod affinity or anti-affinity term. */
  readonly podsWithAffinity: PodInfo[] = [];
  /** Pods with required anti-affinity terms. */
  readonly podsWithRequiredAntiAffinity: PodInfo[] = [];
  allocatable: Resource = emptyResource();
  /** Image sizes the node reports, by normalised name. */
  imageSizes: ReadonlyMap<string, number> = new Map();

  constructor(node?: corev1.Node) {
    if (node) this.setNode(node);
  }

  get name(): string {
    return this.node?.metadata?.name ?? '';
  }

  get labels(): Readonly<Record<string, string>> {
    return this.node?.metadata?.labels ?? {};
  }

  setNode(node: corev1.Node): void {
    this.node = node;
    // Allocatable is what pods may use; a node that reports only capacity offers all of it.
    this.allocatable = resourceFromList(node.status?.allocatable ?? node.status?.capacity);
    const sizes = new Map<string, number>();
    for (const img of node.status?.images ?? []) for (const name of img.names ?? []) sizes.set(normalizedImageName(name), img.sizeBytes ?? 0);
    this.imageSizes = sizes;
  }

  addPod(info: PodInfo): void {
    this.pods.push(info);
    addResource(this.requested, info.requests);
    addResource(this.nonZeroRequested, info.nonZeroRequests);
    this.usedPorts.push(...info.hostPorts);
    if (info.terms.any) this.podsWithAffinity.push(info);
    if (info.terms.requiredAnti.length > 0) this.podsWithRequiredAntiAffinity.push(info);
  }

  /** Removes the pod with `key`; returns whether it was there. */
  removePod(key: string): boolean {
    const i = this.pods.findIndex((p) => p.key === key);
    if (i < 0) return false;
    const [info] = this.pods.splice(i, 1);
    if (!info) return false;
    for (const list of [this.podsWithAffinity, this.podsWithRequiredAntiAffinity]) {
      const k = list.indexOf(info);
      if (k >= 0) list.splice(k, 1);
    }
    addResource(this.requested, info.requests, -1);
    addResource(this.nonZeroRequested, info.nonZeroRequests, -1);
    for (const hp of info.hostPorts) {
      const j = this.usedPorts.findIndex((u) => u.ip === hp.ip && u.protocol === hp.protocol && u.port === hp.port);
      if (j >= 0) this.usedPorts.splice(j, 1);
    }
    return true;
  }

  /** An independent copy (for preemption's what-if runs). */
  clone(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.allocatable = cloneResource(this.allocatable);
    c.imageSizes = this.imageSizes;
    for (const p of this.pods) c.addPod(p);
    return c;
  }
}

/** Image name as nodes report it: a reference without tag or digest means `:latest`. */
export function normalizedImageName(name: string): string {
  const lastSlash = name.lastIndexOf('/');
  const tail = name.slice(lastSlash + 1);
  if (name.includes('@') || tail.includes(':')) return name;
  return `${name}:latest`;
}

/** Read-only view of every node for one scheduling cycle. */
export interface Snapshot {
  readonly nodes: readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  /** How many nodes report an image (normalised name). */
  imageNodeCount(image: string): number;
  /** Pending pods preemption nominated to this node (their victims are still going). */
  nominated(node: string): readonly PodInfo[];
}

const noPods: readonly PodInfo[] = Object.freeze([]);

export function makeSnapshot(nodes: readonly NodeInfo[], nominated: ReadonlyMap<string, ReadonlyMap<string, PodInfo>> = new Map()): Snapshot {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  let images: Map<string, number> | undefined;
  return {
    nodes,
    get: (name) => byName.get(name),
    nominated: (node) => {
      const pods = nominated.get(node);
      return pods ? [...pods.values()] : noPods;
    },
    imageNodeCount(image) {
      if (!images) {
        images = new Map();
        for (const n of nodes) {
          const seen = new Set<string>();
          for (const img of n.node?.status?.images ?? []) for (const name of img.names ?? []) seen.add(normalizedImageName(name));
          for (const name of seen) images.set(name, (images.get(name) ?? 0) + 1);
        }
      }
      return images.get(normalizedImageName(image)) ?? 0;
    },
  };
}

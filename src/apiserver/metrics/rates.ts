// Usage between two scrapes of one node, as metrics-server computes it:
// CPU is the rate of the cumulative counter over the window between the
// two samples, memory the working set of the later one. A container seen
// once, or whose counter went backwards (it restarted), has no figure yet,
// and neither has its pod (a pod is reported whole or not at all).
import type { ContainerPoint, ResourceScrape, UsagePoint } from './parse.js';

export interface Usage {
  /** Cores. */
  cpuCores: number;
  memoryBytes: number;
  /** End of the window (the later sample), ms since the epoch. */
  timestampMs: number;
  windowMs: number;
}

export interface ContainerUsage extends Usage {
  container: string;
}

export interface NodeRates {
  node: Usage | undefined;
  /** By `namespace/pod`. */
  pods: Map<string, ContainerUsage[]>;
}

export function rate(prev: UsagePoint, last: UsagePoint): Usage | undefined {
  const windowMs = last.timestampMs - prev.timestampMs;
  const cpu = last.cpuSeconds - prev.cpuSeconds;
  if (windowMs <= 0 || cpu < 0) return undefined;
  return { cpuCores: cpu / (windowMs / 1000), memoryBytes: last.workingSetBytes, timestampMs: last.timestampMs, windowMs };
}

const key = (c: ContainerPoint) => `${c.namespace}/${c.pod}/${c.container}`;

export function nodeRates(prev: ResourceScrape, last: ResourceScrape): NodeRates {
  const before = new Map(prev.containers.map((c) => [key(c), c]));
  const pods = new Map<string, ContainerUsage[]>();
  const incomplete = new Set<string>();
  for (const c of last.containers) {
    const pod = `${c.namespace}/${c.pod}`;
    const earlier = before.get(key(c));
    const usage = earlier && rate(earlier, c);
    if (!usage) incomplete.add(pod);
    else pods.set(pod, [...(pods.get(pod) ?? []), { ...usage, container: c.container }]);
  }
  for (const pod of incomplete) pods.delete(pod);
  return { node: prev.node && last.node && rate(prev.node, last.node), pods };
}

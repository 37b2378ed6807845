// GET /metrics/resource: the node's, pods' and running containers' CPU
// time and memory working set in Prometheus text, with upstream's metric
// names, help strings and labels, each sample stamped with the time it was
// taken (milliseconds). This is what the metrics API scrapes. Container
// figures come from the runtime's ListContainerStats; a pod's are the sum
// of its running containers'.
import type { RuntimeService } from '../cri/runtime.js';
import { containerNameLabel, podNameLabel, podNamespaceLabel } from '../pods/labels.js';
import type { NodeUsage } from './nodestats.js';

export interface ContainerUsage {
  namespace: string;
  pod: string;
  container: string;
  cpuSeconds: number;
  workingSetBytes: number;
  timestampMs: number;
}

export interface ResourceSample {
  /** Undefined when the node's own figures could not be read. */
  node: NodeUsage | undefined;
  containers: ContainerUsage[];
  /** True when some figures are missing because a read failed (resource_scrape_error 1). */
  error: boolean;
}

/** The running containers' usage as the runtime reports it; containers without CPU or memory figures are left out. */
export async function containerUsage(runtime: RuntimeService): Promise<ContainerUsage[]> {
  const [running, stats] = await Promise.all([runtime.listContainers({ state: 'CONTAINER_RUNNING' }), runtime.listContainerStats()]);
  const live = new Set(running.map((c) => c.id));
  const out: ContainerUsage[] = [];
  for (const s of stats) {
    const labels = s.attributes.labels;
    const pod = labels[podNameLabel];
    const namespace = labels[podNamespaceLabel];
    const cpu = s.cpu?.usageCoreNanoSeconds;
    const memory = s.memory?.workingSetBytes;
    if (!live.has(s.attributes.id) || pod === undefined || namespace === undefined || cpu === undefined || memory === undefined) continue;
    const stamp = s.cpu?.timestamp ?? 0n;
    out.push({
      namespace,
      pod,
      container: labels[containerNameLabel] ?? s.attributes.metadata.name,
      cpuSeconds: Number(cpu) / 1e9,
      workingSetBytes: memory,
      timestampMs: stamp > 0n ? Number(stamp / 1_000_000n) : Date.now(),
    });
  }
  return out;
}

function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelSet(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escape(v)}"`);
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: { labels: Record<string, string>; value: number; timestampMs?: number }[];
}

function render(families: readonly Family[]): string {
  let out = '';
  for (const f of families) {
    out += `# HELP ${f.name} [STABLE] ${f.help}\n# TYPE ${f.name} ${f.type}\n`;
    for (const s of f.samples) out += `${f.name}${labelSet(s.labels)} ${s.value}${s.timestampMs === undefined ? '' : ` ${s.timestampMs}`}\n`;
  }
  return out;
}

/** The Prometheus text exposition of one sample (families sorted by name, as upstream's registry writes them). */
export function renderResourceMetrics(sample: ResourceSample): string {
  const containers = [...sample.containers].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.pod.localeCompare(b.pod) || a.container.localeCompare(b.container));
  const pods = new Map<string, { namespace: string; pod: string; cpu: number; memory: number; ts: number }>();
  for (const c of containers) {
    const key = `${c.namespace}/${c.pod}`;
    const p = pods.get(key) ?? { namespace: c.namespace, pod: c.pod, cpu: 0, memory: 0, ts: 0 };
    p.cpu += c.cpuSeconds;
    p.memory += c.workingSetBytes;
    p.ts = Math.max(p.ts, c.timestampMs);
    pods.set(key, p);
  }
  const own = (c: ContainerUsage) => ({ container: c.container, namespace: c.namespace, pod: c.pod });
  const node = sample.node;
  return render([
    { name: 'container_cpu_usage_seconds_total', help: 'Cumulative cpu time consumed by the container in core-seconds', type: 'counter', samples: containers.map((c) => ({ labels: own(c), value: c.cpuSeconds, timestampMs: c.timestampMs })) },
    { name: 'container_memory_working_set_bytes', help: 'Current working set of the container in bytes', type: 'gauge', samples: containers.map((c) => ({ labels: own(c), value: c.workingSetBytes, timestampMs: c.timestampMs })) },
    { name: 'node_cpu_usage_seconds_total', help: 'Cumulative cpu time consumed by the node in core-seconds', type: 'counter', samples: node ? [{ labels: {}, value: node.cpuSeconds, timestampMs: node.timestampMs }] : [] },
    { name: 'node_memory_working_set_bytes', help: 'Current working set of the node in bytes', type: 'gauge', samples: node ? [{ labels: {}, value: node.workingSetBytes, timestampMs: node.timestampMs }] : [] },
    { name: 'pod_cpu_usage_seconds_total', help: 'Cumulative cpu time consumed by the pod in core-seconds', type: 'counter', samples: [...pods.values()].map((p) => ({ labels: { namespace: p.namespace, pod: p.pod }, value: p.cpu, timestampMs: p.ts })) },
    { name: 'pod_memory_working_set_bytes', help: 'Current working set of the pod in bytes', type: 'gauge', samples: [...pods.values()].map((p) => ({ labels: { namespace: p.namespace, pod: p.pod }, value: p.memory, timestampMs: p.ts })) },
    { name: 'resource_scrape_error', help: '1 if there was an error while getting container metrics, 0 otherwise', type: 'gauge', samples: [{ labels: {}, value: sample.error ? 1 : 0 }] },
  ]);
}

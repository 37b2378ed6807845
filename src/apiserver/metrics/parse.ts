// Reads a kubelet's /metrics/resource answer (Prometheus text): the node's
// CPU time and working set, and each container's. Other families, comments
// and malformed lines are skipped; a sample without a timestamp takes the
// scrape's time.

export interface UsagePoint {
  /** Cumulative CPU time, core-seconds. */
  cpuSeconds: number;
  workingSetBytes: number;
  /** Milliseconds since the epoch. */
  timestampMs: number;
}

export interface ContainerPoint extends UsagePoint {
  namespace: string;
  pod: string;
  container: string;
}

export interface ResourceScrape {
  node: UsagePoint | undefined;
  containers: ContainerPoint[];
}

const linePattern = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+(-?\d+))?$/;
const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function unescape(value: string): string {
  return value.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
}

function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(labelPattern)) out[m[1] ?? ''] = unescape(m[2] ?? '');
  return out;
}

export function parseResourceMetrics(text: string, scrapedAtMs: number): ResourceScrape {
  const node: Partial<UsagePoint> = {};
  const containers = new Map<string, Partial<ContainerPoint> & { namespace: string; pod: string; container: string }>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = linePattern.exec(line);
    if (!m) continue;
    const [, name, labelText, valueText, stamp] = m;
    const value = Number(valueText);
    if (!Number.isFinite(value)) continue;
    const timestampMs = stamp === undefined ? scrapedAtMs : Number(stamp);
    if (name === 'node_cpu_usage_seconds_total') Object.assign(node, { cpuSeconds: value, timestampMs });
    else if (name === 'node_memory_working_set_bytes') node.workingSetBytes = value;
    else if (name === 'container_cpu_usage_seconds_total' || name === 'container_memory_working_set_bytes') {
      const labels = parseLabels(labelText ?? '');
      const { namespace, pod, container } = labels;
      if (namespace === undefined || pod === undefined || container === undefined) continue;
      const key = `${namespace}/${pod}/${container}`;
      const entry = containers.get(key) ?? { namespace, pod, container };
      if (name === 'container_cpu_usage_seconds_total') Object.assign(entry, { cpuSeconds: value, timestampMs });
      else entry.workingSetBytes = value;
      containers.set(key, entry);
    }
  }
  const complete = <T extends Partial<UsagePoint>>(p: T): p is T & UsagePoint => p.cpuSeconds !== undefined && p.workingSetBytes !== undefined && p.timestampMs !== undefined;
  return { node: complete(node) ? node : undefined, containers: [...containers.values()].filter(complete) };
}

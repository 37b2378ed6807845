// The node's own usage for /metrics/resource, read from the kernel: CPU
// time from the aggregate `cpu` line of /proc/stat, the working set from
// /proc/meminfo (MemTotal - MemAvailable: memory the node cannot give back
// without swapping, the closest the kernel states to the root cgroup's
// usage minus inactive file pages that upstream's cAdvisor reports).
import { readFile } from 'node:fs/promises';

export interface NodeUsage {
  /** Cumulative CPU time of all cores spent not idle, in seconds. */
  cpuSeconds: number;
  workingSetBytes: number;
  /** When the sample was read, in milliseconds since the epoch. */
  timestampMs: number;
}

/** Clock ticks per second of /proc/stat (USER_HZ, 100 on every Linux architecture Node supports). */
const userHz = 100;

/** Busy CPU seconds from /proc/stat: every field of the `cpu` line but idle and iowait; undefined without one. */
export function parseProcStat(text: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest and guest_nice are already in user and nice)
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  if (fields.length < 4 || fields.some((f) => !Number.isFinite(f))) return undefined;
  return (user + nice + system + irq + softirq + steal) / userHz;
}

/** MemTotal - MemAvailable in bytes from /proc/meminfo; undefined when either is missing. */
export function parseMeminfo(text: string): number | undefined {
  const kib = (name: string): number | undefined => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const total = kib('MemTotal');
  const available = kib('MemAvailable');
  if (total === undefined || available === undefined) return undefined;
  return (total - available) * 1024;
}

/** Reads the node's usage now; rejects when the kernel's files cannot be read or parsed. */
export async function readNodeUsage(now: () => Date): Promise<NodeUsage> {
  const [stat, meminfo] = await Promise.all([readFile('/proc/stat', 'utf8'), readFile('/proc/meminfo', 'utf8')]);
  const cpuSeconds = parseProcStat(stat);
  const workingSetBytes = parseMeminfo(meminfo);
  if (cpuSeconds === undefined || workingSetBytes === undefined) throw new Error('cannot parse /proc/stat or /proc/meminfo');
  return { cpuSeconds, workingSetBytes, timestampMs: now().getTime() };
}

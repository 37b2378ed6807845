// What the eviction signals observe on this machine, read afresh with every
// node status: free memory (MemAvailable of /proc/meminfo), free space and
// inodes of the filesystem holding the kubelet's root directory (nodefs) and
// of the runtime's image filesystem (imagefs), and the process ids left
// (the lower of pid_max and threads-max, less every task the kernel counts).
// The reader is the seam: tests give a fake machine.
import { readFileSync, statfsSync } from 'node:fs';
import type { EvictionSignal } from './thresholds.js';

export interface FsStats {
  blocks: number;
  bavail: number;
  bsize: number;
  files: number;
  ffree: number;
}

/** Reads the machine; undefined for what cannot be read. */
export interface MachineReader {
  readFile(path: string): string | undefined;
  statfs(path: string): FsStats | undefined;
}

export const hostReader: MachineReader = {
  readFile(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  statfs(path) {
    try {
      return statfsSync(path);
    } catch {
      return undefined;
    }
  },
};

export interface Observation {
  available: number;
  capacity: number;
}

/** One observation per signal the machine could tell; a missing one is never pressure. */
export type Observations = Partial<Record<EvictionSignal, Observation>>;

export interface SignalSources {
  /** Total memory of the node (capacity). */
  memoryBytes: number;
  /** The kubelet's root directory: its filesystem is nodefs. */
  rootDir: string;
  /** The runtime's image filesystem mountpoint; undefined when the runtime did not say. */
  imageFs: string | undefined;
}

function meminfoBytes(text: string | undefined, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text ?? '');
  return m ? Number(m[1]) * 1024 : undefined;
}

function count(text: string | undefined): number | undefined {
  const n = Number((text ?? '').trim());
  return text !== undefined && Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Total tasks (threads included) from /proc/loadavg's "running/total" field. */
function tasks(loadavg: string | undefined): number | undefined {
  const m = /^\S+ \S+ \S+ \d+\/(\d+) /.exec(loadavg ?? '');
  return m ? Number(m[1]) : undefined;
}

function filesystem(obs: Observations, prefix: 'nodefs' | 'imagefs', stats: FsStats | undefined): void {
  if (!stats || stats.blocks <= 0) return;
  obs[`${prefix}.available`] = { available: stats.bavail * stats.bsize, capacity: stats.blocks * stats.bsize };
  if (stats.files > 0) obs[`${prefix}.inodesFree`] = { available: stats.ffree, capacity: stats.files };
}

export function observeSignals(reader: MachineReader, sources: SignalSources): Observations {
  const obs: Observations = {};
  const memAvailable = meminfoBytes(reader.readFile('/proc/meminfo'), 'MemAvailable');
  if (memAvailable !== undefined && sources.memoryBytes > 0) obs['memory.available'] = { available: memAvailable, capacity: sources.memoryBytes };
  filesystem(obs, 'nodefs', reader.statfs(sources.rootDir));
  if (sources.imageFs !== undefined) filesystem(obs, 'imagefs', reader.statfs(sources.imageFs));
  const limits = [count(reader.readFile('/proc/sys/kernel/pid_max')), count(reader.readFile('/proc/sys/kernel/threads-max'))].filter((n) => n !== undefined);
  const running = tasks(reader.readFile('/proc/loadavg'));
  if (limits.length > 0 && running !== undefined) {
    const max = Math.min(...limits);
    obs['pid.available'] = { available: Math.max(0, max - running), capacity: max };
  }
  return obs;
}

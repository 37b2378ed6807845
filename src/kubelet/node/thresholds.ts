// Hard eviction thresholds: the levels of free memory, disk, inodes and
// process ids below which the node reports pressure, and which allocatable
// keeps back. Upstream's signal names; a value is an absolute amount (bytes,
// inodes or pids) or a fraction of the signal's capacity. The caller (the
// agent) parses flags into this shape; a signal absent here is not watched.
export const evictionSignals = ['memory.available', 'nodefs.available', 'nodefs.inodesFree', 'imagefs.available', 'imagefs.inodesFree', 'pid.available'] as const;

export type EvictionSignal = (typeof evictionSignals)[number];

/** `quantity`: bytes, inodes or pids; `percentage`: a fraction of the capacity, 0 < p <= 1. */
export type ThresholdValue = { quantity: number } | { percentage: number };

export type EvictionThresholds = Partial<Record<EvictionSignal, ThresholdValue>>;

/**
 * Upstream's Linux defaults, and pid.available<1000 (upstream watches no pid
 * threshold by default; fewer than 1000 free pids is pressure on any node).
 */
export const defaultEvictionHard: EvictionThresholds = {
  'memory.available': { quantity: 100 * 1024 * 1024 },
  'nodefs.available': { percentage: 0.1 },
  'nodefs.inodesFree': { percentage: 0.05 },
  'imagefs.available': { percentage: 0.15 },
  'imagefs.inodesFree': { percentage: 0.05 },
  'pid.available': { quantity: 1000 },
};

/** The threshold as an amount of a signal whose capacity is `capacity`. */
export function thresholdAmount(value: ThresholdValue, capacity: number): number {
  return 'quantity' in value ? value.quantity : Math.floor(capacity * value.percentage);
}

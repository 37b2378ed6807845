// The three pressure conditions from what the signals observe and the hard
// eviction thresholds, with upstream's reasons and messages: a condition is
// True while any of its signals is below its threshold, and for upstream's
// transition period (5 minutes) after it last was, so that a node near a
// threshold does not flap. A signal with no threshold, or that could not be
// observed, never causes pressure.
import type { corev1 } from '../../api/types.js';
import type { Observations } from './signals.js';
import { thresholdAmount, type EvictionSignal, type EvictionThresholds } from './thresholds.js';

export type WantedCondition = Pick<corev1.NodeCondition, 'type' | 'status' | 'reason' | 'message'>;

interface PressureKind {
  type: string;
  signals: EvictionSignal[];
  /** [reason, message] while False, then while True. */
  clear: [string, string];
  pressure: [string, string];
}

const kinds: PressureKind[] = [
  {
    type: 'MemoryPressure',
    signals: ['memory.available'],
    clear: ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
    pressure: ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'],
  },
  {
    type: 'DiskPressure',
    signals: ['nodefs.available', 'nodefs.inodesFree', 'imagefs.available', 'imagefs.inodesFree'],
    clear: ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
    pressure: ['KubeletHasDiskPressure', 'kubelet has disk pressure'],
  },
  {
    type: 'PIDPressure',
    signals: ['pid.available'],
    clear: ['KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
    pressure: ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available'],
  },
];

/** The signals whose observed availability is below their threshold. */
export function signalsUnderPressure(observed: Observations, thresholds: EvictionThresholds): EvictionSignal[] {
  const met: EvictionSignal[] = [];
  for (const [signal, value] of Object.entries(thresholds) as [EvictionSignal, EvictionThresholds[EvictionSignal]][]) {
    const obs = observed[signal];
    if (value && obs && obs.available < thresholdAmount(value, obs.capacity)) met.push(signal);
  }
  return met;
}

/** Upstream's default eviction-pressure-transition-period. */
export const pressureTransitionPeriodMs = 5 * 60_000;

/** When each signal last crossed its threshold. */
export class PressureHistory {
  private readonly lastMet = new Map<EvictionSignal, number>();

  constructor(private readonly periodMs = pressureTransitionPeriodMs) {}

  /** Records the signals under pressure at `now`; returns every signal that was within the transition period. */
  observe(observed: Observations, thresholds: EvictionThresholds, now: number): EvictionSignal[] {
    for (const signal of signalsUnderPressure(observed, thresholds)) this.lastMet.set(signal, now);
    const recent: EvictionSignal[] = [];
    for (const [signal, at] of this.lastMet) {
      if (now - at < this.periodMs) recent.push(signal);
      else this.lastMet.delete(signal);
    }
    return recent;
  }
}

/** MemoryPressure, DiskPressure and PIDPressure, in that order; `recent` signals (crossed within the transition period) count as under pressure. */
export function pressureConditions(observed: Observations, thresholds: EvictionThresholds, recent: readonly EvictionSignal[] = []): WantedCondition[] {
  const met = new Set([...signalsUnderPressure(observed, thresholds), ...recent]);
  return kinds.map((k) => {
    const pressure = k.signals.some((s) => met.has(s));
    const [reason, message] = pressure ? k.pressure : k.clear;
    return { type: k.type, status: pressure ? 'True' : 'False', reason, message };
  });
}

// The three pressure conditions from what the signals observe and the hard
// eviction thresholds, with upstream's reasons and messages: a condition is
// True while any of its signals is below its threshold. A signal with no
// threshold, or that could not be observed, never causes pressure.
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

/** MemoryPressure, DiskPressure and PIDPressure, in that order. */
export function pressureConditions(observed: Observations, thresholds: EvictionThresholds): WantedCondition[] {
  const met = new Set(signalsUnderPressure(observed, thresholds));
  return kinds.map((k) => {
    const pressure = k.signals.some((s) => met.has(s));
    const [reason, message] = pressure ? k.pressure : k.clear;
    return { type: k.type, status: pressure ? 'True' : 'False', reason, message };
  });
}

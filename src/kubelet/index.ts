// The kubelet: registers this node and keeps its status and lease current,
// and runs the pods the scheduler binds to it on a CRI runtime. One call
// starts it; aborting the signal stops its loops (containers keep running,
// and a kubelet started later adopts them).
import type { corev1 } from '../api/types.js';
import { Kubelet, type RunningKubelet } from './kubelet.js';
import type { KubeletOptions } from './options.js';

export type { KubeletIntervals, KubeletOptions } from './options.js';
export type { MachineInfo } from './node/machine.js';
export type { RunningKubelet } from './kubelet.js';
export type { Clock, Timer } from './clock.js';
export { KubeletError, isKubeletError, kubeletErrorCodes, type KubeletErrorCode } from './errors.js';

/** A node taint, as the agent passes them. */
export type Taint = corev1.Taint;

export function startKubelet(opts: KubeletOptions, signal: AbortSignal): RunningKubelet {
  return new Kubelet(opts).start(signal);
}

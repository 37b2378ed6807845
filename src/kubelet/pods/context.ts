// What the pod workers share: configuration, the runtime and API access,
// the event recorder, back-offs, and the reasons of the last failed starts
// (shown as the containers' waiting state until a start succeeds).
import type { corev1 } from '../../api/types.js';
import type { EventRecorder } from '../events.js';
import type { MachineInfo } from '../node/machine.js';
import type { KubeletConfig } from '../options.js';
import type { VolumeManager } from '../volumes/types.js';
import type { Backoff } from './backoff.js';
import type { ResolvConf } from './dns.js';
import type { EnvSources } from './env.js';
import type { ImagePuller } from './pull.js';
import type { ContainerRecord, PodRuntimeState, RuntimeStateReader } from './runtime-state.js';
import type { ProbeResults, WaitingReason } from './status.js';

export interface PodContext {
  config: KubeletConfig;
  machine: MachineInfo;
  events: EventRecorder;
  reader: RuntimeStateReader;
  puller: ImagePuller;
  /** Container restart back-off (CrashLoopBackOff). */
  crashBackoff: Backoff;
  volumes: VolumeManager;
  /** Env sources but the pod's own IPs, which the sync knows. */
  env: Omit<EnvSources, 'podIPs'>;
  /** The host's resolver configuration, read when needed. */
  hostDns(): ResolvConf;
  /** The runtime's name, the prefix of container ids ("containerd"). */
  runtimeName(): string;
  /** Probe results (the probe manager's seam); without it containers with probes never become ready. */
  probes?: PodProbes;
  reasons: WaitingReasons;
  /** Why the pod network is unusable (pods without host networking wait), or undefined. */
  networkError(): string | undefined;
}

/** A running container's failed liveness or startup probe: it is killed, and restarted unless the policy is Never. */
export interface ProbeFailure {
  kind: 'liveness' | 'startup';
  /** The probe's own terminationGracePeriodSeconds, overriding the pod's. */
  graceSeconds: number | undefined;
}

/** The probe manager as the pod sync drives it. */
export interface PodProbes extends ProbeResults {
  failed(pod: corev1.Pod, container: corev1.Container, record: ContainerRecord): ProbeFailure | undefined;
  /** Probes the pod's running containers (workers start with a container and stop with it). */
  track(pod: corev1.Pod, state: PodRuntimeState): void;
  /** Stops probing the pod. */
  forget(uid: string): void;
}

/** Per pod uid, per container name: why it is not running. */
export class WaitingReasons {
  private readonly byPod = new Map<string, Map<string, WaitingReason>>();

  get(uid: string): ReadonlyMap<string, WaitingReason> {
    return this.byPod.get(uid) ?? new Map();
  }

  set(uid: string, container: string, reason: WaitingReason): void {
    let m = this.byPod.get(uid);
    if (!m) {
      m = new Map();
      this.byPod.set(uid, m);
    }
    m.set(container, reason);
  }

  clear(uid: string, container: string): void {
    this.byPod.get(uid)?.delete(container);
  }

  forget(uid: string): void {
    this.byPod.delete(uid);
  }
}

/**
 * Deadline of the runtime calls that start a pod's containers: upstream's
 * runtime request timeout (2 min). A burst of pods queues in the runtime far
 * longer than a short default deadline; a call given up on is unwound by the
 * runtime and retried by the next sync, so a deadline shorter than the queue
 * turns a busy runtime into a retry storm that never catches up.
 */
export const runtimeRequestTimeoutMs = 120_000;
/** RunPodSandbox gets twice that, as upstream's (it sets up the pod network too). */
export const sandboxRequestTimeoutMs = 2 * runtimeRequestTimeoutMs;

/** `name_namespace(uid)`, how upstream names a pod in messages. */
export function podDescription(pod: corev1.Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}

/** The grace period of a stop: the deletion's, else the spec's, at least 2 s (as upstream). */
export function gracePeriodSeconds(pod: corev1.Pod | undefined): number {
  const grace = pod?.metadata?.deletionGracePeriodSeconds ?? pod?.spec?.terminationGracePeriodSeconds ?? 30;
  return Math.max(2, grace);
}

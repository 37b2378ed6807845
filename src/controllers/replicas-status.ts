// The status the ReplicaSet and ReplicationController controllers write:
// replicas, fully labeled (matching the template's labels), ready and
// available (ready for minReadySeconds) pods, the observed generation, and
// the ReplicaFailure condition while creating or deleting pods fails.
import type { corev1 } from '../api/types.js';
import type { ObjectLike } from '../client/index.js';
import { labelSelectorFromSet } from '../machinery/index.js';
import { isPodAvailable, isPodReady } from './pods.js';

type Pod = corev1.Pod;

/** The status fields ReplicaSet and ReplicationController share. */
export interface ReplicaStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: Array<{ type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }>;
}

/** What both owner kinds look like to this controller (their selectors differ; see ReplicaKind). */
export interface ReplicaOwner extends ObjectLike {
  spec?: { replicas?: number; minReadySeconds?: number; template?: corev1.PodTemplateSpec };
  status?: ReplicaStatus;
}

/** The owner's status for these claimed pods at `now`. */
export function replicaStatus(owner: ReplicaOwner, pods: readonly Pod[], manageError: Error | undefined, now: Date): ReplicaStatus {
  const minReady = owner.spec?.minReadySeconds ?? 0;
  const templateLabels = labelSelectorFromSet(owner.spec?.template?.metadata?.labels ?? {});
  const status: ReplicaStatus = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) => templateLabels.matches(p.metadata?.labels)).length,
    readyReplicas: pods.filter(isPodReady).length,
    availableReplicas: pods.filter((p) => isPodAvailable(p, minReady, now)).length,
    observedGeneration: owner.metadata?.generation ?? 0,
  };
  const conditions = (owner.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure');
  const failure = owner.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (manageError) {
    const reason = 'FailedCreate';
    conditions.push(failure?.message === manageError.message ? failure : { type: 'ReplicaFailure', status: 'True', reason, message: manageError.message, lastTransitionTime: stamp(now) });
  }
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

export function sameStatus(a: ReplicaStatus | undefined, b: ReplicaStatus): boolean {
  if (!a) return false;
  return (
    (a.replicas ?? 0) === b.replicas &&
    (a.fullyLabeledReplicas ?? 0) === b.fullyLabeledReplicas &&
    (a.readyReplicas ?? 0) === b.readyReplicas &&
    (a.availableReplicas ?? 0) === b.availableReplicas &&
    (a.observedGeneration ?? 0) === b.observedGeneration &&
    JSON.stringify(a.conditions ?? []) === JSON.stringify(b.conditions ?? [])
  );
}

function stamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

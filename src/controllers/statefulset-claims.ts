// A StatefulSet's PersistentVolumeClaims: created from volumeClaimTemplates
// before the pod that mounts them, never deleted here. What deletes them is
// the garbage collector, following the owner references that
// persistentVolumeClaimRetentionPolicy asks for (upstream's rules):
// - whenDeleted Delete: the claim is owned by the set while its pod's
//   ordinal is in range;
// - whenScaled Delete: the claim is owned by its pod once the pod's ordinal
//   is out of range (scaled down), so the claim goes with the pod;
// - Retain: no such reference.
import type { appsv1, corev1, OwnerReference } from '../api/types.js';
import type { Client, EventRecorder, ResourceClient, ResourceRef } from '../client/index.js';
import { isAlreadyExists } from '../machinery/index.js';
import type { Lister } from './controller.js';
import { claimsFor, inOrdinalRange, podName, statefulSetKind } from './statefulset-pods.js';
import { persistentVolumeClaimsRef } from './persistentvolume.js';

type StatefulSet = appsv1.StatefulSet;
type Claim = corev1.PersistentVolumeClaim;
type Pod = corev1.Pod;


/** Which owners the claim of a pod should have under the set's retention policy. */
export function claimOwners(set: StatefulSet, inRange: boolean): { set: boolean; pod: boolean } {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy;
  const deleteWithSet = policy?.whenDeleted === 'Delete';
  const deleteWhenScaled = policy?.whenScaled === 'Delete';
  if (deleteWhenScaled && !inRange) return { set: false, pod: true };
  return { set: deleteWithSet, pod: false };
}

function setRef(set: StatefulSet): OwnerReference {
  return { ...statefulSetKind, name: set.metadata?.name ?? '', uid: set.metadata?.uid ?? '' };
}

function podRef(pod: Pod): OwnerReference {
  return { apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' };
}

/** `refs` without the set's and the pod's, plus those `want` asks for. */
function withOwners(refs: readonly OwnerReference[], set: StatefulSet, pod: Pod | undefined, want: { set: boolean; pod: boolean }): OwnerReference[] {
  const drop = new Set([set.metadata?.uid, pod?.metadata?.uid].filter(Boolean));
  const out = refs.filter((r) => !drop.has(r.uid));
  if (want.set) out.push(setRef(set));
  if (want.pod && pod) out.push(podRef(pod));
  return out;
}

export class StatefulSetClaims {
  readonly api: ResourceClient<Claim>;

  constructor(
    client: Client,
    private readonly claims: Lister<Claim>,
    private readonly recorder: Pick<EventRecorder, 'event'>,
  ) {
    this.api = client.resource<Claim>(persistentVolumeClaimsRef);
  }

  /**
   * Creates the claims of the pod at `ordinal` that do not exist yet. Throws
   * when one is being deleted: the pod must wait for it to go and be made
   * anew, or it would mount a volume about to vanish.
   */
  async ensure(set: StatefulSet, ordinal: number): Promise<void> {
    const pod = podName(set, ordinal);
    const setName = set.metadata?.name ?? '';
    for (const claim of claimsFor(set, ordinal)) {
      const name = claim.metadata?.name ?? '';
      const existing = this.claims.get(name, claim.metadata?.namespace);
      if (existing?.metadata?.deletionTimestamp) throw new Error(`pvc ${name} is being deleted`);
      if (existing) continue;
      const refs = withOwners([], set, undefined, claimOwners(set, true));
      if (refs.length > 0) claim.metadata = { ...claim.metadata, ownerReferences: refs };
      try {
        await this.api.create(claim, { namespace: claim.metadata?.namespace });
        this.recorder.event(set, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${pod} in StatefulSet ${setName} success`);
      } catch (err) {
        if (isAlreadyExists(err)) continue;
        this.recorder.event(set, 'Warning', 'FailedCreate', `create Claim ${name} for Pod ${pod} in StatefulSet ${setName} failed error: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
    }
  }

  /** Brings the owner references of the pod's existing claims in line with the retention policy. */
  async retain(set: StatefulSet, pod: Pod, ordinal: number): Promise<void> {
    const want = claimOwners(set, inOrdinalRange(set, ordinal));
    for (const template of claimsFor(set, ordinal)) {
      const claim = this.claims.get(template.metadata?.name ?? '', template.metadata?.namespace);
      if (!claim || claim.metadata?.deletionTimestamp) continue;
      const refs = claim.metadata?.ownerReferences ?? [];
      const next = withOwners(refs, set, pod, want);
      if (JSON.stringify(next) === JSON.stringify(refs)) continue;
      await this.api.update({ ...structuredClone(claim), apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { ...structuredClone(claim.metadata), ownerReferences: next } });
    }
  }
}

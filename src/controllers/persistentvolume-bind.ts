// The binder's writes, in upstream's order so that a crash between two of
// them leaves a state the next sync finishes: the volume's claimRef, the
// volume's phase, the claim's volumeName and annotations, the claim's
// status. Each write is skipped when the object already says it, and each
// takes the object the previous write returned.
import type { corev1 } from '../api/types.js';
import type { ResourceClient } from '../client/index.js';

type Claim = corev1.PersistentVolumeClaim;
type Volume = corev1.PersistentVolume;

const annBindCompleted = 'pv.kubernetes.io/bind-completed';
const annBoundByController = 'pv.kubernetes.io/bound-by-controller';

export interface BindWrites {
  claims: ResourceClient<Claim>;
  volumes: ResourceClient<Volume>;
}

/** Sets the volume's status.phase (status subresource) unless it already has it. */
export async function volumePhase(api: ResourceClient<Volume>, pv: Volume, phase: string): Promise<Volume> {
  if (pv.status?.phase === phase) return pv;
  const status: corev1.PersistentVolumeStatus = { ...pv.status, phase };
  if (phase !== 'Failed') delete status.message;
  return api.updateStatus({ ...structuredClone(pv), status });
}

/** Sets the claim's phase; Bound also records the volume's access modes and capacity. */
export async function claimStatus(api: ResourceClient<Claim>, claim: Claim, phase: string, pv?: Volume): Promise<Claim> {
  const status: corev1.PersistentVolumeClaimStatus = { ...claim.status, phase };
  if (pv) {
    status.accessModes = pv.spec?.accessModes ?? [];
    status.capacity = { ...pv.spec?.capacity };
  } else if (phase === 'Pending') {
    delete status.accessModes;
    delete status.capacity;
  }
  if (JSON.stringify(status) === JSON.stringify(claim.status ?? {})) return claim;
  return api.updateStatus({ ...structuredClone(claim), status });
}

function refersTo(ref: corev1.ObjectReference | undefined, claim: Claim): boolean {
  return ref?.name === claim.metadata?.name && ref?.namespace === claim.metadata?.namespace && ref?.uid === claim.metadata?.uid;
}

/** Binds `claim` and `pv` to each other, finishing whatever part is already done. */
export async function bindClaim(writes: BindWrites, claim: Claim, pv: Volume): Promise<void> {
  let volume = pv;
  if (!refersTo(pv.spec?.claimRef, claim)) {
    const next = structuredClone(pv);
    const claimRef: corev1.ObjectReference = {
      kind: 'PersistentVolumeClaim',
      namespace: claim.metadata?.namespace ?? '',
      name: claim.metadata?.name ?? '',
      uid: claim.metadata?.uid ?? '',
      apiVersion: 'v1',
      resourceVersion: claim.metadata?.resourceVersion ?? '',
    };
    next.spec = { ...next.spec, claimRef };
    if (!pv.spec?.claimRef) next.metadata = { ...next.metadata, annotations: { ...next.metadata?.annotations, [annBoundByController]: 'yes' } };
    volume = await writes.volumes.update(next);
  }
  volume = await volumePhase(writes.volumes, volume, 'Bound');

  let current = claim;
  const annotations = claim.metadata?.annotations ?? {};
  const byController = !claim.spec?.volumeName;
  if (claim.spec?.volumeName !== pv.metadata?.name || annotations[annBindCompleted] !== 'yes' || (byController && annotations[annBoundByController] !== 'yes')) {
    const next = structuredClone(claim);
    next.spec = { ...next.spec, volumeName: pv.metadata?.name ?? '' };
    const added: Record<string, string> = { [annBindCompleted]: 'yes' };
    if (byController) added[annBoundByController] = 'yes';
    next.metadata = { ...next.metadata, annotations: { ...annotations, ...added } };
    current = await writes.claims.update(next);
  }
  await claimStatus(writes.claims, current, 'Bound', volume);
}

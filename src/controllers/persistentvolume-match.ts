// Which PersistentVolume a claim binds to, by upstream's rules: a volume
// already pre-bound to the claim (its claimRef names the claim) wins;
// otherwise the smallest Available, unclaimed volume of the claim's class
// whose access modes include the claim's, whose capacity covers the
// request, whose volume mode agrees and whose labels match the claim's
// selector. Claims of a WaitForFirstConsumer class only take pre-bound
// volumes: the scheduler chooses the others with the node.
import type { corev1 } from '../api/types.js';
import { compareQuantities, labelSelectorFromObject, quantityFromJSON, type Quantity } from '../machinery/index.js';

type Claim = corev1.PersistentVolumeClaim;
type Volume = corev1.PersistentVolume;

/** The legacy class annotation, read before spec.storageClassName as upstream does. */
export const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';

export function claimClass(claim: Claim): string {
  return claim.metadata?.annotations?.[betaClassAnnotation] ?? claim.spec?.storageClassName ?? '';
}

export function volumeClass(pv: Volume): string {
  return pv.metadata?.annotations?.[betaClassAnnotation] ?? pv.spec?.storageClassName ?? '';
}

function storage(value: unknown): Quantity {
  try {
    return quantityFromJSON(value ?? '0');
  } catch {
    return quantityFromJSON('0');
  }
}

export function claimRequest(claim: Claim): Quantity {
  return storage(claim.spec?.resources?.requests?.['storage']);
}

export function volumeCapacity(pv: Volume): Quantity {
  return storage(pv.spec?.capacity?.['storage']);
}

/** True when the volume's claimRef names this claim (and its uid, once set). */
export function isVolumeBoundToClaim(pv: Volume, claim: Claim): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata?.name || (ref.namespace ?? '') !== (claim.metadata?.namespace ?? '')) return false;
  return !ref.uid || ref.uid === claim.metadata?.uid;
}

function modesFit(claim: Claim, pv: Volume): boolean {
  const have = pv.spec?.accessModes ?? [];
  return (claim.spec?.accessModes ?? []).every((m) => have.includes(m));
}

/** Block volumes bind only to Block claims, Filesystem (the default) to Filesystem. */
export function volumeModeMismatch(claim: Claim, pv: Volume): boolean {
  return (claim.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem');
}

/**
 * Why the volume cannot serve the claim it was asked for by name
 * (spec.volumeName), or undefined when it can.
 */
export function volumeMismatch(claim: Claim, pv: Volume): string | undefined {
  if (volumeModeMismatch(claim, pv)) return 'Cannot bind PersistentVolume to requested PersistentVolumeClaim due to incompatible volumeMode.';
  if (compareQuantities(volumeCapacity(pv), claimRequest(claim)) < 0) return 'requested PV is too small';
  if (volumeClass(pv) !== claimClass(claim)) return 'storageClassName does not match';
  if (!modesFit(claim, pv)) return 'incompatible accessMode';
  return undefined;
}

export function findMatchingVolume(claim: Claim, volumes: readonly Volume[], delayBinding: boolean): Volume | undefined {
  const want = claimRequest(claim);
  const cls = claimClass(claim);
  const selector = claim.spec?.selector ? labelSelectorFromObject(claim.spec.selector) : undefined;
  let best: Volume | undefined;
  for (const pv of volumes) {
    if (!modesFit(claim, pv) || volumeModeMismatch(claim, pv) || pv.metadata?.deletionTimestamp) continue;
    const size = volumeCapacity(pv);
    if (compareQuantities(size, want) < 0) continue;
    if (isVolumeBoundToClaim(pv, claim)) return pv;
    if (delayBinding) continue;
    if (pv.status?.phase !== 'Available' || pv.spec?.claimRef) continue;
    if (selector && !selector.matches(pv.metadata?.labels ?? {})) continue;
    if (volumeClass(pv) !== cls) continue;
    if (!best || compareQuantities(size, volumeCapacity(best)) < 0) best = pv;
  }
  return best;
}

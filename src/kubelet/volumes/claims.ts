// persistentVolumeClaim volumes: the claim must be Bound, and its volume's
// claimRef must name it back (by uid), as upstream's desired-state
// populator checks; until then the pod's sync fails with a FailedMount
// event and is retried. The volume's host directory is then mounted like
// a hostPath (hostPath volumes with their type checks, local volumes as
// they are), read-only when the pod's volume or the volume asks for it.
import { existsSync, statSync } from 'node:fs';
import type { corev1 } from '../../api/types.js';
import { KubeletError } from '../errors.js';
import { checkHostPath } from './hostpath.js';
import type { VolumeMountSource } from './types.js';

export interface ClaimSources {
  /** The claim, or undefined when it does not exist. */
  claim(namespace: string, name: string): Promise<corev1.PersistentVolumeClaim | undefined>;
  /** The volume, or undefined when it does not exist. */
  persistentVolume(name: string): Promise<corev1.PersistentVolume | undefined>;
}

/** The host path behind a persistentVolumeClaim volume of `pod`. */
export async function claimVolumeSource(pod: corev1.Pod, source: corev1.PersistentVolumeClaimVolumeSource, sources: ClaimSources): Promise<VolumeMountSource> {
  const namespace = pod.metadata?.namespace ?? '';
  const key = `${namespace}/${source.claimName}`;
  const fail = (why: string): never => {
    throw new KubeletError('volume', `error processing PVC ${key}: ${why}`);
  };
  const claim = await sources.claim(namespace, source.claimName);
  if (!claim) return fail(`failed to fetch PVC from API server: persistentvolumeclaims "${source.claimName}" not found`);
  if (claim.metadata?.deletionTimestamp) return fail('PVC is being deleted');
  const name = claim.spec?.volumeName;
  if (claim.status?.phase !== 'Bound' || !name) return fail('PVC is not bound');
  const pv = await sources.persistentVolume(name);
  if (!pv) return fail(`failed to fetch PV ${name} from API server: persistentvolumes "${name}" not found`);
  const ref = pv.spec?.claimRef;
  if (ref?.uid !== claim.metadata?.uid) return fail(`PV ${name} is not bound to the claim (claimRef uid ${ref?.uid ?? '<none>'})`);
  const readOnly = source.readOnly === true;
  if (pv.spec?.hostPath) {
    checkHostPath(pv.spec.hostPath.path, pv.spec.hostPath.type ?? '');
    return { hostPath: pv.spec.hostPath.path, readOnly };
  }
  if (pv.spec?.local) {
    const path = pv.spec.local.path;
    if (!existsSync(path)) return fail(`path "${path}" of local volume ${name} does not exist`);
    if (!statSync(path).isDirectory()) return fail(`path "${path}" of local volume ${name} is not a directory`);
    return { hostPath: path, readOnly };
  }
  const type = Object.keys(pv.spec ?? {}).find((k) => !nonSourceFields.has(k)) ?? 'unknown';
  return fail(`volume type ${type} of PV ${name} is not supported by this kubelet`);
}

/** PersistentVolumeSpec fields that are not the volume source. */
const nonSourceFields = new Set(['capacity', 'accessModes', 'claimRef', 'persistentVolumeReclaimPolicy', 'storageClassName', 'mountOptions', 'volumeMode', 'nodeAffinity', 'volumeAttributesClassName']);

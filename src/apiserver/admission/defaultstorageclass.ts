// DefaultStorageClass (upstream's plugin of that name): a new
// PersistentVolumeClaim that names no class at all (spec.storageClassName
// absent, no beta class annotation; an empty name means "no class" and is
// kept) gets the default StorageClass, the one annotated
// `storageclass.kubernetes.io/is-default-class: "true"` (or the beta
// annotation). With several defaults the newest wins, then the first name.
import type { corev1, storagev1 } from '../../api/types.js';
import type { ResourceContext } from '../rest/context.js';
import { listStored } from './lookup.js';
import type { AdmissionPlugin } from './types.js';

export const isDefaultClassAnnotation = 'storageclass.kubernetes.io/is-default-class';
const betaIsDefaultClassAnnotation = 'storageclass.beta.kubernetes.io/is-default-class';
const betaClassAnnotation = 'volume.beta.kubernetes.io/storage-class';
const storageClasses = { group: 'storage.k8s.io', resource: 'storageclasses', namespaced: false } as const;

export function isDefaultClass(sc: storagev1.StorageClass): boolean {
  const annotations = sc.metadata?.annotations ?? {};
  return annotations[isDefaultClassAnnotation] === 'true' || annotations[betaIsDefaultClassAnnotation] === 'true';
}

/** The default class among `classes`: newest first, then by name. */
export function pickDefaultClass(classes: readonly storagev1.StorageClass[]): storagev1.StorageClass | undefined {
  const created = (sc: storagev1.StorageClass): number => Date.parse(sc.metadata?.creationTimestamp ?? '') || 0;
  return classes
    .filter(isDefaultClass)
    .sort((a, b) => created(b) - created(a) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))[0];
}

async function defaultClass(ctx: ResourceContext): Promise<storagev1.StorageClass | undefined> {
  return pickDefaultClass((await listStored(ctx.store, storageClasses, '')).map((c) => c.obj as unknown as storagev1.StorageClass));
}

export const defaultStorageClassPlugin: AdmissionPlugin = {
  name: 'DefaultStorageClass',
  async admit(ctx, a) {
    if (a.gr !== 'persistentvolumeclaims' || a.subresource !== '' || a.operation !== 'CREATE') return;
    const claim = a.object as corev1.PersistentVolumeClaim;
    if (claim.spec?.storageClassName !== undefined && claim.spec.storageClassName !== null) return;
    if (claim.metadata?.annotations?.[betaClassAnnotation] !== undefined) return;
    const sc = await defaultClass(ctx);
    if (!sc?.metadata?.name) return;
    (a.object as { spec?: corev1.PersistentVolumeClaimSpec }).spec = { ...claim.spec, storageClassName: sc.metadata.name };
  },
};

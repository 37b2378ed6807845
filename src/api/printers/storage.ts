// PersistentVolumes, PersistentVolumeClaims and StorageClasses.
import type { corev1, storagev1 } from '../types.js';
import { age } from './age.js';
import { ageColumn, column, definePrinter, nameColumn } from './columns.js';
import { list, record, scalar, text } from './read.js';

const classAnnotation = 'volume.beta.kubernetes.io/storage-class';

/** Access modes abbreviated in a fixed order (RWO, ROX, RWX, RWOP), each once. */
export function accessModes(modes: unknown): string {
  const present = new Set(list(modes as string[] | undefined));
  const abbreviations: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return abbreviations
    .filter(([mode]) => present.has(mode))
    .map(([, short]) => short)
    .join(',');
}

/** The storage class: the legacy beta annotation when present, else spec.storageClassName. */
function storageClassOf(obj: corev1.PersistentVolume | corev1.PersistentVolumeClaim): string {
  const annotations = record(obj.metadata?.annotations);
  if (classAnnotation in annotations) return text(annotations[classAnnotation]);
  return text(obj.spec?.storageClassName);
}

/** A Quantity cell; an absent quantity prints as zero. */
function quantity(value: unknown): string {
  return scalar(value) || '0';
}

export const persistentVolumePrinter = definePrinter<corev1.PersistentVolume>(
  [
    nameColumn,
    column('Capacity', 'string', 'The storage capacity of the volume.'),
    column('Access Modes', 'string', 'The ways the volume can be mounted.'),
    column('Reclaim Policy', 'string', 'What happens to the volume when released from its claim.'),
    column('Status', 'string', 'The phase of the volume.'),
    column('Claim', 'string', 'The claim bound to this volume.'),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', 'A brief reason describing why the volume is in this phase, if failed.'),
    ageColumn,
    column('VolumeMode', 'string', 'Whether the volume is used with a formatted filesystem or as a raw block device.', true),
  ],
  (pv, now) => {
    const claim = pv.spec?.claimRef;
    return [
      text(pv.metadata?.name),
      quantity(record(pv.spec?.capacity)['storage']),
      accessModes(pv.spec?.accessModes),
      text(pv.spec?.persistentVolumeReclaimPolicy),
      pv.metadata?.deletionTimestamp ? 'Terminating' : text(pv.status?.phase),
      claim ? `${text(claim.namespace)}/${text(claim.name)}` : '',
      storageClassOf(pv),
      text(pv.spec?.volumeAttributesClassName) || '<unset>',
      text(pv.status?.reason),
      age(pv.metadata?.creationTimestamp, now),
      text(pv.spec?.volumeMode) || '<unset>',
    ];
  },
);

export const persistentVolumeClaimPrinter = definePrinter<corev1.PersistentVolumeClaim>(
  [
    nameColumn,
    column('Status', 'string', 'The phase of the claim.'),
    column('Volume', 'string', 'The volume bound to this claim.'),
    column('Capacity', 'string', 'The actual storage capacity of the bound volume.'),
    column('Access Modes', 'string', 'The access modes of the bound volume.'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    ageColumn,
    column('VolumeMode', 'string', 'Whether the claim wants a formatted filesystem or a raw block device.', true),
  ],
  (pvc, now) => {
    // Capacity and access modes describe the bound volume, so stay empty until bound.
    const bound = text(pvc.spec?.volumeName) !== '';
    return [
      text(pvc.metadata?.name),
      pvc.metadata?.deletionTimestamp ? 'Terminating' : text(pvc.status?.phase),
      text(pvc.spec?.volumeName),
      bound ? quantity(record(pvc.status?.capacity)['storage']) : '',
      bound ? accessModes(pvc.status?.accessModes) : '',
      storageClassOf(pvc),
      text(pvc.spec?.volumeAttributesClassName) || '<unset>',
      age(pvc.metadata?.creationTimestamp, now),
      text(pvc.spec?.volumeMode) || '<unset>',
    ];
  },
);

const defaultClassAnnotations = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

export const storageClassPrinter = definePrinter<storagev1.StorageClass>(
  [
    nameColumn,
    column('Provisioner', 'string', 'The volume plugin that provisions volumes of this class.'),
    column('ReclaimPolicy', 'string', 'The reclaim policy of volumes provisioned from this class.'),
    column('VolumeBindingMode', 'string', 'When volumes are provisioned and bound.'),
    column('AllowVolumeExpansion', 'string', 'Whether volumes of this class may be expanded.'),
    ageColumn,
  ],
  (sc, now) => {
    const annotations = record(sc.metadata?.annotations);
    const isDefault = defaultClassAnnotations.some((key) => annotations[key] === 'true');
    return [
      text(sc.metadata?.name) + (isDefault ? ' (default)' : ''),
      text(sc.provisioner),
      text(sc.reclaimPolicy) || 'Delete',
      text(sc.volumeBindingMode) || 'Immediate',
      // A boolean cell, as upstream sends it.
      sc.allowVolumeExpansion === true,
      age(sc.metadata?.creationTimestamp, now),
    ];
  },
);

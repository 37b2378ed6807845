// Builders for the volume controllers' tests: claims, volumes and classes.
import type { corev1, storagev1 } from '../api/types.js';

export interface ClaimOpts {
  storage?: string;
  className?: string | null;
  modes?: string[];
  volumeName?: string;
  phase?: string;
  annotations?: Record<string, string>;
  selector?: { matchLabels: Record<string, string> };
}

export function makeClaim(name: string, opts: ClaimOpts = {}): corev1.PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '3', ...(opts.annotations ? { annotations: opts.annotations } : {}) },
    spec: {
      accessModes: opts.modes ?? ['ReadWriteOnce'],
      resources: { requests: { storage: opts.storage ?? '1Gi' } },
      volumeMode: 'Filesystem',
      ...(opts.className !== null ? { storageClassName: opts.className ?? 'manual' } : {}),
      ...(opts.volumeName ? { volumeName: opts.volumeName } : {}),
      ...(opts.selector ? { selector: opts.selector } : {}),
    },
    status: { phase: opts.phase ?? 'Pending' },
  };
}

export interface VolumeOpts {
  storage?: string;
  className?: string;
  modes?: string[];
  phase?: string;
  claimRef?: corev1.ObjectReference;
  reclaim?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  deleting?: boolean;
  finalizers?: string[];
}

export function makeVolume(name: string, opts: VolumeOpts = {}): corev1.PersistentVolume {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name,
      uid: `pv-uid-${name}`,
      resourceVersion: '7',
      ...(opts.annotations ? { annotations: opts.annotations } : {}),
      ...(opts.labels ? { labels: opts.labels } : {}),
      ...(opts.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
      ...(opts.finalizers ? { finalizers: opts.finalizers } : {}),
    },
    spec: {
      capacity: { storage: opts.storage ?? '1Gi' },
      accessModes: opts.modes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: opts.reclaim ?? 'Retain',
      storageClassName: opts.className ?? 'manual',
      volumeMode: 'Filesystem',
      hostPath: { path: `/srv/${name}`, type: '' },
      ...(opts.claimRef ? { claimRef: opts.claimRef } : {}),
    },
    status: { phase: opts.phase ?? 'Available' },
  };
}

/** The claimRef a volume pre-bound to `claim` carries. */
export function refTo(claim: corev1.PersistentVolumeClaim, withUid = true): corev1.ObjectReference {
  return { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata?.namespace ?? '', name: claim.metadata?.name ?? '', ...(withUid ? { uid: claim.metadata?.uid ?? '' } : {}) };
}

export function makeClass(name: string, opts: { provisioner?: string; mode?: string; reclaim?: string; parameters?: Record<string, string> } = {}): storagev1.StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name },
    provisioner: opts.provisioner ?? 'rancher.io/local-path',
    reclaimPolicy: opts.reclaim ?? 'Delete',
    volumeBindingMode: opts.mode ?? 'WaitForFirstConsumer',
    ...(opts.parameters ? { parameters: opts.parameters } : {}),
  };
}

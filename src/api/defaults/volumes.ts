// Volume defaults (upstream SetDefaults_Volume and the per-source
// defaulters), and the claim spec defaults shared by PVCs, ephemeral
// volumes and StatefulSet claim templates.
import { defaultFieldRef } from './container.js';
import { child, ensure, items, setIfEmpty, setIfUnset, type Obj } from './shape.js';

/** 0644, the mode upstream gives projected files when none is set. */
const defaultMode = 420;

/** Every source a Volume may name; a volume naming none becomes an emptyDir. */
const volumeSources = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
] as const;

/** PersistentVolumeClaimSpec: volumeMode Filesystem. */
export function defaultClaimSpec(spec: Obj | undefined): void {
  setIfUnset(spec, 'volumeMode', 'Filesystem');
}

function defaultDownwardItems(source: Obj | undefined): void {
  for (const item of items(source, 'items')) defaultFieldRef(item);
}

function defaultProjected(projected: Obj): void {
  setIfUnset(projected, 'defaultMode', defaultMode);
  for (const source of items(projected, 'sources')) {
    defaultDownwardItems(child(source, 'downwardAPI'));
    setIfUnset(child(source, 'serviceAccountToken'), 'expirationSeconds', 3600);
  }
}

export function defaultVolume(vol: Obj): void {
  if (volumeSources.every((s) => vol[s] === undefined || vol[s] === null)) vol.emptyDir = {};
  setIfUnset(child(vol, 'hostPath'), 'type', '');
  setIfUnset(child(vol, 'secret'), 'defaultMode', defaultMode);
  setIfUnset(child(vol, 'configMap'), 'defaultMode', defaultMode);
  const downward = child(vol, 'downwardAPI');
  setIfUnset(downward, 'defaultMode', defaultMode);
  defaultDownwardItems(downward);
  const projected = child(vol, 'projected');
  if (projected) defaultProjected(projected);
  const iscsi = child(vol, 'iscsi');
  setIfEmpty(iscsi, 'iscsiInterface', 'default');
  const rbd = child(vol, 'rbd');
  setIfEmpty(rbd, 'pool', 'rbd');
  setIfEmpty(rbd, 'user', 'admin');
  setIfEmpty(rbd, 'keyring', '/etc/ceph/keyring');
  const template = child(child(vol, 'ephemeral'), 'volumeClaimTemplate');
  if (template) defaultClaimSpec(ensure(template, 'spec'));
}

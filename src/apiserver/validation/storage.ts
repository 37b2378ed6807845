// PersistentVolumes, PersistentVolumeClaims and StorageClasses.
import type { KubeObject } from '../../api/types.js';
import { compareQuantities, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, formatQuantity, nameIsDNSSubdomain, quantityFromJSON, quantitySign, type Quantity } from '../../machinery/index.js';
import { immutable, qualifiedName, semanticEqual, validateLabelSelector } from './common.js';
import { describeDiff } from './diff.js';
import { isObj, isUnset, type Check, type Obj } from './input.js';
import { kindValidator, type KindValidator } from './kind.js';
import { quantity } from './resources.js';

const accessModes = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const volumeModes = ['Block', 'Filesystem'];
const pvSources = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'hostPath', 'glusterfs', 'nfs', 'rbd', 'iscsi', 'cinder', 'cephfs', 'fc', 'flocker',
  'flexVolume', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'local',
  'storageos', 'csi',
];

function modes(c: Check, v: unknown, path: string): string[] {
  const list = c.strList(v, path);
  for (const mode of list) if (!accessModes.includes(mode)) c.add(fieldNotSupported(path, mode, accessModes));
  return list;
}

function volumeMode(c: Check, v: unknown, path: string): void {
  const mode = c.str(v, path);
  if (!isUnset(v) && mode !== undefined && !volumeModes.includes(mode)) c.add(fieldNotSupported(path, mode, volumeModes));
}

function positive(c: Check, v: unknown, path: string): Quantity | undefined {
  const q = quantity(c, v, path);
  if (q !== undefined && quantitySign(q) <= 0) c.add(fieldInvalid(path, formatQuantity(q), 'must be greater than zero'));
  return q;
}

function className(c: Check, v: unknown, path: string): void {
  const name = c.str(v, path);
  if (name) for (const msg of nameIsDNSSubdomain(name, false)) c.add(fieldInvalid(path, name, msg));
}

function validatePV(c: Check, obj: KubeObject): void {
  const spec = c.obj(obj.spec, 'spec') ?? {};
  if (modes(c, spec.accessModes, 'spec.accessModes').length === 0) c.add(fieldRequired('spec.accessModes'));
  const capacity = c.obj(spec.capacity, 'spec.capacity') ?? {};
  if (Object.keys(capacity).length === 0) c.add(fieldRequired('spec.capacity'));
  if (!('storage' in capacity) || Object.keys(capacity).length > 1) c.add(fieldNotSupported('spec.capacity', capacity, ['storage']));
  for (const [name, value] of Object.entries(capacity)) positive(c, value, `spec.capacity[${name}]`);
  className(c, spec.storageClassName, 'spec.storageClassName');
  const reclaim = c.str(spec.persistentVolumeReclaimPolicy, 'spec.persistentVolumeReclaimPolicy');
  if (reclaim && !['Delete', 'Recycle', 'Retain'].includes(reclaim)) c.add(fieldNotSupported('spec.persistentVolumeReclaimPolicy', reclaim, ['Delete', 'Recycle', 'Retain']));
  const given = pvSources.filter((s) => !isUnset(spec[s]));
  if (given.length === 0) c.add(fieldRequired('spec', 'must specify a volume type'));
  for (const extra of given.slice(1)) c.add(fieldForbidden(`spec.${extra}`, 'may not specify more than 1 volume type'));
  const hostPath = c.obj(spec.hostPath, 'spec.hostPath');
  if (hostPath && c.str(hostPath.path, 'spec.hostPath.path') === '') c.add(fieldRequired('spec.hostPath.path'));
  const local = c.obj(spec.local, 'spec.local');
  if (local && c.str(local.path, 'spec.local.path') === '') c.add(fieldRequired('spec.local.path'));
  if (local && isUnset(spec.nodeAffinity)) c.add(fieldRequired('spec.nodeAffinity', 'Local volume requires node affinity'));
  volumeMode(c, spec.volumeMode, 'spec.volumeMode');
}

function validatePVUpdate(c: Check, obj: KubeObject, old: KubeObject): void {
  const spec = isObj(obj.spec) ? obj.spec : {};
  const prev = isObj(old.spec) ? old.spec : {};
  const source = (s: Obj): Obj => Object.fromEntries(pvSources.map((k) => [k, s[k]]));
  if (!semanticEqual(source(spec), source(prev))) {
    c.add(fieldForbidden('spec.persistentvolumesource', `spec.persistentvolumesource is immutable after creation\n${describeDiff(source(prev), source(spec), 'core.PersistentVolumeSource')}`));
  }
  immutable(c, spec.volumeMode, prev.volumeMode, 'volumeMode');
  if (!isUnset(prev.nodeAffinity)) immutable(c, spec.nodeAffinity, prev.nodeAffinity, 'nodeAffinity');
}

function claimStorage(spec: Obj): unknown {
  const resources = isObj(spec.resources) ? spec.resources : {};
  return isObj(resources.requests) ? resources.requests.storage : undefined;
}

/** A claim spec (also the claim templates of StatefulSets and ephemeral volumes). */
export function validateClaimSpec(c: Check, v: unknown, path: string): void {
  const spec = c.obj(v, path) ?? {};
  if (modes(c, spec.accessModes, `${path}.accessModes`).length === 0) c.add(fieldRequired(`${path}.accessModes`, 'at least 1 access mode is required'));
  validateLabelSelector(c, spec.selector, `${path}.selector`);
  const resources = c.obj(spec.resources, `${path}.resources`) ?? {};
  const requests = c.obj(resources.requests, `${path}.resources.requests`) ?? {};
  if (isUnset(requests.storage)) c.add(fieldRequired(`${path}.resources[storage]`));
  else positive(c, requests.storage, `${path}.resources[storage]`);
  className(c, spec.storageClassName, `${path}.storageClassName`);
  volumeMode(c, spec.volumeMode, `${path}.volumeMode`);
}

/** The spec with requests.storage replaced (what a bound claim may grow). */
function withStorage(spec: Obj, storage: unknown): Obj {
  const resources = isObj(spec.resources) ? spec.resources : {};
  const requests = isObj(resources.requests) ? resources.requests : {};
  return { ...spec, resources: { ...resources, requests: { ...requests, storage } } };
}

/** Claims are immutable once created, except the volume name (set once) and storage growth of bound claims. */
function validatePVCUpdate(c: Check, obj: KubeObject, old: KubeObject): void {
  const spec: Obj = { ...(isObj(obj.spec) ? obj.spec : {}) };
  const prev: Obj = { ...(isObj(old.spec) ? old.spec : {}) };
  if (isUnset(prev.volumeName) || prev.volumeName === '') prev.volumeName = spec.volumeName;
  if (isUnset(prev.storageClassName) && !isUnset(spec.storageClassName)) prev.storageClassName = spec.storageClassName;
  const bound = isObj(obj.status) && obj.status.phase === 'Bound';
  const next = bound ? withStorage(spec, claimStorage(prev)) : spec;
  if (!semanticEqual(next, prev)) {
    c.add(fieldForbidden('spec', `spec is immutable after creation except resources.requests for bound claims\n${describeDiff(prev, next, 'core.PersistentVolumeClaimSpec')}`));
  }
  const newSize = parsed(claimStorage(spec));
  const oldSize = parsed(claimStorage(prev));
  if (newSize && oldSize && compareQuantities(newSize, oldSize) < 0) c.add(fieldForbidden('spec.resources.requests.storage', 'field can not be less than previous value'));
  immutable(c, spec.volumeMode, prev.volumeMode, 'volumeMode');
}

/** A quantity whose errors, if any, the create rules already reported. */
function parsed(v: unknown): Quantity | undefined {
  if (isUnset(v)) return undefined;
  try {
    return quantityFromJSON(v);
  } catch {
    return undefined;
  }
}

const storageClassFields = ['parameters', 'provisioner', 'reclaimPolicy'];

function validateStorageClass(c: Check, obj: KubeObject): void {
  const provisioner = c.str(obj.provisioner, 'provisioner');
  if (provisioner === '') c.add(fieldRequired('provisioner'));
  else if (provisioner !== undefined) qualifiedName(c, provisioner.toLowerCase(), 'provisioner');
  const parameters = c.strMap(obj.parameters, 'parameters');
  if (Object.keys(parameters).length > 512) c.add(fieldInvalid('parameters', '', 'may not have more than 512 parameters'));
  const reclaim = c.str(obj.reclaimPolicy, 'reclaimPolicy');
  if (reclaim && reclaim !== 'Delete' && reclaim !== 'Retain') c.add(fieldNotSupported('reclaimPolicy', reclaim, ['Delete', 'Retain']));
  const binding = c.str(obj.volumeBindingMode, 'volumeBindingMode');
  if (isUnset(obj.volumeBindingMode)) c.add(fieldRequired('volumeBindingMode'));
  else if (binding !== undefined && binding !== 'Immediate' && binding !== 'WaitForFirstConsumer') {
    c.add(fieldNotSupported('volumeBindingMode', binding, ['Immediate', 'WaitForFirstConsumer']));
  }
  c.bool(obj.allowVolumeExpansion, 'allowVolumeExpansion');
}

function validateStorageClassUpdate(c: Check, obj: KubeObject, old: KubeObject): void {
  for (const field of storageClassFields) {
    if (!semanticEqual(obj[field], old[field])) c.add(fieldForbidden(field, `updates to ${field} are forbidden.`));
  }
  immutable(c, obj.volumeBindingMode, old.volumeBindingMode, 'volumeBindingMode');
}

export const storageValidators: Readonly<Record<string, KindValidator>> = {
  persistentvolumes: kindValidator(validatePV, validatePVUpdate),
  persistentvolumeclaims: kindValidator((c, obj) => validateClaimSpec(c, obj.spec, 'spec'), validatePVCUpdate),
  'storageclasses.storage.k8s.io': kindValidator(validateStorageClass, validateStorageClassUpdate),
};

// Pod volumes (names, exactly one source, the common sources' required
// fields) and containers' volume mounts.
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotFound, fieldRequired, nameIsDNSSubdomain } from '../../machinery/index.js';
import { dns1123Label, isConfigMapKey } from './common.js';
import { validateFieldRef } from './env.js';
import { isUnset, type Check, type Obj } from './input.js';

const sources = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos', 'csi',
  'ephemeral', 'image',
];

const volumeFieldPaths = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];

/** File modes are 0 to 0777. */
function fileMode(c: Check, v: unknown, path: string): void {
  const mode = c.int(v, path);
  if (mode !== undefined && (mode < 0 || mode > 0o777)) c.add(fieldInvalid(path, mode, 'must be a number between 0 and 0777 (octal), both inclusive'));
}

/** A relative path without `..` steps. */
export function localDescendingPath(c: Check, value: string, path: string): void {
  if (value.startsWith('/')) c.add(fieldInvalid(path, value, 'must be a relative path'));
  if (value.split('/').includes('..')) c.add(fieldInvalid(path, value, "must not contain '..'"));
}

function keyToPaths(c: Check, v: unknown, path: string): void {
  for (const [item, p] of c.objList(v, path)) {
    const key = c.str(item.key, `${p}.key`);
    if (key === '') c.add(fieldRequired(`${p}.key`));
    else if (key !== undefined) for (const msg of isConfigMapKey(key)) c.add(fieldInvalid(`${p}.key`, key, msg));
    const target = c.str(item.path, `${p}.path`);
    if (target === '') c.add(fieldRequired(`${p}.path`));
    else if (target !== undefined) localDescendingPath(c, target, `${p}.path`);
    fileMode(c, item.mode, `${p}.mode`);
  }
}

function downwardItems(c: Check, v: unknown, path: string): void {
  for (const [item, p] of c.objList(v, path)) {
    const target = c.str(item.path, `${p}.path`);
    if (target === '') c.add(fieldRequired(`${p}.path`));
    else if (target !== undefined) localDescendingPath(c, target, `${p}.path`);
    const ref = c.obj(item.fieldRef, `${p}.fieldRef`);
    if (ref) validateFieldRef(c, ref, `${p}.fieldRef`, volumeFieldPaths);
    fileMode(c, item.mode, `${p}.mode`);
  }
}

function named(c: Check, source: Obj, field: string, path: string): void {
  if (c.str(source[field], `${path}.${field}`) === '') c.add(fieldRequired(`${path}.${field}`));
}

const sourceChecks: Record<string, (c: Check, s: Obj, path: string) => void> = {
  hostPath: (c, s, p) => named(c, s, 'path', p),
  nfs: (c, s, p) => {
    named(c, s, 'server', p);
    named(c, s, 'path', p);
  },
  persistentVolumeClaim: (c, s, p) => named(c, s, 'claimName', p),
  csi: (c, s, p) => named(c, s, 'driver', p),
  image: (c, s, p) => named(c, s, 'reference', p),
  secret: (c, s, p) => {
    const name = c.str(s.secretName, `${p}.secretName`);
    if (name === '') c.add(fieldRequired(`${p}.secretName`));
    else if (name !== undefined) for (const msg of nameIsDNSSubdomain(name, false)) c.add(fieldInvalid(`${p}.secretName`, name, msg));
    fileMode(c, s.defaultMode, `${p}.defaultMode`);
    keyToPaths(c, s.items, `${p}.items`);
  },
  configMap: (c, s, p) => {
    const name = c.str(s.name, `${p}.name`);
    if (name === '') c.add(fieldRequired(`${p}.name`));
    else if (name !== undefined) for (const msg of nameIsDNSSubdomain(name, false)) c.add(fieldInvalid(`${p}.name`, name, msg));
    fileMode(c, s.defaultMode, `${p}.defaultMode`);
    keyToPaths(c, s.items, `${p}.items`);
  },
  downwardAPI: (c, s, p) => {
    fileMode(c, s.defaultMode, `${p}.defaultMode`);
    downwardItems(c, s.items, `${p}.items`);
  },
  projected: (c, s, p) => {
    fileMode(c, s.defaultMode, `${p}.defaultMode`);
    for (const [source, sp] of c.objList(s.sources, `${p}.sources`)) {
      for (const kind of ['secret', 'configMap']) {
        const ref = c.obj(source[kind], `${sp}.${kind}`);
        if (ref) keyToPaths(c, ref.items, `${sp}.${kind}.items`);
      }
      const downward = c.obj(source.downwardAPI, `${sp}.downwardAPI`);
      if (downward) downwardItems(c, downward.items, `${sp}.downwardAPI.items`);
      const token = c.obj(source.serviceAccountToken, `${sp}.serviceAccountToken`);
      if (token && c.str(token.path, `${sp}.serviceAccountToken.path`) === '') c.add(fieldRequired(`${sp}.serviceAccountToken.path`));
    }
  },
};

/** Validates spec.volumes; returns the names of the volumes that are valid (mounts may refer to them). */
export function validateVolumes(c: Check, v: unknown, path: string): Set<string> {
  const names = new Set<string>();
  for (const [vol, p] of c.objList(v, path)) {
    const before = c.errors.length;
    let count = 0;
    for (const kind of sources) {
      if (isUnset(vol[kind])) continue;
      const source = c.obj(vol[kind], `${p}.${kind}`);
      if (count > 0) {
        c.add(fieldForbidden(`${p}.${kind}`, 'may not specify more than 1 volume type'));
        continue;
      }
      count++;
      if (source) sourceChecks[kind]?.(c, source, `${p}.${kind}`);
    }
    if (count === 0) c.add(fieldRequired(p, 'must specify a volume type'));
    const name = c.str(vol.name, `${p}.name`);
    if (name === '') c.add(fieldRequired(`${p}.name`));
    else if (name !== undefined) dns1123Label(c, name, `${p}.name`);
    if (name !== undefined && names.has(name)) c.add(fieldDuplicate(`${p}.name`, name));
    if (c.errors.length === before && name !== undefined) names.add(name);
  }
  return names;
}

/** Mounts name existing volumes, have a unique absolute-or-relative mount path, and a descending subPath. */
export function validateVolumeMounts(c: Check, v: unknown, path: string, volumes: ReadonlySet<string>): void {
  const mountPoints = new Set<string>();
  for (const [mount, p] of c.objList(v, path)) {
    const name = c.str(mount.name, `${p}.name`);
    if (name === '') c.add(fieldRequired(`${p}.name`));
    if (name !== undefined && !volumes.has(name)) c.add(fieldNotFound(`${p}.name`, name));
    const mountPath = c.str(mount.mountPath, `${p}.mountPath`);
    if (mountPath === '') c.add(fieldRequired(`${p}.mountPath`));
    if (mountPath !== undefined) {
      if (mountPoints.has(mountPath)) c.add(fieldInvalid(`${p}.mountPath`, mountPath, 'must be unique'));
      mountPoints.add(mountPath);
    }
    const subPath = c.str(mount.subPath, `${p}.subPath`);
    if (subPath) localDescendingPath(c, subPath, `${path}.subPath`);
    c.bool(mount.readOnly, `${p}.readOnly`);
  }
}

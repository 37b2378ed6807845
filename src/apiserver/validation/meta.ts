// ObjectMeta rules every stored kind follows (upstream's
// ValidateObjectMeta and ValidateObjectMetaUpdate, with the core group's
// extra finalizer rule, which all built-in kinds share).
import { fieldForbidden, fieldInvalid, fieldRequired, nameIsDNSLabel, type NameValidator } from '../../machinery/index.js';
import { goStringList, immutable, nonNegative, qualifiedName, validateAnnotations, validateLabels } from './common.js';
import { isUnset, type Check } from './input.js';

/** Unqualified finalizer names the core group accepts, and the one the API server puts on every CRD. */
const standardFinalizers: ReadonlySet<string> = new Set(['kubernetes', 'orphan', 'foregroundDeletion', 'customresourcecleanup.apiextensions.k8s.io']);

/** The version part of an apiVersion as upstream's ParseGroupVersion reads it ('' when malformed). */
function versionOf(apiVersion: string): string {
  const parts = apiVersion.split('/');
  if (parts.length === 1) return apiVersion;
  return parts.length === 2 ? (parts[1] ?? '') : '';
}

function validateOwnerReferences(c: Check, v: unknown, path: string): void {
  let firstController = '';
  for (const [ref] of c.objList(v, path)) {
    const apiVersion = c.str(ref.apiVersion, `${path}.apiVersion`) ?? '';
    const kind = c.str(ref.kind, `${path}.kind`) ?? '';
    const name = c.str(ref.name, `${path}.name`) ?? '';
    const uid = c.str(ref.uid, `${path}.uid`) ?? '';
    if (versionOf(apiVersion) === '') c.add(fieldInvalid(`${path}.apiVersion`, apiVersion, 'version must not be empty'));
    if (kind === '') c.add(fieldInvalid(`${path}.kind`, kind, 'kind must not be empty'));
    if (name === '') c.add(fieldInvalid(`${path}.name`, name, 'name must not be empty'));
    if (uid === '') c.add(fieldInvalid(`${path}.uid`, uid, 'uid must not be empty'));
    if (apiVersion === 'v1' && kind === 'Event') c.add(fieldInvalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    if (c.bool(ref.controller, `${path}.controller`) === true) {
      const current = `${kind}/${name}`;
      if (firstController === '') firstController = current;
      else c.add(fieldInvalid(path, v, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`));
    }
  }
}

/** Finalizer names: qualified names, and an unqualified one must be standard. */
export function validateFinalizers(c: Check, v: unknown, path: string, indexed = true): void {
  const finalizers = c.strList(v, path);
  for (const f of finalizers) qualifiedName(c, f, path);
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    c.add(fieldInvalid(path, finalizers, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  finalizers.forEach((f, i) => {
    if (!f.includes('/') && !standardFinalizers.has(f)) {
      c.add(fieldInvalid(indexed ? `${path}[${i}]` : path, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
}

/**
 * Metadata of an object being written. `nameFn` is the kind's naming rule;
 * a namespaced kind needs a valid namespace, a cluster-scoped one none.
 */
export function validateObjectMeta(c: Check, v: unknown, namespaced: boolean, nameFn: NameValidator, path = 'metadata'): void {
  const meta = c.obj(v, path);
  if (meta === undefined) {
    if (isUnset(v)) c.add(fieldRequired(`${path}.name`, 'name or generateName is required'));
    return;
  }
  const generateName = c.str(meta.generateName, `${path}.generateName`);
  if (generateName) for (const msg of nameFn(generateName, true)) c.add(fieldInvalid(`${path}.generateName`, generateName, msg));
  const name = c.str(meta.name, `${path}.name`);
  if (name === '') c.add(fieldRequired(`${path}.name`, 'name or generateName is required'));
  else if (name !== undefined) for (const msg of nameFn(name, false)) c.add(fieldInvalid(`${path}.name`, name, msg));
  const namespace = c.str(meta.namespace, `${path}.namespace`);
  if (namespaced) {
    if (namespace === '') c.add(fieldRequired(`${path}.namespace`));
    else if (namespace !== undefined) for (const msg of nameIsDNSLabel(namespace, false)) c.add(fieldInvalid(`${path}.namespace`, namespace, msg));
  } else if (namespace) {
    c.add(fieldForbidden(`${path}.namespace`, 'not allowed on this type'));
  }
  nonNegative(c, meta.generation, `${path}.generation`);
  validateLabels(c, meta.labels, `${path}.labels`);
  validateAnnotations(c, meta.annotations, `${path}.annotations`);
  validateOwnerReferences(c, meta.ownerReferences, `${path}.ownerReferences`);
  validateFinalizers(c, meta.finalizers, `${path}.finalizers`);
}

/**
 * What an update may not change: identity and server-set metadata; and
 * no finalizer may be added once deletion has started. (Labels and the
 * rest are checked by validateObjectMeta on the new object.)
 */
export function validateObjectMetaUpdate(c: Check, next: unknown, prev: unknown, path = 'metadata'): void {
  const meta = c.obj(next, path);
  const old = c.obj(prev, path);
  if (meta === undefined || old === undefined) return;
  if (!isUnset(old.deletionTimestamp)) {
    const had = new Set(c.strList(old.finalizers, `${path}.finalizers`));
    const added = [...new Set(c.strList(meta.finalizers, `${path}.finalizers`).filter((f) => !had.has(f)))].sort();
    if (added.length > 0) {
      c.add(fieldForbidden(`${path}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringList(added)}`));
    }
  }
  const generation = c.int(meta.generation, `${path}.generation`) ?? 0;
  const oldGeneration = typeof old.generation === 'number' ? old.generation : 0;
  if (generation < oldGeneration) c.add(fieldInvalid(`${path}.generation`, generation, 'must not be decremented'));
  for (const field of ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
    immutable(c, meta[field], old[field], `${path}.${field}`);
  }
}

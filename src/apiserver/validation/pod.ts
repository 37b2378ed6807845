// Pods: the spec on create, and on update upstream's short list of
// mutable spec fields.
import type { KubeObject } from '../../api/types.js';
import { fieldForbidden, fieldInvalid, fieldRequired } from '../../machinery/index.js';
import { inclusiveRangeError, semanticEqual } from './common.js';
import { describeDiff } from './diff.js';
import { Check, isObj, isUnset, type Obj } from './input.js';
import { validatePodSpec } from './podspec.js';

const maxInt32 = 2147483647;

export const podUpdateMessage =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

export function validatePodCreate(obj: KubeObject): Check {
  const c = new Check();
  validatePodSpec(c, obj.spec, 'spec');
  const spec = isObj(obj.spec) ? obj.spec : {};
  if (Array.isArray(spec.ephemeralContainers) && spec.ephemeralContainers.length > 0) c.add(fieldForbidden('spec.ephemeralContainers', 'cannot be set on create'));
  return c;
}

/** Images may change, but containers may not come or go. Returns false when the lists differ in length. */
function containerUpdates(c: Check, next: unknown, prev: unknown, path: string): boolean {
  const a = Array.isArray(next) ? next : [];
  const b = Array.isArray(prev) ? prev : [];
  if (a.length !== b.length) {
    c.add(fieldForbidden(path, 'pod updates may not add or remove containers'));
    return false;
  }
  a.forEach((ctr, i) => {
    const image = isObj(ctr) && typeof ctr.image === 'string' ? ctr.image : '';
    if (image === '') c.add(fieldRequired(`${path}[${i}].image`));
    if (image.trim() !== image) c.add(fieldInvalid(`${path}[${i}].image`, image, 'must not have leading or trailing whitespace'));
  });
  return true;
}

/** The deadline may be set, or lowered, but not raised or removed. Returns false when the update must stop here. */
function activeDeadline(c: Check, spec: Obj, old: Obj): boolean {
  const next = typeof spec.activeDeadlineSeconds === 'number' ? spec.activeDeadlineSeconds : undefined;
  const prev = typeof old.activeDeadlineSeconds === 'number' ? old.activeDeadlineSeconds : undefined;
  const path = 'spec.activeDeadlineSeconds';
  if (next === undefined) {
    if (prev !== undefined) c.add(fieldInvalid(path, null, 'must not update from a positive integer to nil value'));
    return true;
  }
  if (next < 0 || next > maxInt32) {
    c.add(fieldInvalid(path, next, inclusiveRangeError(0, maxInt32)));
    return false;
  }
  if (prev !== undefined && prev < next) {
    c.add(fieldInvalid(path, next, 'must be less than or equal to previous value'));
    return false;
  }
  return true;
}

/** Existing tolerations stay (only their tolerationSeconds may change); new ones may be added. */
function onlyAddedTolerations(c: Check, next: unknown, prev: unknown): void {
  const added = Array.isArray(next) ? next.filter(isObj) : [];
  for (const old of Array.isArray(prev) ? prev.filter(isObj) : []) {
    const found = added.some((tol) => semanticEqual({ ...old, tolerationSeconds: tol.tolerationSeconds }, tol));
    if (!found) {
      c.add(fieldForbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds'));
      return;
    }
  }
}

/** A copy of the new spec with every field an update may change taken from the old one. */
function munge(spec: Obj, old: Obj): Obj {
  const out: Obj = { ...spec };
  for (const list of ['containers', 'initContainers']) {
    const prev = Array.isArray(old[list]) ? (old[list] as unknown[]) : [];
    if (Array.isArray(out[list])) {
      out[list] = (out[list] as unknown[]).map((ctr, i) => {
        const was = prev[i];
        return isObj(ctr) && isObj(was) ? { ...ctr, image: was.image } : ctr;
      });
    }
  }
  out.activeDeadlineSeconds = old.activeDeadlineSeconds;
  out.tolerations = old.tolerations;
  out.schedulingGates = old.schedulingGates;
  if (typeof old.terminationGracePeriodSeconds === 'number' && old.terminationGracePeriodSeconds < 0 && spec.terminationGracePeriodSeconds === 1) {
    out.terminationGracePeriodSeconds = old.terminationGracePeriodSeconds;
  }
  // Binding a pod to a node goes through the same update path here (upstream's binding bypasses validation).
  if (isUnset(old.nodeName) || old.nodeName === '') out.nodeName = old.nodeName;
  return out;
}

export function validatePodUpdate(obj: KubeObject, old: KubeObject): Check {
  const c = new Check();
  validatePodSpec(c, obj.spec, 'spec');
  const spec = isObj(obj.spec) ? obj.spec : {};
  const prev = isObj(old.spec) ? old.spec : {};
  if (!containerUpdates(c, spec.containers, prev.containers, 'spec.containers')) return c;
  if (!containerUpdates(c, spec.initContainers, prev.initContainers, 'spec.initContainers')) return c;
  if (!activeDeadline(c, spec, prev)) return c;
  onlyAddedTolerations(c, spec.tolerations, prev.tolerations);
  const gates = new Set((Array.isArray(prev.schedulingGates) ? prev.schedulingGates : []).filter(isObj).map((g) => String(g.name)));
  for (const gate of Array.isArray(spec.schedulingGates) ? spec.schedulingGates.filter(isObj) : []) {
    if (!gates.has(String(gate.name))) c.add(fieldForbidden(`spec.schedulingGates.${String(gate.name)}`, 'only deletion is allowed, but found new scheduling gate'));
  }
  const munged = munge(spec, prev);
  if (!semanticEqual(munged, prev)) c.add(fieldForbidden('spec', `${podUpdateMessage}\n${describeDiff(prev, munged, 'core.PodSpec')}`));
  return c;
}

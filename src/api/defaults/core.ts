// Defaults of the core (v1) kinds other than Pod (see pod.ts).
import type { Defaulter } from '../registry/types.js';
import type { KubeObject } from '../object.js';
import { defaultPod, defaultPodSpec, defaultPodTemplateSpec } from './pod.js';
import { defaultService } from './service.js';
import { child, ensure, isEmptyCollection, isUnset, items, setIfEmpty, setIfUnset, type Obj } from './shape.js';
import { defaultClaimSpec } from './volumes.js';

const pod: Defaulter = (obj) => defaultPod(obj);

const podTemplate: Defaulter = (obj) => defaultPodTemplateSpec(ensure(obj, 'template'));

/** Selector and object labels copied from the template when unset; replicas 1. */
const replicationController: Defaulter = (obj) => {
  const spec = ensure(obj, 'spec');
  const template = child(spec, 'template');
  const labels = child(child(template, 'metadata'), 'labels');
  if (spec && labels) {
    if (isEmptyCollection(spec.selector)) spec.selector = { ...labels };
    const meta = ensure(obj, 'metadata');
    if (meta && isEmptyCollection(meta.labels)) meta.labels = { ...labels };
  }
  setIfUnset(spec, 'replicas', 1);
  if (template) defaultPodSpec(ensure(template, 'spec'));
};

/**
 * The `kubernetes.io/metadata.name` label, status.phase Active, and the
 * `kubernetes` spec finalizer. Upstream adds the finalizer on create only,
 * because the namespace controller removes it during deletion; here it is
 * added whenever the namespace is not being deleted, which is the same on
 * create, and on update keeps what upstream keeps (a main-resource update
 * cannot change spec.finalizers there).
 */
const namespace: Defaulter = (obj) => {
  const meta = ensure(obj, 'metadata');
  if (meta && typeof meta.name === 'string' && meta.name !== '') {
    const labels = ensure(meta, 'labels');
    if (labels) labels['kubernetes.io/metadata.name'] = meta.name;
  }
  setIfEmpty(ensure(obj, 'status'), 'phase', 'Active');
  if (meta && isUnset(meta.deletionTimestamp)) {
    const spec = ensure(obj, 'spec');
    if (spec && isUnset(spec.finalizers)) spec.finalizers = [];
    if (spec && Array.isArray(spec.finalizers) && !spec.finalizers.includes('kubernetes')) spec.finalizers.push('kubernetes');
  }
};

/** podCIDR and podCIDRs kept in step (as upstream's conversion does); allocatable copied from capacity when unset. */
const node: Defaulter = (obj) => {
  const spec = child(obj, 'spec');
  if (spec && typeof spec.podCIDR === 'string' && spec.podCIDR !== '' && isEmptyCollection(spec.podCIDRs)) spec.podCIDRs = [spec.podCIDR];
  if (spec && Array.isArray(spec.podCIDRs) && typeof spec.podCIDRs[0] === 'string' && isUnset(spec.podCIDR)) spec.podCIDR = spec.podCIDRs[0];
  const status = child(obj, 'status');
  const capacity = child(status, 'capacity');
  if (status && capacity && isUnset(status.allocatable)) status.allocatable = { ...capacity };
};

const persistentVolume: Defaulter = (obj) => {
  setIfEmpty(ensure(obj, 'status'), 'phase', 'Pending');
  const spec = ensure(obj, 'spec');
  setIfEmpty(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  setIfUnset(spec, 'volumeMode', 'Filesystem');
  setIfUnset(child(spec, 'hostPath'), 'type', '');
};

const persistentVolumeClaim: Defaulter = (obj) => {
  setIfEmpty(ensure(obj, 'status'), 'phase', 'Pending');
  defaultClaimSpec(ensure(obj, 'spec'));
};

/**
 * Type Opaque; stringData merged into data (base64) and dropped, as
 * upstream's conversion does before anything else sees the Secret.
 */
const secret: Defaulter = (obj) => {
  setIfEmpty(obj, 'type', 'Opaque');
  const stringData = child(obj, 'stringData');
  if (stringData === undefined) return;
  const data = ensure(obj, 'data');
  if (data === undefined) return;
  for (const [key, value] of Object.entries(stringData)) {
    if (typeof value === 'string') data[key] = Buffer.from(value, 'utf8').toString('base64');
  }
  delete obj.stringData;
};

const endpoints: Defaulter = (obj) => {
  for (const subset of items(obj, 'subsets')) for (const port of items(subset, 'ports')) setIfEmpty(port, 'protocol', 'TCP');
};

/** Container limit ranges: default from max, defaultRequest from default, then from min. */
const limitRange: Defaulter = (obj) => {
  for (const item of items(child(obj, 'spec'), 'limits')) {
    if (item.type !== 'Container') continue;
    const def = ensure(item, 'default');
    const req = ensure(item, 'defaultRequest');
    if (def === undefined || req === undefined) continue;
    copyMissing(child(item, 'max'), def);
    copyMissing(def, req);
    copyMissing(child(item, 'min'), req);
  }
};

function copyMissing(from: Obj | undefined, to: Obj): void {
  for (const [key, value] of Object.entries(from ?? {})) if (!(key in to)) to[key] = value;
}

const service: Defaulter = (obj: KubeObject) => {
  const spec = ensure(obj, 'spec');
  if (spec) defaultService(spec);
};

export const coreDefaulters: Readonly<Record<string, Defaulter>> = {
  pods: pod,
  podtemplates: podTemplate,
  replicationcontrollers: replicationController,
  namespaces: namespace,
  nodes: node,
  persistentvolumes: persistentVolume,
  persistentvolumeclaims: persistentVolumeClaim,
  secrets: secret,
  endpoints,
  limitranges: limitRange,
  services: service,
};

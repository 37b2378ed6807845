// Validation of written objects, as upstream's pkg/apis/*/validation:
// metadata rules for every stored kind plus each kind's own rules, with
// upstream's field paths and messages. Runs after defaulting. Never throws
// on arbitrary JSON: values of the wrong type become field errors.
import type { KubeObject } from '../../api/types.js';
import { isValidPathSegmentName, isValidPathSegmentPrefix, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain } from '../../machinery/index.js';
import type { FieldError, NameValidator } from '../../machinery/index.js';
import { batchValidators } from './batch.js';
import { configValidators } from './config.js';
import { coordinationValidators } from './coordination.js';
import { endpointsValidators } from './endpoints.js';
import { eventValidators } from './events.js';
import { Check } from './input.js';
import type { KindValidator } from './kind.js';
import { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';
import { namespaceValidators } from './namespace.js';
import { networkingValidators } from './networking.js';
import { nodeValidators } from './node.js';
import { validatePodCreate, validatePodUpdate } from './pod.js';
import { policyValidators } from './policy.js';
import { rbacValidators } from './rbac.js';
import { serviceValidator } from './service.js';
import { storageValidators } from './storage.js';
import { workloadValidators } from './workloads.js';

export type { KindValidator } from './kind.js';
export { validateObjectMeta, validateObjectMetaUpdate } from './meta.js';

/** RBAC names only need to be safe in a URL path. */
const pathSegmentName: NameValidator = (name, prefix) => (prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name));
const anyName: NameValidator = () => [];

/** Naming rules that differ from the usual DNS-1123 subdomain. */
const nameRules: Readonly<Record<string, NameValidator>> = {
  namespaces: nameIsDNSLabel,
  services: nameIsDNS1035Label,
  'roles.rbac.authorization.k8s.io': pathSegmentName,
  'clusterroles.rbac.authorization.k8s.io': pathSegmentName,
  'rolebindings.rbac.authorization.k8s.io': pathSegmentName,
  'clusterrolebindings.rbac.authorization.k8s.io': pathSegmentName,
  'certificatesigningrequests.certificates.k8s.io': anyName,
};

/** The naming rule of a resource (`pods`, `deployments.apps`). */
export function nameRuleFor(groupResource: string): NameValidator {
  return nameRules[groupResource] ?? nameIsDNSSubdomain;
}

/** Create-only review kinds: answered, never stored, and without metadata rules. */
const reviews: ReadonlySet<string> = new Set([
  'tokenreviews.authentication.k8s.io',
  'selfsubjectreviews.authentication.k8s.io',
  'subjectaccessreviews.authorization.k8s.io',
  'selfsubjectaccessreviews.authorization.k8s.io',
  'selfsubjectrulesreviews.authorization.k8s.io',
  'localsubjectaccessreviews.authorization.k8s.io',
]);

const pods: KindValidator = {
  create: (obj) => validatePodCreate(obj).errors,
  update: (obj, old) => validatePodUpdate(obj, old).errors,
};

/** Each kind's own rules, by group-resource; kinds not listed get the metadata rules only. */
export const validators: Readonly<Record<string, KindValidator>> = {
  pods,
  services: serviceValidator,
  ...workloadValidators,
  ...batchValidators,
  ...configValidators,
  ...namespaceValidators,
  ...nodeValidators,
  ...storageValidators,
  ...rbacValidators,
  ...networkingValidators,
  ...coordinationValidators,
  ...endpointsValidators,
  ...eventValidators,
  ...policyValidators,
};

/** The metadata rules alone, with the resource's naming rule (for writes that bypass a kind's own rules). */
export function validateObjectMetaFor(groupResource: string, namespaced: boolean, metadata: unknown, old?: unknown): FieldError[] {
  const c = new Check();
  validateObjectMeta(c, metadata, namespaced, nameRuleFor(groupResource));
  if (old !== undefined) validateObjectMetaUpdate(c, metadata, old);
  return c.errors;
}

/** All errors of an object about to be created. */
export function validateCreate(groupResource: string, namespaced: boolean, obj: KubeObject): FieldError[] {
  const kind = validators[groupResource];
  if (reviews.has(groupResource)) return kind?.create(obj) ?? [];
  const c = new Check();
  validateObjectMeta(c, obj.metadata, namespaced, nameRuleFor(groupResource));
  return [...c.errors, ...(kind?.create(obj) ?? [])];
}

/** All errors of an update of `old` to `obj` (the new object is validated in full, then against the old one). */
export function validateUpdate(groupResource: string, namespaced: boolean, obj: KubeObject, old: KubeObject): FieldError[] {
  const kind = validators[groupResource];
  if (reviews.has(groupResource)) return kind?.update(obj, old) ?? [];
  const c = new Check();
  validateObjectMeta(c, obj.metadata, namespaced, nameRuleFor(groupResource));
  validateObjectMetaUpdate(c, obj.metadata, old.metadata);
  return [...c.errors, ...(kind?.update(obj, old) ?? [])];
}

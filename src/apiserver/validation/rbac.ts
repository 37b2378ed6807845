// Roles, ClusterRoles and their bindings (rbac.authorization.k8s.io/v1).
import type { KubeObject } from '../../api/types.js';
import { fieldInvalid, fieldNotSupported, fieldRequired, isValidPathSegmentName, nameIsDNSSubdomain } from '../../machinery/index.js';
import { semanticEqual, validateLabelSelector } from './common.js';
import type { Check } from './input.js';
import { kindValidator, type KindValidator } from './kind.js';

const rbacGroup = 'rbac.authorization.k8s.io';

function validateRules(c: Check, v: unknown, namespaced: boolean): void {
  for (const [rule, p] of c.objList(v, 'rules')) {
    if (c.strList(rule.verbs, `${p}.verbs`).length === 0) c.add(fieldRequired(`${p}.verbs`, 'verbs must contain at least one value'));
    const urls = c.strList(rule.nonResourceURLs, `${p}.nonResourceURLs`);
    const groups = c.strList(rule.apiGroups, `${p}.apiGroups`);
    const resources = c.strList(rule.resources, `${p}.resources`);
    const names = c.strList(rule.resourceNames, `${p}.resourceNames`);
    if (urls.length > 0) {
      if (namespaced) c.add(fieldInvalid(`${p}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (groups.length > 0 || resources.length > 0 || names.length > 0) {
        c.add(fieldInvalid(`${p}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      continue;
    }
    if (groups.length === 0) c.add(fieldRequired(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
    if (resources.length === 0) c.add(fieldRequired(`${p}.resources`, 'resource rules must supply at least one resource'));
  }
}

function validateSubjects(c: Check, v: unknown, namespaced: boolean): void {
  for (const [subject, p] of c.objList(v, 'subjects')) {
    const name = c.str(subject.name, `${p}.name`);
    if (name === '') c.add(fieldRequired(`${p}.name`));
    const apiGroup = c.str(subject.apiGroup, `${p}.apiGroup`) ?? '';
    const kind = c.str(subject.kind, `${p}.kind`);
    if (kind === 'ServiceAccount') {
      if (name) for (const msg of nameIsDNSSubdomain(name, false)) c.add(fieldInvalid(`${p}.name`, name, msg));
      if (apiGroup !== '') c.add(fieldNotSupported(`${p}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !subject.namespace) c.add(fieldRequired(`${p}.namespace`));
    } else if (kind === 'User' || kind === 'Group') {
      if (apiGroup !== rbacGroup) c.add(fieldNotSupported(`${p}.apiGroup`, apiGroup, [rbacGroup]));
    } else if (kind !== undefined) {
      c.add(fieldNotSupported(`${p}.kind`, kind, ['ServiceAccount', 'User', 'Group']));
    }
  }
}

function validateBinding(c: Check, obj: KubeObject, namespaced: boolean): void {
  const ref = c.obj(obj.roleRef, 'roleRef') ?? {};
  const apiGroup = c.str(ref.apiGroup, 'roleRef.apiGroup');
  if (apiGroup !== undefined && apiGroup !== rbacGroup) c.add(fieldNotSupported('roleRef.apiGroup', apiGroup, [rbacGroup]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  const kind = c.str(ref.kind, 'roleRef.kind');
  if (kind !== undefined && !kinds.includes(kind)) c.add(fieldNotSupported('roleRef.kind', kind, kinds));
  const name = c.str(ref.name, 'roleRef.name');
  if (name === '') c.add(fieldRequired('roleRef.name'));
  else if (name !== undefined) for (const msg of isValidPathSegmentName(name)) c.add(fieldInvalid('roleRef.name', name, msg));
  validateSubjects(c, obj.subjects, namespaced);
}

function roleRefImmutable(c: Check, obj: KubeObject, old: KubeObject): void {
  if (!semanticEqual(obj.roleRef, old.roleRef)) c.add(fieldInvalid('roleRef', obj.roleRef ?? null, 'cannot change roleRef'));
}

export const rbacValidators: Readonly<Record<string, KindValidator>> = {
  'roles.rbac.authorization.k8s.io': kindValidator((c, obj) => validateRules(c, obj.rules, true)),
  'clusterroles.rbac.authorization.k8s.io': kindValidator((c, obj) => {
    validateRules(c, obj.rules, false);
    const aggregation = c.obj(obj.aggregationRule, 'aggregationRule');
    if (aggregation) {
      for (const [i, selector] of c.list(aggregation.clusterRoleSelectors, 'aggregationRule.clusterRoleSelectors').entries()) {
        validateLabelSelector(c, selector, `aggregationRule.clusterRoleSelectors[${i}]`);
      }
    }
  }),
  'rolebindings.rbac.authorization.k8s.io': kindValidator((c, obj) => validateBinding(c, obj, true), roleRefImmutable),
  'clusterrolebindings.rbac.authorization.k8s.io': kindValidator((c, obj) => validateBinding(c, obj, false), roleRefImmutable),
};


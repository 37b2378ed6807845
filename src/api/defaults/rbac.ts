// rbac.authorization.k8s.io/v1 defaults: the API group of role references
// and of User and Group subjects (service accounts stay in the core group).
import type { Defaulter } from '../registry/types.js';
import { child, items, setIfEmpty } from './shape.js';

const rbacGroup = 'rbac.authorization.k8s.io';

const binding: Defaulter = (obj) => {
  setIfEmpty(child(obj, 'roleRef'), 'apiGroup', rbacGroup);
  for (const subject of items(obj, 'subjects')) {
    if (subject.kind === 'User' || subject.kind === 'Group') setIfEmpty(subject, 'apiGroup', rbacGroup);
  }
};

export const rbacDefaulters: Readonly<Record<string, Defaulter>> = {
  'rolebindings.rbac.authorization.k8s.io': binding,
  'clusterrolebindings.rbac.authorization.k8s.io': binding,
};

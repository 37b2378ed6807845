// rbac.authorization.k8s.io/v1: roles and their bindings.
import { defineGroupVersion } from './define.js';

export const rbacResources = defineGroupVersion('rbac.authorization.k8s.io', 'v1', [
  { resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  { resource: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  { resource: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  { resource: 'roles', kind: 'Role', namespaced: true },
]);

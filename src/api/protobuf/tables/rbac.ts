// Protobuf tables of rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding
// and ClusterRoleBinding. Each entry is named for the upstream Go type of
// k8s.io/api/rbac/v1 at Kubernetes 1.32: field numbers and wire types from its
// generated.proto; JSON names, omitempty and pointers from the struct tags in
// its types.go.
import type { MessageTables } from '../schema.js';

export const rbacV1: MessageTables = {
  AggregationRule: { clusterRoleSelectors: '1 []meta/v1.LabelSelector' },
  ClusterRole: { metadata: '1 meta/v1.ObjectMeta', rules: '2 []PolicyRule', aggregationRule: '3 AggregationRule' },
  ClusterRoleBinding: { metadata: '1 meta/v1.ObjectMeta', subjects: '2 []Subject', roleRef: '3 RoleRef' },
  PolicyRule: { verbs: '1 []string', apiGroups: '2 []string', resources: '3 []string', resourceNames: '4 []string', nonResourceURLs: '5 []string' },
  Role: { metadata: '1 meta/v1.ObjectMeta', rules: '2 []PolicyRule' },
  RoleBinding: { metadata: '1 meta/v1.ObjectMeta', subjects: '2 []Subject', roleRef: '3 RoleRef' },
  RoleRef: { apiGroup: '1 string!', kind: '2 string!', name: '3 string!' },
  Subject: { kind: '1 string!', apiGroup: '2 string', name: '3 string!', namespace: '4 string' },
};

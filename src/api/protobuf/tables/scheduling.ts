// Protobuf table of scheduling.k8s.io/v1 PriorityClass. Each entry is named for
// the upstream Go type of k8s.io/api/scheduling/v1 at Kubernetes 1.32: field
// numbers and wire types from its generated.proto; JSON names, omitempty and
// pointers from the struct tags in its types.go.
import type { MessageTables } from '../schema.js';

export const schedulingV1: MessageTables = {
  PriorityClass: { metadata: '1 meta/v1.ObjectMeta', value: '2 int32!', globalDefault: '3 bool', description: '4 string', preemptionPolicy: '5 *string' },
};

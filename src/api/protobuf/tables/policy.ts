// Protobuf tables of policy/v1 PodDisruptionBudget and Eviction. Each entry is
// named for the upstream Go type of k8s.io/api/policy/v1 at Kubernetes 1.32:
// field numbers and wire types from its generated.proto; JSON names, omitempty
// and pointers from the struct tags in its types.go.
import type { MessageTables } from '../schema.js';

export const policyV1: MessageTables = {
  Eviction: { metadata: '1 meta/v1.ObjectMeta', deleteOptions: '2 meta/v1.DeleteOptions' },
  PodDisruptionBudget: { metadata: '1 meta/v1.ObjectMeta', spec: '2 PodDisruptionBudgetSpec', status: '3 PodDisruptionBudgetStatus' },
  PodDisruptionBudgetSpec: {
    minAvailable: '1 *IntOrString',
    selector: '2 meta/v1.LabelSelector',
    maxUnavailable: '3 *IntOrString',
    unhealthyPodEvictionPolicy: '4 *string',
  },
  PodDisruptionBudgetStatus: {
    observedGeneration: '1 int64',
    disruptedPods: '2 map[string]Time',
    disruptionsAllowed: '3 int32!',
    currentHealthy: '4 int32!',
    desiredHealthy: '5 int32!',
    expectedPods: '6 int32!',
    conditions: '7 []meta/v1.Condition',
  },
};

// Protobuf tables of meta/v1 (ObjectMeta and what it reaches, LabelSelector,
// Condition, DeleteOptions). Each entry is named for the upstream Go type of
// k8s.io/apimachinery/pkg/apis/meta/v1 at Kubernetes 1.32: field numbers and
// wire types from its generated.proto; JSON names, omitempty and pointers from
// the struct tags in its types.go.
import type { MessageTables } from '../schema.js';

export const metaV1: MessageTables = {
  Condition: { type: '1 string!', status: '2 string!', observedGeneration: '3 int64', lastTransitionTime: '4 Time', reason: '5 string!', message: '6 string!' },
  DeleteOptions: {
    gracePeriodSeconds: '1 *int64',
    preconditions: '2 Preconditions',
    orphanDependents: '3 *bool',
    propagationPolicy: '4 *string',
    dryRun: '5 []string',
    ignoreStoreReadErrorWithClusterBreakingPotential: '6 *bool',
  },
  FieldSelectorRequirement: { key: '1 string!', operator: '2 string!', values: '3 []string' },
  LabelSelector: { matchLabels: '1 map[string]string', matchExpressions: '2 []LabelSelectorRequirement' },
  LabelSelectorRequirement: { key: '1 string!', operator: '2 string!', values: '3 []string' },
  ManagedFieldsEntry: {
    manager: '1 string',
    operation: '2 string',
    apiVersion: '3 string',
    time: '4 *Time',
    fieldsType: '6 string',
    fieldsV1: '7 *FieldsV1',
    subresource: '8 string',
  },
  ObjectMeta: {
    name: '1 string',
    generateName: '2 string',
    namespace: '3 string',
    selfLink: '4 string',
    uid: '5 string',
    resourceVersion: '6 string',
    generation: '7 int64',
    creationTimestamp: '8 Time',
    deletionTimestamp: '9 *Time',
    deletionGracePeriodSeconds: '10 *int64',
    labels: '11 map[string]string',
    annotations: '12 map[string]string',
    ownerReferences: '13 []OwnerReference',
    finalizers: '14 []string',
    managedFields: '17 []ManagedFieldsEntry',
  },
  OwnerReference: { apiVersion: '5 string!', kind: '1 string!', name: '3 string!', uid: '4 string!', controller: '6 *bool', blockOwnerDeletion: '7 *bool' },
  Preconditions: { uid: '1 *string', resourceVersion: '2 *string' },
};

/**
 * The wire shapes behind the well-known types of schema.ts, whose JSON is
 * not an object: metav1.Time and MicroTime (a google.protobuf.Timestamp-like
 * pair), resource.Quantity (its canonical string), intstr.IntOrString (type
 * 0 int, 1 string), metav1.FieldsV1 (raw JSON bytes) and the ExtraValue
 * string lists of authentication/v1 and authorization/v1 (identical).
 */
export const wellKnown: MessageTables = {
  Time: { seconds: '1 int64', nanos: '2 int32' },
  MicroTime: { seconds: '1 int64', nanos: '2 int32' },
  Quantity: { string: '1 string' },
  IntOrString: { type: '1 int64', intVal: '2 int32', strVal: '3 string' },
  FieldsV1: { Raw: '1 bytes' },
  ExtraValue: { items: '1 []string' },
};

/** The envelope of every body (k8s.io/apimachinery/pkg/runtime Unknown and TypeMeta, generated.proto). */
export const runtime: MessageTables = {
  TypeMeta: { apiVersion: '1 string', kind: '2 string' },
  Unknown: { typeMeta: '1 TypeMeta', raw: '2 bytes', contentEncoding: '3 string', contentType: '4 string' },
};

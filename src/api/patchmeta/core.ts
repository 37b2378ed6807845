// Patch metadata of ObjectMeta and the core (v1) types, from upstream's
// struct tags at Kubernetes 1.32. Only fields that carry a tag, or lead to a
// type that does, are listed: a list without a merge strategy is replaced
// whole, so what lies inside its elements never matters. Lists with a
// listType but no patchStrategy (ResourceRequirements.claims,
// containerStatuses, ServiceAccount.imagePullSecrets, NamespaceSpec.finalizers,
// LabelSelector.matchExpressions, ...) are therefore absent on purpose.
import { keyed, keyedRetained, primitiveSet, type TypeSpec, type TypeTable } from './types.js';

export const metaTypes: TypeTable = {
  ObjectMeta: {
    ownerReferences: keyed('OwnerReference', 'uid'),
    finalizers: primitiveSet,
  },
};

/** The fields a kind has when only its metadata carries tags. */
export const metadataOnly: TypeSpec = { metadata: 'ObjectMeta' };

// Container and EphemeralContainer (through EphemeralContainerCommon) carry the same tags.
const containerFields: TypeSpec = {
  ports: keyed('ContainerPort', 'containerPort'),
  env: keyed('EnvVar', 'name'),
  volumeMounts: keyed('VolumeMount', 'mountPath'),
  volumeDevices: keyed('VolumeDevice', 'devicePath'),
};

export const podTypes: TypeTable = {
  PodTemplateSpec: { metadata: 'ObjectMeta', spec: 'PodSpec' },
  PodSpec: {
    volumes: keyedRetained('Volume', 'name'),
    initContainers: keyed('Container', 'name'),
    containers: keyed('Container', 'name'),
    ephemeralContainers: keyed('EphemeralContainer', 'name'),
    imagePullSecrets: keyed('LocalObjectReference', 'name'),
    hostAliases: keyed('HostAlias', 'ip'),
    topologySpreadConstraints: keyed('TopologySpreadConstraint', 'topologyKey'),
    schedulingGates: keyed('PodSchedulingGate', 'name'),
    resourceClaims: keyedRetained('PodResourceClaim', 'name'),
  },
  Container: containerFields,
  EphemeralContainer: containerFields,
  // A generic ephemeral volume embeds a claim template with its own ObjectMeta.
  Volume: { ephemeral: 'EphemeralVolumeSource' },
  EphemeralVolumeSource: { volumeClaimTemplate: 'PersistentVolumeClaimTemplate' },
  PersistentVolumeClaimTemplate: { metadata: 'ObjectMeta' },
  PodStatus: {
    conditions: keyed('PodCondition', 'type'),
    hostIPs: keyed('HostIP', 'ip'),
    podIPs: keyed('PodIP', 'ip'),
    resourceClaimStatuses: keyedRetained('PodResourceClaimStatus', 'name'),
  },
};

export const coreTypes: TypeTable = {
  Pod: { metadata: 'ObjectMeta', spec: 'PodSpec', status: 'PodStatus' },
  PodTemplate: { metadata: 'ObjectMeta', template: 'PodTemplateSpec' },
  ReplicationController: { metadata: 'ObjectMeta', spec: 'ReplicationControllerSpec', status: 'ReplicationControllerStatus' },
  ReplicationControllerSpec: { template: 'PodTemplateSpec' },
  ReplicationControllerStatus: { conditions: keyed('ReplicationControllerCondition', 'type') },
  Service: { metadata: 'ObjectMeta', spec: 'ServiceSpec', status: 'ServiceStatus' },
  ServiceSpec: { ports: keyed('ServicePort', 'port') },
  ServiceStatus: { conditions: keyed('Condition', 'type') },
  ServiceAccount: { metadata: 'ObjectMeta', secrets: keyed('ObjectReference', 'name') },
  Node: { metadata: 'ObjectMeta', spec: 'NodeSpec', status: 'NodeStatus' },
  NodeSpec: { podCIDRs: primitiveSet },
  NodeStatus: { conditions: keyed('NodeCondition', 'type'), addresses: keyed('NodeAddress', 'type') },
  Namespace: { metadata: 'ObjectMeta', status: 'NamespaceStatus' },
  NamespaceStatus: { conditions: keyed('NamespaceCondition', 'type') },
  PersistentVolumeClaim: { metadata: 'ObjectMeta', status: 'PersistentVolumeClaimStatus' },
  PersistentVolumeClaimStatus: { conditions: keyed('PersistentVolumeClaimCondition', 'type') },
  ComponentStatus: { metadata: 'ObjectMeta', conditions: keyed('ComponentCondition', 'type') },
  Binding: metadataOnly,
  ConfigMap: metadataOnly,
  Endpoints: metadataOnly,
  Event: metadataOnly,
  LimitRange: metadataOnly,
  PersistentVolume: metadataOnly,
  ResourceQuota: metadataOnly,
  Secret: metadataOnly,
};

/** Core kinds by name (the core group is ''). */
export const coreKinds: readonly string[] = [
  'Binding',
  'ComponentStatus',
  'ConfigMap',
  'Endpoints',
  'Event',
  'LimitRange',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Pod',
  'PodTemplate',
  'ReplicationController',
  'ResourceQuota',
  'Secret',
  'Service',
  'ServiceAccount',
];

// Patch metadata of the kinds outside the core group, from upstream's struct
// tags at Kubernetes 1.32. Groups whose types carry no tags beyond ObjectMeta
// (networking, rbac, storage, scheduling, coordination, discovery, events,
// certificates) list their kinds as metadata-only. CertificateSigningRequest
// status.conditions is a list-map for server-side apply but has no patch
// strategy, so strategic merge replaces it whole, as upstream does.
import { metadataOnly } from './core.js';
import { keyed, type TypeTable } from './types.js';

export const appsTypes: TypeTable = {
  Deployment: { metadata: 'ObjectMeta', spec: 'DeploymentSpec', status: 'DeploymentStatus' },
  // Switching strategy.type must be able to drop rollingUpdate: the strategy object retains keys.
  DeploymentSpec: { template: 'PodTemplateSpec', strategy: { type: 'DeploymentStrategy', strategy: ['retainKeys'] } },
  DeploymentStatus: { conditions: keyed('DeploymentCondition', 'type') },
  ReplicaSet: { metadata: 'ObjectMeta', spec: 'ReplicaSetSpec', status: 'ReplicaSetStatus' },
  ReplicaSetSpec: { template: 'PodTemplateSpec' },
  ReplicaSetStatus: { conditions: keyed('ReplicaSetCondition', 'type') },
  DaemonSet: { metadata: 'ObjectMeta', spec: 'DaemonSetSpec', status: 'DaemonSetStatus' },
  DaemonSetSpec: { template: 'PodTemplateSpec' },
  DaemonSetStatus: { conditions: keyed('DaemonSetCondition', 'type') },
  StatefulSet: { metadata: 'ObjectMeta', spec: 'StatefulSetSpec', status: 'StatefulSetStatus' },
  // volumeClaimTemplates has no strategy: it is replaced whole.
  StatefulSetSpec: { template: 'PodTemplateSpec' },
  StatefulSetStatus: { conditions: keyed('StatefulSetCondition', 'type') },
  ControllerRevision: metadataOnly,
};

export const batchTypes: TypeTable = {
  Job: { metadata: 'ObjectMeta', spec: 'JobSpec', status: 'JobStatus' },
  JobSpec: { template: 'PodTemplateSpec' },
  JobStatus: { conditions: keyed('JobCondition', 'type') },
  CronJob: { metadata: 'ObjectMeta', spec: 'CronJobSpec' },
  CronJobSpec: { jobTemplate: 'JobTemplateSpec' },
  JobTemplateSpec: { metadata: 'ObjectMeta', spec: 'JobSpec' },
};

export const policyTypes: TypeTable = {
  PodDisruptionBudget: { metadata: 'ObjectMeta', spec: 'PodDisruptionBudgetSpec', status: 'PodDisruptionBudgetStatus' },
  // A patch to the selector replaces it whole rather than merging label by label.
  PodDisruptionBudgetSpec: { selector: { type: 'LabelSelector', strategy: ['replace'] } },
  PodDisruptionBudgetStatus: { conditions: keyed('Condition', 'type') },
};

export const autoscalingTypes: TypeTable = {
  // autoscaling/v2; v1's status has no conditions list, so one table serves both versions.
  HorizontalPodAutoscaler: { metadata: 'ObjectMeta', status: 'HorizontalPodAutoscalerStatus' },
  HorizontalPodAutoscalerStatus: { conditions: keyed('HorizontalPodAutoscalerCondition', 'type') },
  Scale: metadataOnly,
};

export const otherTypes: TypeTable = {
  // spec.versions has no strategy (replaced whole); status.conditions merge by type.
  CustomResourceDefinition: { metadata: 'ObjectMeta', status: 'CustomResourceDefinitionStatus' },
  CustomResourceDefinitionStatus: { conditions: keyed('CustomResourceDefinitionCondition', 'type') },
  CertificateSigningRequest: metadataOnly,
  ClusterRole: metadataOnly,
  ClusterRoleBinding: metadataOnly,
  EndpointSlice: metadataOnly,
  Ingress: metadataOnly,
  IngressClass: metadataOnly,
  Lease: metadataOnly,
  NetworkPolicy: metadataOnly,
  PriorityClass: metadataOnly,
  Role: metadataOnly,
  RoleBinding: metadataOnly,
  StorageClass: metadataOnly,
};

/** Kinds outside the core group, by group; each kind's root type has the kind's name. */
export const groupKinds: Readonly<Record<string, readonly string[]>> = {
  'apiextensions.k8s.io': ['CustomResourceDefinition'],
  apps: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'],
  autoscaling: ['HorizontalPodAutoscaler', 'Scale'],
  batch: ['CronJob', 'Job'],
  'certificates.k8s.io': ['CertificateSigningRequest'],
  'coordination.k8s.io': ['Lease'],
  'discovery.k8s.io': ['EndpointSlice'],
  'events.k8s.io': ['Event'],
  'networking.k8s.io': ['Ingress', 'IngressClass', 'NetworkPolicy'],
  policy: ['PodDisruptionBudget'],
  'rbac.authorization.k8s.io': ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'],
  'scheduling.k8s.io': ['PriorityClass'],
  'storage.k8s.io': ['StorageClass'],
};

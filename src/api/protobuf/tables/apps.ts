// Protobuf tables of apps/v1 Deployment. Each entry is named for the upstream Go
// type of k8s.io/api/apps/v1 at Kubernetes 1.32: field numbers and wire types
// from its generated.proto; JSON names, omitempty and pointers from the struct
// tags in its types.go.
import type { MessageTables } from '../schema.js';

export const appsV1: MessageTables = {
  Deployment: { metadata: '1 meta/v1.ObjectMeta', spec: '2 DeploymentSpec', status: '3 DeploymentStatus' },
  DeploymentCondition: {
    type: '1 string!',
    status: '2 string!',
    lastUpdateTime: '6 Time',
    lastTransitionTime: '7 Time',
    reason: '4 string',
    message: '5 string',
  },
  DeploymentSpec: {
    replicas: '1 *int32',
    selector: '2 meta/v1.LabelSelector',
    template: '3 core/v1.PodTemplateSpec',
    strategy: '4 DeploymentStrategy',
    minReadySeconds: '5 int32',
    revisionHistoryLimit: '6 *int32',
    paused: '7 bool',
    progressDeadlineSeconds: '9 *int32',
  },
  DeploymentStatus: {
    observedGeneration: '1 int64',
    replicas: '2 int32',
    updatedReplicas: '3 int32',
    readyReplicas: '7 int32',
    availableReplicas: '4 int32',
    unavailableReplicas: '5 int32',
    conditions: '6 []DeploymentCondition',
    collisionCount: '8 *int32',
  },
  DeploymentStrategy: { type: '1 string', rollingUpdate: '2 RollingUpdateDeployment' },
  RollingUpdateDeployment: { maxUnavailable: '1 *IntOrString', maxSurge: '2 *IntOrString' },
};

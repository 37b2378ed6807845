// apps/v1: the workload controllers.
import { count, defineGroupVersion, scaleSubresource, statusSubresource } from './define.js';

export const appsResources = defineGroupVersion('apps', 'v1', [
  { resource: 'controllerrevisions', kind: 'ControllerRevision', namespaced: true },
  { resource: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: [statusSubresource] },
  {
    resource: 'deployments',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [scaleSubresource, statusSubresource],
  },
  {
    resource: 'replicasets',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: [scaleSubresource, statusSubresource],
    selectableFields: { 'status.replicas': count('status.replicas') },
  },
  {
    resource: 'statefulsets',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    subresources: [scaleSubresource, statusSubresource],
  },
]);

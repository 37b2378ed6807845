// The core group (`/api/v1`), as a Kubernetes 1.32 server with default
// feature gates serves it. pods/resize is left out: 1.32 serves it only with
// the alpha InPlacePodVerticalScaling gate on.
import type { Verb } from '../registry/types.js';
import {
  connectVerbs,
  count,
  createOnly,
  defineGroupVersion,
  firstText,
  flag,
  proxyVerbs,
  readWrite,
  scaleSubresource,
  statusSubresource,
  text,
  type ResourceSpec,
} from './define.js';

/** Field selectors of core/v1 Events (upstream's event ToSelectableFields). */
const eventFields = {
  'involvedObject.kind': text('involvedObject.kind'),
  'involvedObject.namespace': text('involvedObject.namespace'),
  'involvedObject.name': text('involvedObject.name'),
  'involvedObject.uid': text('involvedObject.uid'),
  'involvedObject.apiVersion': text('involvedObject.apiVersion'),
  'involvedObject.resourceVersion': text('involvedObject.resourceVersion'),
  'involvedObject.fieldPath': text('involvedObject.fieldPath'),
  reason: text('reason'),
  reportingComponent: text('reportingComponent'),
  // Events written by newer reporters leave source empty; upstream then matches on the reporting controller.
  source: firstText('source.component', 'reportingComponent'),
  type: text('type'),
};

const podFields = {
  'spec.nodeName': text('spec.nodeName'),
  // Old clients still send spec.host; upstream converts it to spec.nodeName.
  'spec.host': text('spec.nodeName'),
  'spec.restartPolicy': text('spec.restartPolicy'),
  'spec.schedulerName': text('spec.schedulerName'),
  'spec.serviceAccountName': text('spec.serviceAccountName'),
  'spec.hostNetwork': flag('spec.hostNetwork'),
  'status.phase': text('status.phase'),
  // Upstream selects on the first of podIPs; podIP mirrors it for older writers.
  'status.podIP': firstText('status.podIPs.0.ip', 'status.podIP'),
  'status.nominatedNodeName': text('status.nominatedNodeName'),
};

const namespaceVerbs: readonly Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

const specs: ResourceSpec[] = [
  { resource: 'bindings', kind: 'Binding', namespaced: true, verbs: createOnly },
  { resource: 'componentstatuses', kind: 'ComponentStatus', namespaced: false, shortNames: ['cs'], verbs: ['get', 'list'] },
  { resource: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { resource: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'] },
  { resource: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'], selectableFields: eventFields },
  { resource: 'limitranges', kind: 'LimitRange', namespaced: true, shortNames: ['limits'] },
  {
    resource: 'namespaces',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    verbs: namespaceVerbs,
    subresources: [{ name: 'finalize', verbs: ['update'] }, statusSubresource],
    selectableFields: { 'status.phase': text('status.phase') },
  },
  {
    resource: 'nodes',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    subresources: [{ name: 'proxy', verbs: proxyVerbs, kind: 'NodeProxyOptions' }, statusSubresource],
    selectableFields: { 'spec.unschedulable': flag('spec.unschedulable') },
  },
  { resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true, shortNames: ['pvc'], subresources: [statusSubresource] },
  { resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'], subresources: [statusSubresource] },
  {
    resource: 'pods',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: [
      { name: 'attach', verbs: connectVerbs, kind: 'PodAttachOptions' },
      { name: 'binding', verbs: createOnly, kind: 'Binding' },
      { name: 'ephemeralcontainers', verbs: readWrite },
      { name: 'eviction', verbs: createOnly, kind: { group: 'policy', version: 'v1', kind: 'Eviction' } },
      { name: 'exec', verbs: connectVerbs, kind: 'PodExecOptions' },
      { name: 'log', verbs: ['get'] },
      { name: 'portforward', verbs: connectVerbs, kind: 'PodPortForwardOptions' },
      { name: 'proxy', verbs: proxyVerbs, kind: 'PodProxyOptions' },
      statusSubresource,
    ],
    selectableFields: podFields,
  },
  { resource: 'podtemplates', kind: 'PodTemplate', namespaced: true },
  {
    resource: 'replicationcontrollers',
    kind: 'ReplicationController',
    namespaced: true,
    shortNames: ['rc'],
    categories: ['all'],
    subresources: [scaleSubresource, statusSubresource],
    selectableFields: { 'status.replicas': count('status.replicas') },
  },
  { resource: 'resourcequotas', kind: 'ResourceQuota', namespaced: true, shortNames: ['quota'], subresources: [statusSubresource] },
  { resource: 'secrets', kind: 'Secret', namespaced: true, selectableFields: { type: text('type') } },
  {
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    namespaced: true,
    shortNames: ['sa'],
    subresources: [{ name: 'token', verbs: createOnly, kind: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' } }],
  },
  {
    resource: 'services',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    categories: ['all'],
    subresources: [{ name: 'proxy', verbs: proxyVerbs, kind: 'ServiceProxyOptions' }, statusSubresource],
    selectableFields: { 'spec.clusterIP': text('spec.clusterIP'), 'spec.type': text('spec.type') },
  },
];

export const coreResources = defineGroupVersion('', 'v1', specs);

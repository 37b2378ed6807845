// metrics.k8s.io/v1beta1: the resource metrics API (upstream: served by
// metrics-server through aggregation, listed last in discovery). Read-only
// views computed from kubelet samples, never stored.
import type { Verb } from '../registry/types.js';
import { defineGroupVersion } from './define.js';

const readOnly: readonly Verb[] = ['get', 'list'];

export const metricsResources = defineGroupVersion('metrics.k8s.io', 'v1beta1', [
  { resource: 'nodes', kind: 'NodeMetrics', namespaced: false, verbs: readOnly, stored: false },
  { resource: 'pods', kind: 'PodMetrics', namespaced: true, verbs: readOnly, stored: false },
]);

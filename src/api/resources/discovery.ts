// discovery.k8s.io/v1: endpoint slices.
import { defineGroupVersion } from './define.js';

export const discoveryResources = defineGroupVersion('discovery.k8s.io', 'v1', [
  { resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true },
]);

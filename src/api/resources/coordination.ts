// coordination.k8s.io/v1: leases (node heartbeats, leader election).
import { defineGroupVersion } from './define.js';

export const coordinationResources = defineGroupVersion('coordination.k8s.io', 'v1', [
  { resource: 'leases', kind: 'Lease', namespaced: true },
]);

// networking.k8s.io/v1: ingress and network policy.
import { defineGroupVersion, statusSubresource } from './define.js';

export const networkingResources = defineGroupVersion('networking.k8s.io', 'v1', [
  { resource: 'ingressclasses', kind: 'IngressClass', namespaced: false },
  { resource: 'ingresses', kind: 'Ingress', namespaced: true, shortNames: ['ing'], subresources: [statusSubresource] },
  { resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, shortNames: ['netpol'] },
]);

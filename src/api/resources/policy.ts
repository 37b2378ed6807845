// policy/v1: disruption budgets. (Eviction is a pods subresource, declared in core.)
import { defineGroupVersion, statusSubresource } from './define.js';

export const policyResources = defineGroupVersion('policy', 'v1', [
  { resource: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true, shortNames: ['pdb'], subresources: [statusSubresource] },
]);

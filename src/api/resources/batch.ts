// batch/v1: run-to-completion workloads.
import { count, defineGroupVersion, statusSubresource } from './define.js';

export const batchResources = defineGroupVersion('batch', 'v1', [
  { resource: 'cronjobs', kind: 'CronJob', namespaced: true, shortNames: ['cj'], categories: ['all'], subresources: [statusSubresource] },
  {
    resource: 'jobs',
    kind: 'Job',
    namespaced: true,
    categories: ['all'],
    subresources: [statusSubresource],
    // Upstream names the selector status.successful but reads status.succeeded.
    selectableFields: { 'status.successful': count('status.succeeded') },
  },
]);

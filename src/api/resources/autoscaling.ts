// autoscaling: HorizontalPodAutoscaler in v2 (preferred, listed first) and v1.
import { defineGroupVersion, statusSubresource, type ResourceSpec } from './define.js';

const hpa: ResourceSpec = {
  resource: 'horizontalpodautoscalers',
  kind: 'HorizontalPodAutoscaler',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: [statusSubresource],
};

export const autoscalingResources = [...defineGroupVersion('autoscaling', 'v2', [hpa]), ...defineGroupVersion('autoscaling', 'v1', [hpa])];

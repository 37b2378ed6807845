// scheduling.k8s.io/v1: pod priority classes.
import { defineGroupVersion } from './define.js';

export const schedulingResources = defineGroupVersion('scheduling.k8s.io', 'v1', [
  { resource: 'priorityclasses', kind: 'PriorityClass', namespaced: false, shortNames: ['pc'] },
]);

// storage.k8s.io/v1: storage classes.
import { defineGroupVersion } from './define.js';

export const storageResources = defineGroupVersion('storage.k8s.io', 'v1', [
  { resource: 'storageclasses', kind: 'StorageClass', namespaced: false, shortNames: ['sc'] },
]);

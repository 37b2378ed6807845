// apiextensions.k8s.io/v1: CustomResourceDefinitions, which declare the
// custom resources the API server serves alongside the built-in ones.
import { defineGroupVersion, statusSubresource } from './define.js';

export const apiextensionsResources = defineGroupVersion('apiextensions.k8s.io', 'v1', [
  {
    resource: 'customresourcedefinitions',
    kind: 'CustomResourceDefinition',
    namespaced: false,
    shortNames: ['crd', 'crds'],
    categories: ['api-extensions'],
    subresources: [statusSubresource],
  },
]);

// authentication.k8s.io/v1: reviews answered on create and never stored.
import { createOnly, defineGroupVersion } from './define.js';

export const authenticationResources = defineGroupVersion('authentication.k8s.io', 'v1', [
  { resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, verbs: createOnly, stored: false },
  { resource: 'tokenreviews', kind: 'TokenReview', namespaced: false, verbs: createOnly, stored: false },
]);

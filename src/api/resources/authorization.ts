// authorization.k8s.io/v1: access reviews answered on create and never stored.
import { createOnly, defineGroupVersion } from './define.js';

export const authorizationResources = defineGroupVersion('authorization.k8s.io', 'v1', [
  { resource: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', namespaced: true, verbs: createOnly, stored: false },
  { resource: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: createOnly, stored: false },
  { resource: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: createOnly, stored: false },
  { resource: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false, verbs: createOnly, stored: false },
]);

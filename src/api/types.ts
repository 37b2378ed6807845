// Typed API objects of the built-in kinds, one namespace per group-version
// (`corev1.Pod`, `appsv1.Deployment`). Only api/ imports the type package;
// every other folder takes its types from here.
export type * as admissionregistrationv1 from 'kubernetes-types/admissionregistration/v1.js';
export type * as appsv1 from 'kubernetes-types/apps/v1.js';
export type * as authenticationv1 from 'kubernetes-types/authentication/v1.js';
export type * as authorizationv1 from 'kubernetes-types/authorization/v1.js';
export type * as autoscalingv1 from 'kubernetes-types/autoscaling/v1.js';
export type * as autoscalingv2 from 'kubernetes-types/autoscaling/v2.js';
export type * as batchv1 from 'kubernetes-types/batch/v1.js';
export type * as certificatesv1 from 'kubernetes-types/certificates/v1.js';
export type * as coordinationv1 from 'kubernetes-types/coordination/v1.js';
export type * as corev1 from 'kubernetes-types/core/v1.js';
export type * as discoveryv1 from 'kubernetes-types/discovery/v1.js';
export type * as eventsv1 from 'kubernetes-types/events/v1.js';
export type * as metav1 from 'kubernetes-types/meta/v1.js';
export type * as networkingv1 from 'kubernetes-types/networking/v1.js';
export type * as policyv1 from 'kubernetes-types/policy/v1.js';
export type * as rbacv1 from 'kubernetes-types/rbac/v1.js';
export type * as schedulingv1 from 'kubernetes-types/scheduling/v1.js';
export type * as storagev1 from 'kubernetes-types/storage/v1.js';
export type { GroupVersionKind, GroupVersionResource, KubeObject, ListMeta, ObjectMeta, OwnerReference, StoredObject } from './object.js';
export { apiVersionOf } from './object.js';

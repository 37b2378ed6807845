// Table printers of the built-in kinds, filed by group-resource (`pods`,
// `deployments.apps`), with the column sets of Kubernetes 1.32. Roles,
// ClusterRoles and LimitRanges have no printer upstream either; they, and
// any kind missing here, get defaultPrinter's Name and Age.
import type { Printer } from '../registry/types.js';
import { horizontalPodAutoscalerPrinter } from './autoscaling.js';
import { cronJobPrinter, jobPrinter } from './batch.js';
import { certificateSigningRequestPrinter } from './certificates.js';
import { componentStatusPrinter, configMapPrinter, namespacePrinter, resourceQuotaPrinter, secretPrinter, serviceAccountPrinter } from './config.js';
import { eventPrinter, eventsV1EventPrinter } from './event.js';
import { leasePrinter } from './lease.js';
import { ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from './networking.js';
import { nodePrinter } from './node.js';
import { podPrinter } from './pod.js';
import { podDisruptionBudgetPrinter, priorityClassPrinter } from './policy.js';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac.js';
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from './service.js';
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage.js';
import {
  controllerRevisionPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  podTemplatePrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from './workloads.js';

export { defaultPrinter } from './default.js';
export { age, humanDuration, parseTimestamp, shortHumanDuration } from './age.js';

export const printers: Readonly<Record<string, Printer>> = {
  // core
  pods: podPrinter,
  podtemplates: podTemplatePrinter,
  replicationcontrollers: replicationControllerPrinter,
  services: servicePrinter,
  endpoints: endpointsPrinter,
  namespaces: namespacePrinter,
  nodes: nodePrinter,
  events: eventPrinter,
  secrets: secretPrinter,
  serviceaccounts: serviceAccountPrinter,
  configmaps: configMapPrinter,
  persistentvolumes: persistentVolumePrinter,
  persistentvolumeclaims: persistentVolumeClaimPrinter,
  resourcequotas: resourceQuotaPrinter,
  componentstatuses: componentStatusPrinter,
  // apps
  'replicasets.apps': replicaSetPrinter,
  'deployments.apps': deploymentPrinter,
  'statefulsets.apps': statefulSetPrinter,
  'daemonsets.apps': daemonSetPrinter,
  'controllerrevisions.apps': controllerRevisionPrinter,
  // batch
  'jobs.batch': jobPrinter,
  'cronjobs.batch': cronJobPrinter,
  // networking and discovery
  'endpointslices.discovery.k8s.io': endpointSlicePrinter,
  'ingresses.networking.k8s.io': ingressPrinter,
  'ingressclasses.networking.k8s.io': ingressClassPrinter,
  'networkpolicies.networking.k8s.io': networkPolicyPrinter,
  // cluster operation
  'events.events.k8s.io': eventsV1EventPrinter,
  'leases.coordination.k8s.io': leasePrinter,
  'storageclasses.storage.k8s.io': storageClassPrinter,
  'priorityclasses.scheduling.k8s.io': priorityClassPrinter,
  'poddisruptionbudgets.policy': podDisruptionBudgetPrinter,
  'horizontalpodautoscalers.autoscaling': horizontalPodAutoscalerPrinter,
  'rolebindings.rbac.authorization.k8s.io': roleBindingPrinter,
  'clusterrolebindings.rbac.authorization.k8s.io': clusterRoleBindingPrinter,
  'certificatesigningrequests.certificates.k8s.io': certificateSigningRequestPrinter,
};

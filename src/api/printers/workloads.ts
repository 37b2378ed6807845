// Pod-template owners: ReplicationControllers, ReplicaSets, Deployments,
// StatefulSets, DaemonSets, plus PodTemplates and ControllerRevisions.
// Counts are integer cells even where upstream declares the column as a
// string; desired replicas default to 1 as v1 defaulting sets them.
import type { appsv1, corev1 } from '../types.js';
import { age } from './age.js';
import { ageColumn, column, containersColumn, definePrinter, imagesColumn, nameColumn } from './columns.js';
import { containerCells, formatLabelSelector, formatLabels, kindName, selectorString } from './format.js';
import { int, list, optionalInt, text } from './read.js';

const selectorColumn = column('Selector', 'string', 'A label query over pods that are managed by this object.', true);

/** spec.replicas, or v1's default of 1 when unset. */
function desired(spec: { replicas?: number } | undefined): number {
  return optionalInt(spec?.replicas) ?? 1;
}

export const podTemplatePrinter = definePrinter<corev1.PodTemplate>(
  [
    nameColumn,
    column('Containers', 'string', 'Names of each container in the template.'),
    column('Images', 'string', 'Images referenced by each container in the template.'),
    column('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  (obj) => [text(obj.metadata?.name), ...containerCells(obj.template?.spec?.containers), formatLabels(obj.template?.metadata?.labels)],
);

const replicaCountColumns = [
  nameColumn,
  column('Desired', 'integer', 'Number of pods the controller aims to run.'),
  column('Current', 'integer', 'Number of pods the controller has created.'),
  column('Ready', 'integer', 'Number of pods that are ready.'),
  ageColumn,
  containersColumn,
  imagesColumn,
  selectorColumn,
];

export const replicationControllerPrinter = definePrinter<corev1.ReplicationController>(replicaCountColumns, (obj, now) => [
  text(obj.metadata?.name),
  desired(obj.spec),
  int(obj.status?.replicas),
  int(obj.status?.readyReplicas),
  age(obj.metadata?.creationTimestamp, now),
  ...containerCells(obj.spec?.template?.spec?.containers),
  formatLabels(obj.spec?.selector),
]);

export const replicaSetPrinter = definePrinter<appsv1.ReplicaSet>(replicaCountColumns, (obj, now) => [
  text(obj.metadata?.name),
  desired(obj.spec),
  int(obj.status?.replicas),
  int(obj.status?.readyReplicas),
  age(obj.metadata?.creationTimestamp, now),
  ...containerCells(obj.spec?.template?.spec?.containers),
  formatLabelSelector(obj.spec?.selector),
]);

export const deploymentPrinter = definePrinter<appsv1.Deployment>(
  [
    nameColumn,
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  (obj, now) => [
    text(obj.metadata?.name),
    `${int(obj.status?.readyReplicas)}/${desired(obj.spec)}`,
    int(obj.status?.updatedReplicas),
    int(obj.status?.availableReplicas),
    age(obj.metadata?.creationTimestamp, now),
    ...containerCells(obj.spec?.template?.spec?.containers),
    // Upstream prints the bare selector here: empty, not <none>, when unset.
    selectorString(obj.spec?.selector) ?? '<invalid>',
  ],
);

export const statefulSetPrinter = definePrinter<appsv1.StatefulSet>(
  [nameColumn, column('Ready', 'string', 'Number of the pod with ready state'), ageColumn, containersColumn, imagesColumn],
  (obj, now) => [
    text(obj.metadata?.name),
    `${int(obj.status?.readyReplicas)}/${desired(obj.spec)}`,
    age(obj.metadata?.creationTimestamp, now),
    ...containerCells(obj.spec?.template?.spec?.containers),
  ],
);

export const daemonSetPrinter = definePrinter<appsv1.DaemonSet>(
  [
    nameColumn,
    column('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    column('Current', 'integer', 'The number of nodes running at least one daemon pod and that are supposed to.'),
    column('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have it running and ready.'),
    column('Up-to-date', 'integer', 'The total number of nodes that are running the updated daemon pod.'),
    column('Available', 'integer', 'The number of nodes that should be running the daemon pod and have it available.'),
    column('Node Selector', 'string', 'The node labels a node must have for the daemon pod to run on it.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  (obj, now) => [
    text(obj.metadata?.name),
    int(obj.status?.desiredNumberScheduled),
    int(obj.status?.currentNumberScheduled),
    int(obj.status?.numberReady),
    int(obj.status?.updatedNumberScheduled),
    int(obj.status?.numberAvailable),
    formatLabels(obj.spec?.template?.spec?.nodeSelector),
    age(obj.metadata?.creationTimestamp, now),
    ...containerCells(obj.spec?.template?.spec?.containers),
    formatLabelSelector(obj.spec?.selector),
  ],
);

/** The owner reference marked controller, as `kind.group/name`; `<none>` without one. */
function controllerOf(obj: appsv1.ControllerRevision): string {
  const ref = list(obj.metadata?.ownerReferences).find((r) => r?.controller === true);
  if (!ref) return '<none>';
  const apiVersion = text(ref.apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return kindName(text(ref.kind), group, text(ref.name));
}

export const controllerRevisionPrinter = definePrinter<appsv1.ControllerRevision>(
  [
    nameColumn,
    column('Controller', 'string', 'Controller of the object'),
    column('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn,
  ],
  (obj, now) => [text(obj.metadata?.name), controllerOf(obj), int(obj.revision), age(obj.metadata?.creationTimestamp, now)],
);

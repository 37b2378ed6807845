// Every controller this process can run: how each is built from the shared
// context, with upstream's default worker counts, and the resources the
// garbage collector tracks. Adding a controller is one file with the usual
// shape and one entry in `controllerDescriptors`.
import type { appsv1, batchv1, coordinationv1, corev1, discoveryv1, policyv1, storagev1 } from '../api/types.js';
import { builtinRefs, EventRecorder, LeaderElector, SharedInformerFactory, type Client, type LeaderElectionOptions, type ObjectLike, type ResourceRef } from '../client/index.js';
import type { Logger } from '../log/logger.js';
import type { Controller, Lister } from './controller.js';
import { CronJobController, cronJobsRef } from './cronjob.js';
import { DaemonSetController, daemonSetsRef } from './daemonset.js';
import { controllerRevisionsRef } from './daemonset-history.js';
import { DeploymentController } from './deployment.js';
import { DisruptionController, podDisruptionBudgetsRef } from './disruption.js';
import { EndpointsController } from './endpoints.js';
import { EndpointSliceController, endpointSlicesRef } from './endpointslice.js';
import { GarbageCollector, type TrackedResource } from './garbagecollector.js';
import { customResourceDefinitionsRef, followCustomResources, type CustomResourceDefinitionLike } from './garbagecollector-custom.js';
import { HorizontalPodAutoscalerController, horizontalPodAutoscalersRef as hpasRef } from './horizontalpodautoscaler.js';
import { JobController, jobsRef } from './job.js';
import { LocalPathProvisioner } from './localpath.js';
import { NamespaceController } from './namespace.js';
import { NodeLifecycleController, type NodeLifecycleControllerOptions } from './nodelifecycle.js';
import { TaintEvictionController } from './nodelifecycle-eviction.js';
import { PodGCController, type PodGCControllerOptions } from './podgc.js';
import { PersistentVolumeController, persistentVolumesRef, storageClassesRef, persistentVolumeClaimsRef as claimsRef } from './persistentvolume.js';
import { ReplicaSetController } from './replicaset.js';
import { ReplicationControllerController, replicationControllersRef } from './replicationcontroller.js';
import { ResourceQuotaController, resourceQuotasRef } from './resourcequota.js';
import { ServiceAccountController } from './serviceaccount.js';
import { ServiceLBController } from './servicelb.js';
import { StatefulSetController, statefulSetsRef } from './statefulset.js';

export interface ControllerContext {
  client: Client;
  informers: SharedInformerFactory;
  /**
   * The shared informer for `ref` as a Lister whose event handlers are
   * removed when this run of the controllers ends (leadership lost).
   */
  lister<T extends ObjectLike>(ref: ResourceRef): Lister<T>;
  logger: Logger;
  /** An event recorder whose source component is `component`. */
  recorder(component: string): EventRecorder;
  /** Timings and thresholds upstream takes as kube-controller-manager flags. */
  tunables: ControllerTunables;
  /** Where the local-path provisioner puts volumes (`<data-dir>/storage`). */
  storageDir?: string;
}

/** Upstream's node-monitor-grace-period, node-monitor-period, terminated-pod-gc-threshold and pod GC timings (tests shorten them). */
export interface ControllerTunables {
  nodeLifecycle?: Pick<NodeLifecycleControllerOptions, 'gracePeriodMs' | 'monitorPeriodMs'>;
  podGC?: Pick<PodGCControllerOptions, 'terminatedPodThreshold' | 'periodMs' | 'quarantineMs'>;
}

export interface ControllerDescriptor {
  name: string;
  workers: number;
  build(ctx: ControllerContext): Controller;
}

/** The resources the garbage collector watches, with their kinds. */
const gcResources = [
  [builtinRefs.pods, 'Pod'],
  [builtinRefs.replicaSets, 'ReplicaSet'],
  [builtinRefs.deployments, 'Deployment'],
  [builtinRefs.configMaps, 'ConfigMap'],
  [builtinRefs.secrets, 'Secret'],
  [builtinRefs.services, 'Service'],
  [builtinRefs.serviceAccounts, 'ServiceAccount'],
  [daemonSetsRef, 'DaemonSet'],
  [controllerRevisionsRef, 'ControllerRevision'],
  [endpointSlicesRef, 'EndpointSlice'],
  [jobsRef, 'Job'],
  [replicationControllersRef, 'ReplicationController'],
  [cronJobsRef, 'CronJob'],
  [statefulSetsRef, 'StatefulSet'],
  [claimsRef, 'PersistentVolumeClaim'],
] as const;

/** Every controller this process can run, with upstream's default worker counts. */
export const controllerDescriptors: readonly ControllerDescriptor[] = [
  {
    name: 'replicaset',
    workers: 5,
    build: (ctx) =>
      new ReplicaSetController({
        client: ctx.client,
        pods: ctx.lister<corev1.Pod>(builtinRefs.pods),
        replicaSets: ctx.lister<appsv1.ReplicaSet>(builtinRefs.replicaSets),
        recorder: ctx.recorder('replicaset-controller'),
        logger: ctx.logger.child('replicaset-controller'),
      }),
  },
  {
    name: 'replicationcontroller',
    workers: 5,
    build: (ctx) =>
      new ReplicationControllerController({
        client: ctx.client,
        pods: ctx.lister<corev1.Pod>(builtinRefs.pods),
        replicationControllers: ctx.lister<corev1.ReplicationController>(replicationControllersRef),
        recorder: ctx.recorder('replication-controller'),
        logger: ctx.logger.child('replication-controller'),
      }),
  },
  {
    name: 'nodelifecycle',
    workers: 1,
    build: (ctx) =>
      new NodeLifecycleController({
        client: ctx.client,
        nodes: ctx.lister<corev1.Node>(builtinRefs.nodes),
        leases: ctx.lister<coordinationv1.Lease>(builtinRefs.leases),
        pods: ctx.lister<corev1.Pod>(builtinRefs.pods),
        recorder: ctx.recorder('node-controller'),
        logger: ctx.logger.child('node-lifecycle-controller'),
        ...ctx.tunables.nodeLifecycle,
      }),
  },
  {
    name: 'taint-eviction-controller',
    workers: 8,
    build: (ctx) =>
      new TaintEvictionController({
        client: ctx.client,
        nodes: ctx.lister<corev1.Node>(builtinRefs.nodes),
        pods: ctx.lister<corev1.Pod>(builtinRefs.pods),
        recorder: ctx.recorder('taint-eviction-controller'),
        logger: ctx.logger.child('taint-eviction-controller'),
      }),
  },
  {
    name: 'podgc',
    workers: 1,
    build: (ctx) =>
      new PodGCController({
        client: ctx.client,
        pods: ctx.lister<corev1.Pod>(builtinRefs.pods),
        nodes: ctx.lister<corev1.Node>(builtinRefs.nodes),
        logger: ctx.logger.child('pod-garbage-collector'),
        ...ctx.tunables.podGC,
      }),
  },
  {
    name: 'deployment',
    workers: 5,
    build: (ctx) =>
      new DeploymentController({
        client: ctx.client,
        deployments: ctx.lister<appsv1.Deployment>(builtinRefs.deployments),
        replicaSets: ctx.lister<appsv1.ReplicaSet>(builtinRefs.replicaSets),
        pods: ctx.lister<corev1.Pod>(builtinRefs.pods),
        recorder: ctx.recorder('deployment-controller'),
        logger: ctx.logger.child('deployment-controller'),
      }),
  },
  {
    name: 'job',
    workers: 5,
    build: (ctx) =>
      new JobController({
        client: ctx.client,
        jobs: ctx.lister<batchv1.Job>(jobsRef),
        pods: ctx.lister<corev1.Pod>(builtinRefs.pods),
        recorder: ctx.recorder('job-controller'),
        logger: ctx.logger.child('job-controller'),
      }),
  },
  {
    name: 'cronjob',
    workers: 5,
    build: (ctx) =>
      new CronJobController({
        client: ctx.client,
        cronJobs: ctx.lister<batchv1.CronJob>(cronJobsRef),
        jobs: ctx.lister<batchv1.Job>(jobsRef),
        recorder: ctx.recorder('cronjob-controller'),
        logger: ctx.logger.child('cronjob-controller'),
      }),
  },
  {
    name: 'garbagecollector',
    workers: 20,
    build: (ctx) => {
      const gc = new GarbageCollector({
        client: ctx.client,
        resources: gcResources.map(([ref, kind]): TrackedResource => ({ ref, kind, lister: ctx.lister<ObjectLike>(ref) })),
        logger: ctx.logger.child('garbage-collector'),
      });
      followCustomResources(gc, {
        definitions: ctx.lister<CustomResourceDefinitionLike>(customResourceDefinitionsRef),
        lister: (ref) => ctx.lister<ObjectLike>(ref),
        release: (ref) => ctx.informers.release(ref),
      });
      return gc;
    },
  },
  {
    name: 'namespace',
    workers: 5,
    build: (ctx) =>
      new NamespaceController({
        client: ctx.client,
        namespaces: ctx.lister<corev1.Namespace>(builtinRefs.namespaces),
        logger: ctx.logger.child('namespace-controller'),
      }),
  },
  {
    name: 'serviceaccount',
    workers: 1,
    build: (ctx) =>
      new ServiceAccountController({
        client: ctx.client,
        namespaces: ctx.lister<corev1.Namespace>(builtinRefs.namespaces),
        serviceAccounts: ctx.lister<corev1.ServiceAccount>(builtinRefs.serviceAccounts),
        logger: ctx.logger.child('serviceaccount-controller'),
      }),
  },
  {
    name: 'endpoints',
    workers: 5,
    build: (ctx) =>
      new EndpointsController({
        client: ctx.client,
        services: ctx.lister<corev1.Service>(builtinRefs.services),
        pods: ctx.lister<corev1.Pod>(builtinRefs.pods),
        endpoints: ctx.lister<corev1.Endpoints>(builtinRefs.endpoints),
        logger: ctx.logger.child('endpoints-controller'),
      }),
  },
  {
    name: 'endpointslice',
    workers: 5,
    build: (ctx) =>
      new EndpointSliceController({
        client: ctx.client,
        services: ctx.lister<corev1.Service>(builtinRefs.services),
        pods: ctx.lister<corev1.Pod>(builtinRefs.pods),
        slices: ctx.lister<discoveryv1.EndpointSlice>(endpointSlicesRef),
        nodes: ctx.lister<corev1.Node>(builtinRefs.nodes),
        logger: ctx.logger.child('endpointslice-controller'),
      }),
  },
  {
    name: 'servicelb',
    workers: 1,
    build: (ctx) =>
      new ServiceLBController({
        client: ctx.client,
        services: ctx.lister<corev1.Service>(builtinRefs.services),
        nodes: ctx.lister<corev1.Node>(builtinRefs.nodes),
        logger: ctx.logger.child('servicelb-controller'),
      }),
  },
  {
    name: 'daemonset',
    workers: 2,
    build: (ctx) =>
      new DaemonSetController({
        client: ctx.client,
        daemonSets: ctx.lister<appsv1.DaemonSet>(daemonSetsRef),
        pods: ctx.lister<corev1.Pod>(builtinRefs.pods),
        nodes: ctx.lister<corev1.Node>(builtinRefs.nodes),
        revisions: ctx.lister<appsv1.ControllerRevision>(controllerRevisionsRef),
        recorder: ctx.recorder('daemonset-controller'),
        logger: ctx.logger.child('daemonset-controller'),
      }),
  },
  {
    name: 'statefulset',
    workers: 5,
    build: (ctx) =>
      new StatefulSetController({
        client: ctx.client,
        statefulSets: ctx.lister<appsv1.StatefulSet>(statefulSetsRef),
        pods: ctx.lister<corev1.Pod>(builtinRefs.pods),
        revisions: ctx.lister<appsv1.ControllerRevision>(controllerRevisionsRef),
        claims: ctx.lister<corev1.PersistentVolumeClaim>(claimsRef),
        recorder: ctx.recorder('statefulset-controller'),
        logger: ctx.logger.child('statefulset-controller'),
      }),
  },
  {
    name: 'horizontalpodautoscaling',
    workers: 5,
    build: (ctx) =>
      new HorizontalPodAutoscalerController({
        client: ctx.client,
        hpas: ctx.lister(hpasRef),
        pods: ctx.lister<corev1.Pod>(builtinRefs.pods),
        recorder: ctx.recorder('horizontal-pod-autoscaler'),
        logger: ctx.logger.child('horizontal-pod-autoscaler'),
      }),
  },
  {
    name: 'disruption',
    workers: 1,
    build: (ctx) =>
      new DisruptionController({
        client: ctx.client,
        budgets: ctx.lister<policyv1.PodDisruptionBudget>(podDisruptionBudgetsRef),
        pods: ctx.lister<corev1.Pod>(builtinRefs.pods),
        recorder: ctx.recorder('controllermanager'),
        logger: ctx.logger.child('disruption-controller'),
      }),
  },
  {
    name: 'resourcequota',
    workers: 5,
    build: (ctx) =>
      new ResourceQuotaController({
        client: ctx.client,
        quotas: ctx.lister<corev1.ResourceQuota>(resourceQuotasRef),
        watched: (
          [
            ['pods', builtinRefs.pods],
            ['services', builtinRefs.services],
            ['configmaps', builtinRefs.configMaps],
            ['secrets', builtinRefs.secrets],
            ['persistentvolumeclaims', claimsRef],
          ] as const
        ).map(([gr, ref]) => ({ gr, lister: ctx.lister<ObjectLike>(ref) })),
        logger: ctx.logger.child('resourcequota-controller'),
      }),
  },
  {
    name: 'persistentvolume-binder',
    workers: 1,
    build: (ctx) =>
      new PersistentVolumeController({
        client: ctx.client,
        claims: ctx.lister<corev1.PersistentVolumeClaim>(claimsRef),
        volumes: ctx.lister<corev1.PersistentVolume>(persistentVolumesRef),
        classes: ctx.lister<storagev1.StorageClass>(storageClassesRef),
        recorder: ctx.recorder('persistentvolume-controller'),
        logger: ctx.logger.child('persistentvolume-binder-controller'),
      }),
  },
  {
    name: 'local-path-provisioner',
    workers: 1,
    build: (ctx) =>
      new LocalPathProvisioner({
        client: ctx.client,
        claims: ctx.lister<corev1.PersistentVolumeClaim>(claimsRef),
        volumes: ctx.lister<corev1.PersistentVolume>(persistentVolumesRef),
        classes: ctx.lister<storagev1.StorageClass>(storageClassesRef),
        nodes: ctx.lister<corev1.Node>(builtinRefs.nodes),
        ...(ctx.storageDir ? { storageDir: ctx.storageDir } : {}),
        recorder: ctx.recorder('rancher.io/local-path'),
        logger: ctx.logger.child('local-path-provisioner'),
      }),
  },
];

// The public API of controllers/: the manager the server starts, and the
// controllers themselves for tests and composition.
export { leaseName, startControllers, type ControllerManagerOptions, type RunningControllers } from './manager.js';
export { controllerDescriptors, type ControllerContext, type ControllerDescriptor, type ControllerTunables } from './descriptors.js';
export type { Controller, Lister } from './controller.js';
export { DeploymentController, type DeploymentControllerOptions } from './deployment.js';
export { GarbageCollector, type GarbageCollectorOptions, type TrackedResource } from './garbagecollector.js';
export { NamespaceController, namespaceFinalizer, type NamespaceControllerOptions } from './namespace.js';
export { podFromTemplate, ReplicaSetController, type ReplicaSetControllerOptions } from './replicaset.js';
export { ServiceAccountController, type ServiceAccountControllerOptions } from './serviceaccount.js';
export { CronJobController, cronJobsRef } from './cronjob.js';
export { DaemonSetController, daemonSetsRef } from './daemonset.js';
export { EndpointsController } from './endpoints.js';
export { EndpointSliceController, endpointSlicesRef } from './endpointslice.js';
export { JobController, jobsRef } from './job.js';
export { LocalPathProvisioner, localPathCleanupFinalizer, localPathProvisioner } from './localpath.js';
export { PersistentVolumeController, persistentVolumesRef, storageClassesRef } from './persistentvolume.js';
export { NodeLifecycleController, nodeLifecycleDefaults, type NodeLifecycleControllerOptions } from './nodelifecycle.js';
export { TaintEvictionController, type TaintEvictionControllerOptions } from './nodelifecycle-eviction.js';
export { PodGCController, podGCDefaults, type PodGCControllerOptions } from './podgc.js';
export { ReplicationControllerController, replicationControllersRef, type ReplicationControllerOptions } from './replicationcontroller.js';

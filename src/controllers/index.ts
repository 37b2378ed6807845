// The public API of controllers/: the manager the server starts, and the
// controllers themselves for tests and composition.
export { controllerDescriptors, leaseName, startControllers, type ControllerContext, type ControllerDescriptor, type ControllerManagerOptions, type RunningControllers } from './manager.js';
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

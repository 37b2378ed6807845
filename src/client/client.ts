// The typed client: one ResourceClient per resource over a Transport, with
// accessors for the resources the cluster's own components use most.
import type { appsv1, coordinationv1, corev1 } from '../api/types.js';
import type { ResourceRef } from './paths.js';
import { ResourceClient, type ObjectLike } from './resource.js';
import type { Transport } from './transport.js';

/** Resource references of the built-in kinds the accessors serve. */
export const builtinRefs = {
  pods: { group: '', version: 'v1', resource: 'pods', namespaced: true },
  nodes: { group: '', version: 'v1', resource: 'nodes', namespaced: false },
  namespaces: { group: '', version: 'v1', resource: 'namespaces', namespaced: false },
  configMaps: { group: '', version: 'v1', resource: 'configmaps', namespaced: true },
  secrets: { group: '', version: 'v1', resource: 'secrets', namespaced: true },
  services: { group: '', version: 'v1', resource: 'services', namespaced: true },
  endpoints: { group: '', version: 'v1', resource: 'endpoints', namespaced: true },
  serviceAccounts: { group: '', version: 'v1', resource: 'serviceaccounts', namespaced: true },
  events: { group: '', version: 'v1', resource: 'events', namespaced: true },
  deployments: { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true },
  replicaSets: { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true },
  leases: { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespaced: true },
} as const satisfies Record<string, ResourceRef>;

export class Client {
  readonly pods: ResourceClient<corev1.Pod>;
  readonly nodes: ResourceClient<corev1.Node>;
  readonly namespaces: ResourceClient<corev1.Namespace>;
  readonly configMaps: ResourceClient<corev1.ConfigMap>;
  readonly secrets: ResourceClient<corev1.Secret>;
  readonly services: ResourceClient<corev1.Service>;
  readonly endpoints: ResourceClient<corev1.Endpoints>;
  readonly serviceAccounts: ResourceClient<corev1.ServiceAccount>;
  readonly events: ResourceClient<corev1.Event>;
  readonly deployments: ResourceClient<appsv1.Deployment>;
  readonly replicaSets: ResourceClient<appsv1.ReplicaSet>;
  readonly leases: ResourceClient<coordinationv1.Lease>;

  constructor(readonly transport: Transport) {
    this.pods = this.resource(builtinRefs.pods);
    this.nodes = this.resource(builtinRefs.nodes);
    this.namespaces = this.resource(builtinRefs.namespaces);
    this.configMaps = this.resource(builtinRefs.configMaps);
    this.secrets = this.resource(builtinRefs.secrets);
    this.services = this.resource(builtinRefs.services);
    this.endpoints = this.resource(builtinRefs.endpoints);
    this.serviceAccounts = this.resource(builtinRefs.serviceAccounts);
    this.events = this.resource(builtinRefs.events);
    this.deployments = this.resource(builtinRefs.deployments);
    this.replicaSets = this.resource(builtinRefs.replicaSets);
    this.leases = this.resource(builtinRefs.leases);
  }

  /** A client for any resource; `T` is the caller's promise about the objects' shape. */
  resource<T extends ObjectLike>(ref: ResourceRef): ResourceClient<T> {
    return new ResourceClient<T>(this.transport, ref);
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

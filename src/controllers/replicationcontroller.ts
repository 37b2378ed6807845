// The ReplicationController controller: the ReplicaSet controller's logic
// (replicas.ts) for the core/v1 kind, whose selector is a plain label map.
// An empty selector selects nothing here (the API server defaults it from
// the template's labels, so only a broken object has none).
import type { corev1 } from '../api/types.js';
import type { Client, ResourceRef } from '../client/index.js';
import { labelSelectorFromObject, labelSelectorFromSet } from '../machinery/index.js';
import type { Lister } from './controller.js';
import { ReplicaManager, type ReplicaControllerOptions, type ReplicaKind } from './replicas.js';

type ReplicationController = corev1.ReplicationController;

export const replicationControllersRef: ResourceRef = { group: '', version: 'v1', resource: 'replicationcontrollers', namespaced: true };

export interface ReplicationControllerOptions extends Omit<ReplicaControllerOptions<ReplicationController>, 'owners'> {
  replicationControllers: Lister<ReplicationController>;
}

export const replicationControllerKind: ReplicaKind<ReplicationController> = {
  name: 'replicationcontroller',
  apiVersion: 'v1',
  kind: 'ReplicationController',
  resource: (client: Client) => client.resource<ReplicationController>(replicationControllersRef),
  selector: (rc) => {
    const selector = rc.spec?.selector ?? {};
    return Object.keys(selector).length === 0 ? labelSelectorFromObject(null) : labelSelectorFromSet(selector);
  },
};

export class ReplicationControllerController extends ReplicaManager<ReplicationController> {
  constructor(opts: ReplicationControllerOptions) {
    const { replicationControllers, ...rest } = opts;
    super(replicationControllerKind, { ...rest, owners: replicationControllers });
  }
}

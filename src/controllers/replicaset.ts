// The ReplicaSet controller: keeps `spec.replicas` active pods matching the
// label selector, owned by the ReplicaSet (the shared logic is replicas.ts).
import type { appsv1, corev1 } from '../api/types.js';
import { builtinRefs, type Client } from '../client/index.js';
import { labelSelectorFromObject } from '../machinery/index.js';
import type { Lister } from './controller.js';
import { podFromTemplate as templatePod, ReplicaManager, type ReplicaControllerOptions, type ReplicaKind } from './replicas.js';

type ReplicaSet = appsv1.ReplicaSet;

export interface ReplicaSetControllerOptions extends Omit<ReplicaControllerOptions<ReplicaSet>, 'owners'> {
  replicaSets: Lister<ReplicaSet>;
}

export const replicaSetKind: ReplicaKind<ReplicaSet> = {
  name: 'replicaset',
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  resource: (client: Client) => client.resource<ReplicaSet>(builtinRefs.replicaSets),
  selector: (rs) => labelSelectorFromObject(rs.spec?.selector),
};

export class ReplicaSetController extends ReplicaManager<ReplicaSet> {
  constructor(opts: ReplicaSetControllerOptions) {
    const { replicaSets, ...rest } = opts;
    super(replicaSetKind, { ...rest, owners: replicaSets });
  }
}

/** The pod a ReplicaSet creates: its template, named `<rs>-<5 random>` by the server, controlled by it. */
export function podFromTemplate(rs: ReplicaSet): corev1.Pod {
  return templatePod(rs, replicaSetKind);
}

// How many pods a PodDisruptionBudget expects when it is written as a
// percentage or as maxUnavailable: the sum of the scales of the
// controllers owning its pods (a ReplicaSet owned by a Deployment counts
// as the Deployment). Pods no controller owns are reported as unmanaged.
import type { corev1 } from '../api/types.js';
import type { Client, ResourceRef } from '../client/index.js';
import { isNotFound } from '../machinery/index.js';
import { controllerRefOf } from './ownership.js';

const scaled: Readonly<Record<string, ResourceRef>> = {
  'apps/ReplicaSet': { group: 'apps', version: 'v1', resource: 'replicasets', namespaced: true },
  'apps/Deployment': { group: 'apps', version: 'v1', resource: 'deployments', namespaced: true },
  'apps/StatefulSet': { group: 'apps', version: 'v1', resource: 'statefulsets', namespaced: true },
  '/ReplicationController': { group: '', version: 'v1', resource: 'replicationcontrollers', namespaced: true },
};

interface Scalable {
  metadata?: { uid?: string; ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[] };
  spec?: { replicas?: number };
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
}

export interface ExpectedScale {
  expected: number;
  unmanaged: string[];
}

/** Sums the scale of each distinct controller of `pods`; throws when a controller cannot be found. */
export async function expectedScale(client: Client, namespace: string, pods: readonly corev1.Pod[]): Promise<ExpectedScale> {
  const counted = new Set<string>();
  const unmanaged: string[] = [];
  let expected = 0;
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    if (!ref) {
      unmanaged.push(pod.metadata?.name ?? '');
      continue;
    }
    if (counted.has(ref.uid)) continue;
    let owner = await fetchOwner(client, namespace, ref);
    // A ReplicaSet run by a Deployment scales with the Deployment.
    const parent = owner && ref.kind === 'ReplicaSet' ? owner.metadata?.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment') : undefined;
    if (parent) {
      owner = await fetchOwner(client, namespace, parent);
      if (counted.has(parent.uid)) {
        counted.add(ref.uid);
        continue;
      }
      counted.add(parent.uid);
    }
    if (!owner) throw new Error(`found no controllers for pod "${pod.metadata?.name ?? ''}"`);
    counted.add(ref.uid);
    expected += owner.spec?.replicas ?? 0;
  }
  return { expected, unmanaged };
}

async function fetchOwner(client: Client, namespace: string, ref: { apiVersion: string; kind: string; name: string; uid: string }): Promise<Scalable | undefined> {
  const resource = scaled[`${groupOf(ref.apiVersion)}/${ref.kind}`];
  if (!resource) return undefined;
  try {
    const owner = await client.resource<Scalable>(resource).get(ref.name, namespace);
    return owner.metadata?.uid === ref.uid ? owner : undefined;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

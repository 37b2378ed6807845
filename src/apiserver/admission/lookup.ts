// Reads plugins need: the objects of another resource, straight from the
// store (a consistent read, like the informer-less paths upstream takes on
// a cache miss).
import type { StoredObject } from '../../api/types.js';
import { decodeObject } from '../storage/codec.js';
import { listPrefix, objectKey, type ResourceKeyspace } from '../storage/keys.js';
import type { Current, ObjectStore } from '../storage/store.js';

export const keyspaces = {
  limitRanges: { group: '', resource: 'limitranges', namespaced: true },
  resourceQuotas: { group: '', resource: 'resourcequotas', namespaced: true },
  priorityClasses: { group: 'scheduling.k8s.io', resource: 'priorityclasses', namespaced: false },
  podDisruptionBudgets: { group: 'policy', resource: 'poddisruptionbudgets', namespaced: true },
  pods: { group: '', resource: 'pods', namespaced: true },
} as const satisfies Record<string, ResourceKeyspace>;

/** Every object of a resource in a namespace ('' for cluster-scoped), with its mod revision. */
export async function listStored(store: ObjectStore, space: ResourceKeyspace, namespace: string): Promise<Current[]> {
  const page = await store.page({ prefix: listPrefix(space, namespace), limit: 0, revision: 0 });
  return page.items.map(({ kv }) => ({ obj: decodeObject(kv), modRevision: kv.modRevision }));
}

export async function getStored(store: ObjectStore, space: ResourceKeyspace, namespace: string, name: string): Promise<StoredObject | undefined> {
  return (await store.get(objectKey(space, namespace, name)))?.obj;
}

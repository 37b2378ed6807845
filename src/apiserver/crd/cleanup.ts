// Deletes every object of a custom resource, as upstream's CRD finalizer
// does before letting the CRD go. Objects are removed from the store
// directly: the kind stops being served first, so nothing new appears.
import type { ObjectStore } from '../storage/store.js';
import { resourcePrefix } from '../storage/keys.js';

/** Deletes all objects under the resource's prefix; returns how many were deleted. */
export async function deleteAllObjects(store: ObjectStore, group: string, resource: string): Promise<number> {
  const prefix = resourcePrefix({ group, resource, namespaced: false });
  let deleted = 0;
  for (;;) {
    const page = await store.page({ prefix, limit: 500, revision: 0 });
    if (page.items.length === 0) return deleted;
    for (const { key, kv } of page.items) {
      const out = await store.delete(key, kv.modRevision);
      if (out.ok) deleted++;
    }
  }
}

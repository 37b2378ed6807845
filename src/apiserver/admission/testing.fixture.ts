// Test doubles for admission plugins: a context over a memory store
// preloaded with objects, and attributes for a write.
import type { StoredObject } from '../../api/types.js';
import { openMemoryBackend } from '../../store/memory/index.js';
import type { ResourceContext } from '../rest/context.js';
import { objectKey, type ResourceKeyspace } from '../storage/keys.js';
import { ObjectStore } from '../storage/store.js';
import { QuotaCache } from './quotacache.js';
import type { AdmissionPlugin, Attributes } from './types.js';

export const testNow = new Date('2026-01-02T03:04:05Z');

/** The parts of a resource context plugins use: the store, the quota cache and the clock. */
export async function admissionContext(objects: ReadonlyArray<[ResourceKeyspace, StoredObject]> = []): Promise<ResourceContext> {
  const backend = openMemoryBackend();
  await backend.ready;
  const store = new ObjectStore(backend);
  for (const [space, obj] of objects) await store.create(objectKey(space, obj.metadata.namespace ?? '', obj.metadata.name ?? ''), obj);
  return { store, quotas: new QuotaCache(store), now: () => testNow } as unknown as ResourceContext;
}

export function attributes(gr: string, object: StoredObject, extra: Partial<Attributes> = {}): Attributes {
  return {
    operation: 'CREATE',
    gr,
    subresource: '',
    namespace: object.metadata.namespace ?? '',
    name: object.metadata.name ?? '',
    object,
    user: { username: 'alice', groups: [] },
    dryRun: false,
    ...extra,
  };
}

/** Runs a plugin's admit then validate; returns the error message, or '' when admitted. */
export async function run(plugin: AdmissionPlugin, ctx: ResourceContext, a: Attributes): Promise<string> {
  try {
    await plugin.admit?.(ctx, a);
    await plugin.validate?.(ctx, a);
    return '';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export function pod(name: string, spec: Record<string, unknown> = {}, namespace = 'ns'): StoredObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } };
}

import t from 'tap';
import type { StoredObject } from '../../api/types.js';
import { openMemoryBackend } from '../../store/memory/index.js';
import { objectKey } from '../storage/keys.js';
import { ObjectStore } from '../storage/store.js';
import { keyspaces } from './lookup.js';
import { QuotaCache } from './quotacache.js';
import { resourceQuotaPlugin } from './resourcequota.js';
import { admissionContext, attributes, pod, run } from './testing.fixture.js';

const quota = (name: string, hard: Record<string, string>, used: Record<string, string>, namespace = 'ns'): StoredObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name, namespace },
  spec: { hard },
  status: { hard, used },
});
const keyOf = (name: string, namespace = 'ns') => objectKey(keyspaces.resourceQuotas, namespace, name);

async function cacheOver(opts: Parameters<typeof openMemoryBackend>[0] = {}): Promise<{ store: ObjectStore; cache: QuotaCache }> {
  const backend = openMemoryBackend(opts);
  await backend.ready;
  const store = new ObjectStore(backend);
  return { store, cache: new QuotaCache(store) };
}

const names = async (cache: QuotaCache, namespace: string) => (await cache.inNamespace(namespace)).map((q) => q.obj.metadata.name).sort();

t.test('lookups follow creates, updates and deletes by namespace', async (t) => {
  const { store, cache } = await cacheOver();
  await store.create(keyOf('before'), quota('before', { pods: '1' }, { pods: '0' }));
  t.same(await names(cache, 'ns'), ['before'], 'listed at the first lookup');
  const created = await store.create(keyOf('after'), quota('after', { pods: '1' }, { pods: '0' }));
  await store.create(keyOf('elsewhere', 'other'), quota('elsewhere', { pods: '1' }, { pods: '0' }, 'other'));
  t.same(await names(cache, 'ns'), ['after', 'before'], 'a quota created after the list');
  t.same(await names(cache, 'other'), ['elsewhere']);
  t.same(await names(cache, 'none'), []);

  if (!created.ok) throw new Error('create failed');
  const updated = await store.update(keyOf('after'), quota('after', { pods: '1' }, { pods: '1' }), created.revision);
  if (!updated.ok) throw new Error('update failed');
  const after = (await cache.inNamespace('ns')).find((q) => q.obj.metadata.name === 'after');
  t.equal(after?.modRevision, updated.revision, 'the cached copy carries the new mod revision');
  t.same((after?.obj as { status?: unknown }).status, { hard: { pods: '1' }, used: { pods: '1' } });

  await store.delete(keyOf('before'), (await store.get(keyOf('before')))?.modRevision ?? 0);
  t.same(await names(cache, 'ns'), ['after'], 'a deleted quota is gone');
  cache.close();
});

t.test('a watch that ended is replaced by a fresh list', async (t) => {
  const { store, cache } = await cacheOver({ watchQueueLimit: 1 });
  t.same(await names(cache, 'ns'), []);
  // Three revisions queued with nobody taking them: the store ends the watch as slow.
  for (const name of ['a', 'b', 'c']) await store.create(keyOf(name), quota(name, { pods: '1' }, { pods: '0' }));
  t.same(await names(cache, 'ns'), ['a', 'b', 'c']);
  await store.create(keyOf('d'), quota('d', { pods: '1' }, { pods: '0' }));
  t.same(await names(cache, 'ns'), ['a', 'b', 'c', 'd'], 'the new watch follows later changes');
  cache.close();
});

t.test('after close, lookups read the store', async (t) => {
  const { store, cache } = await cacheOver();
  t.same(await names(cache, 'ns'), []);
  cache.close();
  await store.create(keyOf('late'), quota('late', { pods: '1' }, { pods: '0' }));
  t.same(await names(cache, 'ns'), ['late']);
});

t.test('admission enforces a quota created after it started and stops charging a deleted one', async (t) => {
  const ctx = await admissionContext();
  t.equal(await run(resourceQuotaPlugin, ctx, attributes('pods', pod('p0'))), '', 'no quota yet');
  const created = await ctx.store.create(keyOf('q'), quota('q', { pods: '1' }, { pods: '0' }));
  t.equal(await run(resourceQuotaPlugin, ctx, attributes('pods', pod('p1'))), '', 'charged');
  t.equal(await run(resourceQuotaPlugin, ctx, attributes('pods', pod('p2'))), 'pods "p2" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1');
  if (!created.ok) throw new Error('create failed');
  const current = await ctx.store.get(keyOf('q'));
  await ctx.store.delete(keyOf('q'), current?.modRevision ?? 0);
  t.equal(await run(resourceQuotaPlugin, ctx, attributes('pods', pod('p3'))), '', 'admitted once the quota is gone');
  t.equal(await ctx.store.get(keyOf('q')), undefined, 'and nothing was written for it');
  ctx.quotas?.close();
});

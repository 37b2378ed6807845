import t from 'tap';
import type { corev1, StoredObject } from '../../api/types.js';
import type { ResourceContext } from '../rest/context.js';
import { objectKey } from '../storage/keys.js';
import type { Current } from '../storage/store.js';
import { keyspaces } from './lookup.js';
import type { QuotaCache } from './quotacache.js';
import { resourceQuotaPlugin } from './resourcequota.js';
import { admissionContext, attributes, pod, run } from './testing.fixture.js';

const quota = (name: string, hard: Record<string, string>, used: Record<string, string> | undefined, spec: Record<string, unknown> = {}): StoredObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name, namespace: 'ns' },
  spec: { hard, ...spec },
  status: used === undefined ? {} : { hard, used },
});
const withResources = (requests: Record<string, string>, limits: Record<string, string> = {}) => ({ containers: [{ name: 'c', image: 'nginx', resources: { requests, limits } }] });

t.test('refuses writes past a hard limit, with upstream messages', async (t) => {
  const cases: [string, StoredObject, string, StoredObject, string][] = [
    ['under the limit', quota('q', { pods: '2' }, { pods: '1' }), 'pods', pod('p'), ''],
    ['pod count at the limit', quota('q', { pods: '2' }, { pods: '2' }), 'pods', pod('p'), 'pods "p" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2'],
    [
      'cpu request over',
      quota('compute', { 'requests.cpu': '1', pods: '10' }, { 'requests.cpu': '800m', pods: '1' }),
      'pods',
      pod('p', withResources({ cpu: '500m' })),
      'pods "p" is forbidden: exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=800m, limited: requests.cpu=1',
    ],
    [
      'compute quota needs requests and limits',
      quota('compute', { 'requests.cpu': '1', 'limits.memory': '1Gi' }, { 'requests.cpu': '0', 'limits.memory': '0' }),
      'pods',
      pod('p'),
      'pods "p" is forbidden: failed quota: compute: must specify limits.memory for: c; requests.cpu for: c',
    ],
    ['status not yet known', quota('q', { pods: '2' }, undefined), 'pods', pod('p'), ''],
    ['used missing for a resource', quota('q', { pods: '2', 'count/pods': '3' }, { pods: '0' }), 'pods', pod('p'), 'pods "p" is forbidden: status unknown for quota: q, resources: count/pods'],
    ['configmaps', quota('q', { configmaps: '1' }, { configmaps: '1' }), 'configmaps', { metadata: { name: 'cm', namespace: 'ns' } }, 'configmaps "cm" is forbidden: exceeded quota: q, requested: configmaps=1, used: configmaps=1, limited: configmaps=1'],
    ['count/deployments.apps', quota('q', { 'count/deployments.apps': '0' }, { 'count/deployments.apps': '0' }), 'deployments.apps', { metadata: { name: 'd', namespace: 'ns' } }, 'deployments.apps "d" is forbidden: exceeded quota: q, requested: count/deployments.apps=1, used: count/deployments.apps=0, limited: count/deployments.apps=0'],
    ['an unrelated resource', quota('q', { pods: '0' }, { pods: '0' }), 'secrets', { metadata: { name: 's', namespace: 'ns' } }, ''],
    [
      'claims count storage',
      quota('q', { 'requests.storage': '1Gi' }, { 'requests.storage': '512Mi' }),
      'persistentvolumeclaims',
      { metadata: { name: 'c', namespace: 'ns' }, spec: { resources: { requests: { storage: '1Gi' } } } },
      'persistentvolumeclaims "c" is forbidden: exceeded quota: q, requested: requests.storage=1Gi, used: requests.storage=512Mi, limited: requests.storage=1Gi',
    ],
    ['a BestEffort-scoped quota ignores other pods', quota('q', { pods: '0' }, { pods: '0' }, { scopes: ['BestEffort'] }), 'pods', pod('p', withResources({ cpu: '1' })), ''],
    ['a BestEffort-scoped quota counts best-effort pods', quota('q', { pods: '0' }, { pods: '0' }, { scopes: ['BestEffort'] }), 'pods', pod('p'), 'pods "p" is forbidden: exceeded quota: q, requested: pods=1, used: pods=0, limited: pods=0'],
  ];
  for (const [name, q, gr, obj, want] of cases) {
    const ctx = await admissionContext([[keyspaces.resourceQuotas, q]]);
    t.equal(await run(resourceQuotaPlugin, ctx, attributes(gr, obj)), want, name);
  }
});

async function storedUsed(ctx: Awaited<ReturnType<typeof admissionContext>>, name: string): Promise<Record<string, string> | undefined> {
  const current = await ctx.store.get(objectKey(keyspaces.resourceQuotas, 'ns', name));
  return (current?.obj as corev1.ResourceQuota | undefined)?.status?.used;
}

t.test('an admitted write is charged to status.used, a dry run is not', async (t) => {
  const ctx = await admissionContext([[keyspaces.resourceQuotas, quota('q', { pods: '5', 'requests.memory': '1Gi' }, { pods: '1', 'requests.memory': '256Mi' })]]);
  t.equal(await run(resourceQuotaPlugin, ctx, attributes('pods', pod('p', withResources({ memory: '256Mi' })), { dryRun: true })), '');
  t.same(await storedUsed(ctx, 'q'), { pods: '1', 'requests.memory': '256Mi' });
  t.equal(await run(resourceQuotaPlugin, ctx, attributes('pods', pod('p', withResources({ memory: '256Mi' })))), '');
  t.same(await storedUsed(ctx, 'q'), { pods: '2', 'requests.memory': '512Mi' });
});

t.test('updates are charged only for what they add', async (t) => {
  const ctx = await admissionContext([[keyspaces.resourceQuotas, quota('q', { 'services.nodeports': '1' }, { 'services.nodeports': '1' })]]);
  const svc = (type: string): StoredObject => ({ metadata: { name: 's', namespace: 'ns' }, spec: { type, ports: [{ port: 80 }] } });
  t.equal(await run(resourceQuotaPlugin, ctx, attributes('services', svc('NodePort'), { operation: 'UPDATE', oldObject: svc('NodePort') })), '', 'no change');
  t.equal(
    await run(resourceQuotaPlugin, ctx, attributes('services', svc('NodePort'), { operation: 'UPDATE', oldObject: svc('ClusterIP') })),
    'services "s" is forbidden: exceeded quota: q, requested: services.nodeports=1, used: services.nodeports=1, limited: services.nodeports=1',
  );
  t.equal(await run(resourceQuotaPlugin, ctx, attributes('pods', pod('p'), { operation: 'UPDATE', oldObject: pod('p') })), '', 'pod updates are not charged');
});

t.test('a stale cached quota never admits past a limit nor refuses within one', async (t) => {
  const staleCache = (stale: Current) => ({ inNamespace: async () => [stale] }) as unknown as QuotaCache;
  const setUsed = async (ctx: ResourceContext, pods: string) => {
    const current = await ctx.store.get(objectKey(keyspaces.resourceQuotas, 'ns', 'q'));
    if (!current) throw new Error('quota missing');
    await ctx.store.update(objectKey(keyspaces.resourceQuotas, 'ns', 'q'), quota('q', { pods: '1' }, { pods }), current.modRevision);
    return current;
  };

  const full = await admissionContext([[keyspaces.resourceQuotas, quota('q', { pods: '1' }, { pods: '0' })]]);
  full.quotas = staleCache(await setUsed(full, '1'));
  t.equal(await run(resourceQuotaPlugin, full, attributes('pods', pod('p'))), 'pods "p" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1', 'the lost compare-and-swap re-reads');

  const free = await admissionContext([[keyspaces.resourceQuotas, quota('q', { pods: '1' }, { pods: '1' })]]);
  free.quotas = staleCache(await setUsed(free, '0'));
  t.equal(await run(resourceQuotaPlugin, free, attributes('pods', pod('p'))), '', 'the refusal is checked against the store');
  t.same(await storedUsed(free, 'q'), { pods: '1' });
});

t.test('concurrent creates against one quota: only as many as fit are admitted', async (t) => {
  const ctx = await admissionContext([[keyspaces.resourceQuotas, quota('q', { pods: '2' }, { pods: '0' })]]);
  const results = await Promise.all(['a', 'b', 'c', 'd'].map((name) => run(resourceQuotaPlugin, ctx, attributes('pods', pod(name)))));
  t.equal(results.filter((r) => r === '').length, 2);
  t.same(await storedUsed(ctx, 'q'), { pods: '2' });
  ctx.quotas?.close();
});

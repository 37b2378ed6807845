import t from 'tap';
import { builtinRegistry } from '../../api/builtin.js';
import { aggregatedDiscovery } from './aggregated.js';

const registry = builtinRegistry();
const crud = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

t.test('/api holds only the core group, unnamed', async (t) => {
  const doc = aggregatedDiscovery(registry, 'api', 'v2');
  t.equal(doc.kind, 'APIGroupDiscoveryList');
  t.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2');
  t.strictSame(doc.metadata, {});
  t.equal(doc.items.length, 1);
  const core = doc.items[0];
  t.strictSame(core?.metadata, {});
  t.same(core?.versions.map((v) => [v.version, v.freshness]), [['v1', 'Current']]);
  const pods = core?.versions[0]?.resources.find((r) => r.resource === 'pods');
  t.strictSame(pods?.responseKind, { group: '', version: 'v1', kind: 'Pod' });
  t.equal(pods?.scope, 'Namespaced');
  t.same(pods?.shortNames, ['po']);
  t.same(
    pods?.subresources?.map((s) => s.subresource),
    ['attach', 'binding', 'ephemeralcontainers', 'eviction', 'exec', 'log', 'portforward', 'proxy', 'status'],
  );
  t.strictSame(
    pods?.subresources?.find((s) => s.subresource === 'eviction'),
    { subresource: 'eviction', responseKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, verbs: ['create'] },
  );
  const ns = core?.versions[0]?.resources.find((r) => r.resource === 'namespaces');
  t.equal(ns?.scope, 'Cluster');
});

t.test('/apis entries have the shape kubectl accepts', async (t) => {
  const doc = aggregatedDiscovery(registry, 'apis', 'v2');
  t.notOk(doc.items.some((g) => g.metadata.name === undefined), 'every named group has its name');
  t.equal(doc.items[0]?.metadata.name, 'apps');
  t.same(
    doc.items.find((g) => g.metadata.name === 'autoscaling')?.versions.map((v) => v.version),
    ['v2', 'v1'],
    'preferred version first',
  );
  const deployments = doc.items[0]?.versions[0]?.resources.find((r) => r.resource === 'deployments');
  t.strictSame(deployments, {
    resource: 'deployments',
    singularResource: 'deployment',
    scope: 'Namespaced',
    responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
    verbs: crud,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: [
      { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
      { subresource: 'status', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, verbs: ['get', 'patch', 'update'] },
    ],
  });
  const leases = doc.items.find((g) => g.metadata.name === 'coordination.k8s.io')?.versions[0]?.resources[0];
  t.strictSame(
    leases,
    { resource: 'leases', singularResource: 'lease', scope: 'Namespaced', responseKind: { group: 'coordination.k8s.io', version: 'v1', kind: 'Lease' }, verbs: crud },
    'empty shortNames, categories and subresources are left out',
  );
  for (const group of doc.items) {
    for (const version of group.versions) {
      const names = version.resources.map((r) => r.resource);
      t.same(names, [...names].sort(), `${group.metadata.name}/${version.version} resources sorted`);
      for (const r of version.resources) {
        if (JSON.stringify(r.verbs) !== JSON.stringify([...r.verbs].sort())) t.fail(`${r.resource} verbs sorted`);
      }
    }
  }
});

t.test('v2beta1 differs from v2 only in apiVersion', async (t) => {
  for (const root of ['api', 'apis'] as const) {
    const v2 = aggregatedDiscovery(registry, root, 'v2');
    const beta = aggregatedDiscovery(registry, root, 'v2beta1');
    t.equal(beta.apiVersion, 'apidiscovery.k8s.io/v2beta1');
    t.strictSame({ ...beta, apiVersion: v2.apiVersion }, v2, root);
  }
});

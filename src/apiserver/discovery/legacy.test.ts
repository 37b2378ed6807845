import t from 'tap';
import { builtinRegistry } from '../../api/builtin.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './legacy.js';

const registry = builtinRegistry();

t.test('/api names v1 and the server address', async (t) => {
  t.strictSame(apiVersions('10.0.0.1:6443'), {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
  });
});

t.test('/apis lists the named groups in discovery order', async (t) => {
  const list = apiGroupList(registry);
  t.equal(list.kind, 'APIGroupList');
  t.equal(list.apiVersion, 'v1');
  t.same(
    list.groups.map((g) => g.name),
    [
      'apps',
      'events.k8s.io',
      'authentication.k8s.io',
      'authorization.k8s.io',
      'autoscaling',
      'batch',
      'certificates.k8s.io',
      'networking.k8s.io',
      'policy',
      'rbac.authorization.k8s.io',
      'storage.k8s.io',
      'apiextensions.k8s.io',
      'scheduling.k8s.io',
      'coordination.k8s.io',
      'discovery.k8s.io',
      'metrics.k8s.io',
    ],
  );
  t.strictSame(list.groups[0], {
    name: 'apps',
    versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
    preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
  });
});

t.test('/apis/<group> prefers the first version; unknown and core groups are undefined', async (t) => {
  t.strictSame(apiGroup(registry, 'autoscaling'), {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: 'autoscaling',
    versions: [
      { groupVersion: 'autoscaling/v2', version: 'v2' },
      { groupVersion: 'autoscaling/v1', version: 'v1' },
    ],
    preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
  });
  t.equal(apiGroup(registry, 'example.com'), undefined);
  t.equal(apiGroup(registry, ''), undefined);
});

t.test('/api/v1 lists resources and subresources sorted by name', async (t) => {
  const list = apiResourceList(registry, '', 'v1');
  if (!list) throw new Error('no /api/v1');
  t.equal(list.kind, 'APIResourceList');
  t.equal(list.groupVersion, 'v1');
  t.notOk('apiVersion' in list, 'the core list carries no apiVersion, like upstream');
  const names = list.resources.map((r) => r.name);
  t.same(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), 'byte order');
  t.same(names.slice(names.indexOf('pods'), names.indexOf('podtemplates') + 1), [
    'pods',
    'pods/attach',
    'pods/binding',
    'pods/ephemeralcontainers',
    'pods/eviction',
    'pods/exec',
    'pods/log',
    'pods/portforward',
    'pods/proxy',
    'pods/status',
    'podtemplates',
  ]);
  const byName = new Map(list.resources.map((r) => [r.name, r]));
  t.strictSame(byName.get('pods'), {
    name: 'pods',
    singularName: 'pod',
    namespaced: true,
    kind: 'Pod',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['po'],
    categories: ['all'],
  });
  t.strictSame(byName.get('pods/log'), { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  t.strictSame(byName.get('pods/eviction'), {
    name: 'pods/eviction',
    singularName: '',
    namespaced: true,
    group: 'policy',
    version: 'v1',
    kind: 'Eviction',
    verbs: ['create'],
  });
  t.match(byName.get('replicationcontrollers/scale'), { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  t.match(byName.get('serviceaccounts/token'), { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' });
  t.strictSame(byName.get('namespaces/finalize'), { name: 'namespaces/finalize', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['update'] });
  t.strictSame(byName.get('secrets'), {
    name: 'secrets',
    singularName: 'secret',
    namespaced: true,
    kind: 'Secret',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  });
});

t.test('/apis/<group>/<version> and unknown group-versions', async (t) => {
  const apps = apiResourceList(registry, 'apps', 'v1');
  t.equal(apps?.apiVersion, 'v1');
  t.equal(apps?.groupVersion, 'apps/v1');
  t.same(
    apps?.resources.map((r) => r.name),
    [
      'controllerrevisions',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
    ],
  );
  const status = apps?.resources.find((r) => r.name === 'deployments/status');
  t.notOk(status && 'group' in status, 'same-group subresource kinds carry no group');
  t.equal(apiResourceList(registry, 'apps', 'v2'), undefined);
  t.equal(apiResourceList(registry, 'example.com', 'v1'), undefined);
  t.equal(apiResourceList(registry, '', 'v2'), undefined);
});

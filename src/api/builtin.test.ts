import t from 'tap';
import { builtinRegistry } from './builtin.js';
import { builtinResources } from './resources/index.js';

t.test('looks up resources by URL parts', async (t) => {
  const reg = builtinRegistry();
  t.equal(reg.resources.length, builtinResources.length);
  t.equal(reg.lookup('', 'v1', 'pods')?.kind, 'Pod');
  t.equal(reg.lookup('apps', 'v1', 'deployments')?.kind, 'Deployment');
  t.equal(reg.lookup('autoscaling', 'v1', 'horizontalpodautoscalers')?.version, 'v1');
  t.equal(reg.lookup('autoscaling', 'v2', 'horizontalpodautoscalers')?.version, 'v2');
  t.equal(reg.lookup('', 'v1', 'deployments'), undefined, 'deployments are not in the core group');
  t.equal(reg.lookup('apps', 'v2', 'deployments'), undefined);
  t.equal(reg.lookup('', 'v1', 'pods/status'), undefined, 'subresources are not resources');
});

t.test('looks up resources by kind', async (t) => {
  const reg = builtinRegistry();
  t.equal(reg.byKind({ group: '', version: 'v1', kind: 'Namespace' })?.resource, 'namespaces');
  t.equal(reg.byKind({ group: 'events.k8s.io', version: 'v1', kind: 'Event' })?.group, 'events.k8s.io');
  t.equal(reg.byKind({ group: '', version: 'v1', kind: 'Event' })?.group, '');
  t.equal(reg.byKind({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' })?.namespaced, false);
  t.equal(reg.byKind({ group: 'apps', version: 'v1', kind: 'Pod' }), undefined);
});

t.test('served groups in discovery order with preferred versions first', async (t) => {
  const groups = builtinRegistry().groups();
  t.same(groups[0], { group: '', versions: ['v1'] });
  t.same(
    groups.find((g) => g.group === 'autoscaling'),
    { group: 'autoscaling', versions: ['v2', 'v1'] },
  );
  t.same(groups.find((g) => g.group === 'metrics.k8s.io'), { group: 'metrics.k8s.io', versions: ['v1beta1'] }, 'the resource metrics API, served in process');
  t.equal(groups.length, 17, 'core and sixteen named groups');
});

t.test('each call builds its own registry', async (t) => {
  t.not(builtinRegistry(), builtinRegistry());
});

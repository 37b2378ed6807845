import t from 'tap';
import { kindType } from './schema.js';
import { deployments, pods } from './testing.fixture.js';

t.test('structs, maps and lists as the definitions and patch metadata say', async (t) => {
  const spec = deployments.type.field('spec');
  t.equal(spec.kind, 'struct');
  t.equal(spec.name, 'io.k8s.api.apps.v1.DeploymentSpec');
  t.ok(spec.declares('replicas'));
  t.notOk(spec.declares('bogus'));
  const labels = deployments.type.field('metadata').field('labels');
  t.equal(labels.kind, 'map');
  t.equal(labels.field('anything').kind, 'scalar');
  const containers = spec.field('template').field('spec').field('containers');
  t.match(containers, { kind: 'list', listType: 'map', keys: ['name'], atomic: false });
  t.match(containers.item().field('ports'), { listType: 'map', keys: ['containerPort'] });
  t.match(deployments.type.field('metadata').field('finalizers'), { listType: 'set', atomic: false });
  t.match(containers.item().field('args'), { kind: 'list', listType: 'atomic', atomic: true }, 'a list without a merge strategy is atomic');
});

t.test('atomic structs and maps as upstream marks them', async (t) => {
  t.ok(deployments.type.field('spec').field('selector').atomic, 'LabelSelector');
  t.ok(pods.type.field('spec').field('nodeSelector').atomic, 'PodSpec.nodeSelector');
  t.notOk(pods.type.field('metadata').field('labels').atomic);
});

t.test('a kind without a definition is deduced, with ObjectMeta metadata', async (t) => {
  const widget = kindType({ group: 'example.com', version: 'v1', kind: 'Widget' });
  t.equal(widget.kind, 'untyped');
  t.equal(widget.field('spec').kind, 'untyped');
  t.equal(widget.field('metadata').kind, 'struct');
  t.ok(widget.declares('metadata'));
  t.notOk(widget.declares('spec'));
});

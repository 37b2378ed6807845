import t from 'tap';
import { fieldsOf } from './owned.js';
import { configmaps, deployment, deployments, json } from './testing.fixture.js';

t.test('an applied deployment owns its leaves, items and map keys', async (t) => {
  t.same(json(fieldsOf(deployment(2), deployments.type)), {
    'f:apiVersion': {},
    'f:kind': {},
    'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:name': {}, 'f:namespace': {} },
    'f:spec': {
      'f:replicas': {},
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': { 'f:containers': { 'k:{"name":"web"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80}': { '.': {}, 'f:containerPort': {} } } } } },
      },
    },
  });
});

t.test('null and empty objects are owned themselves; empty lists own nothing', async (t) => {
  t.same(json(fieldsOf({ data: {}, binaryData: null, metadata: { finalizers: [] } }, configmaps.type)), { 'f:binaryData': {}, 'f:data': {} });
});

t.test('a set owns its values', async (t) => {
  t.same(json(fieldsOf({ metadata: { finalizers: ['a', 'b'] } }, configmaps.type)), { 'f:metadata': { 'f:finalizers': { 'v:"a"': {}, 'v:"b"': {} } } });
});

t.test('a list with duplicate keys is owned whole', async (t) => {
  const dup = { spec: { template: { spec: { containers: [{ name: 'a' }, { name: 'a' }] } } } };
  t.same(json(fieldsOf(dup, deployments.type)), { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': {} } } } });
});

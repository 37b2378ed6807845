import t from 'tap';
import { canonicalElement, compareElements, fieldElement, indexElement, keyElement, parseElement, pathString, valueElement } from './pathelement.js';

t.test('elements encode as FieldsV1 keys', async (t) => {
  t.equal(fieldElement('replicas'), 'f:replicas');
  t.equal(keyElement({ protocol: 'TCP', containerPort: 80 }), 'k:{"containerPort":80,"protocol":"TCP"}', 'key fields sorted');
  t.equal(valueElement('foregroundDeletion'), 'v:"foregroundDeletion"');
  t.equal(indexElement(3), 'i:3');
});

t.test('parsing gives the parts back and refuses other forms', async (t) => {
  t.same(parseElement('f:a.b'), { type: 'field', name: 'a.b' });
  t.same(parseElement('k:{"name":"web"}'), { type: 'key', key: { name: 'web' } });
  t.same(parseElement('v:5'), { type: 'value', value: 5 });
  t.same(parseElement('i:0'), { type: 'index', index: 0 });
  for (const bad of ['x:1', 'k:[1]', 'k:{', 'i:-1', 'spec']) t.throws(() => parseElement(bad), bad);
  t.equal(canonicalElement('k:{"b":1,"a":2}'), 'k:{"a":2,"b":1}');
});

t.test('paths print as conflict messages show them', async (t) => {
  t.equal(pathString(['f:spec', 'f:replicas']), '.spec.replicas');
  t.equal(pathString(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:image']), '.spec.template.spec.containers[name="web"].image');
  t.equal(pathString(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}']), '.spec.ports[port=80,protocol="TCP"]');
  t.equal(pathString(['f:metadata', 'f:finalizers', 'v:"x"']), '.metadata.finalizers[="x"]');
  t.equal(pathString(['f:args', 'i:2']), '.args[2]');
});

t.test('elements order fields, keys, values, indexes', async (t) => {
  const sorted = ['i:10', 'v:"a"', 'k:{"name":"b"}', 'f:b', 'i:2', 'f:a'].sort(compareElements);
  t.same(sorted, ['f:a', 'f:b', 'k:{"name":"b"}', 'v:"a"', 'i:2', 'i:10']);
});

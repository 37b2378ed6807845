import t from 'tap';
import { FieldSet } from './fieldset.js';
import { fromFieldsV1, toFieldsV1 } from './fieldsv1.js';

const set = (...paths: string[]) => FieldSet.of(paths.map((p) => p.split('/')));

t.test('insert, has and emptiness', async (t) => {
  const s = set('f:spec/f:replicas', 'f:metadata/f:labels');
  t.ok(s.has(['f:spec', 'f:replicas']));
  t.notOk(s.has(['f:spec']), 'a parent is not a member by itself');
  t.notOk(s.isEmpty());
  t.ok(new FieldSet().isEmpty());
});

t.test('union, intersection and difference work on exact paths', async (t) => {
  const a = set('f:spec', 'f:spec/f:replicas', 'f:spec/f:paused');
  const b = set('f:spec/f:replicas', 'f:data/f:x');
  t.same(
    a.union(b).paths().map((p) => p.join('/')),
    ['f:spec', 'f:data/f:x', 'f:spec/f:paused', 'f:spec/f:replicas'],
  );
  t.same(a.intersection(b).paths(), [['f:spec', 'f:replicas']]);
  t.same(a.difference(b).paths().map((p) => p.join('/')), ['f:spec', 'f:spec/f:paused'], 'a member of the other set keeps what lies below it');
  t.ok(b.difference(b).isEmpty());
  t.same(toFieldsV1(b.difference(b)), {}, 'nothing empty is kept');
});

t.test('recursive difference drops whole subtrees', async (t) => {
  const a = set('f:status/f:phase', 'f:status/f:conditions', 'f:spec/f:x');
  t.same(a.recursiveDifference(set('f:status')).paths(), [['f:spec', 'f:x']]);
});

t.test('fields leading to members become members for pruning', async (t) => {
  const a = set('f:spec/f:template/f:spec/f:containers/k:{"name":"a"}/f:image');
  const named = a.withFieldsAsMembers();
  t.ok(named.has(['f:spec']));
  t.ok(named.has(['f:spec', 'f:template', 'f:spec', 'f:containers']));
  t.notOk(named.has(['f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"a"}']), 'list items are not fields');
});

t.test('FieldsV1 round trip: "." marks a member with members below', async (t) => {
  const json = { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:replicas': {}, 'f:ports': { 'k:{"port":80}': { '.': {}, 'f:port': {} } } } };
  const decoded = fromFieldsV1(json);
  t.ok(decoded.has(['f:metadata', 'f:labels']));
  t.notOk(decoded.has(['f:metadata']));
  t.ok(decoded.has(['f:spec', 'f:ports', 'k:{"port":80}', 'f:port']));
  t.same(toFieldsV1(decoded), json);
  t.equal(JSON.stringify(toFieldsV1(set('f:b', 'k:{"a":1}', 'f:a', 'f:c'))), '{"f:a":{},"f:b":{},"f:c":{},"k:{\\"a\\":1}":{}}', 'keys in encoding order');
});

t.test('malformed FieldsV1 does not decode', async (t) => {
  t.throws(() => fromFieldsV1([]));
  t.throws(() => fromFieldsV1({ 'x:y': {} }), 'unknown element form');
  t.throws(() => fromFieldsV1({ 'f:a': 1 }), 'values are objects');
  t.throws(() => fromFieldsV1({ 'k:{bad': {} }), 'key JSON');
  t.throws(() => fromFieldsV1({ 'f:a': { '.': { 'f:b': {} } } }), '"." maps to {}');
  t.same(toFieldsV1(fromFieldsV1({ 'k:{"b":2,"a":1}': {} })), { 'k:{"a":1,"b":2}': {} }, 'keys are made canonical');
});

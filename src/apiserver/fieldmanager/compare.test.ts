import t from 'tap';
import { changed, compare } from './compare.js';
import { configmaps, deployment, deployments, json } from './testing.fixture.js';

t.test('leaves: added, modified, removed', async (t) => {
  const c = compare({ data: { a: '1', b: '2' } }, { data: { a: '1', b: '3', c: '4' } }, configmaps.type);
  t.same(json(c.modified), { 'f:data': { 'f:b': {} } });
  t.same(json(c.added), { 'f:data': { 'f:c': {} } });
  t.ok(c.removed.isEmpty());
  const gone = compare({ data: { a: '1' } }, { data: {} }, configmaps.type);
  t.same(json(gone.removed), { 'f:data': { 'f:a': {} } });
});

t.test('an object that appears is added itself, besides its fields', async (t) => {
  const c = compare({ metadata: {} }, { metadata: { labels: { app: 'web' } } }, configmaps.type);
  t.same(json(c.added), { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } } });
  const empty = compare({}, { data: {} }, configmaps.type);
  t.same(json(empty.added), { 'f:data': {} }, 'an empty object is one value');
});

t.test('keyed lists compare item by item', async (t) => {
  const before = deployment(1);
  const after = deployment(1, 'nginx:1.28');
  const spec = after.spec as { template: { spec: { containers: Record<string, unknown>[] } } };
  spec.template.spec.containers.push({ name: 'side', image: 'busybox' });
  const c = compare(before, after, deployments.type);
  t.same(json(c.modified), { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } } });
  t.same(json(c.added), { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"side"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } });
});

t.test('atomic values are one leaf: a label selector, a list without a merge key', async (t) => {
  const c = compare(deployment(1), { ...deployment(1), spec: { ...(deployment(1).spec as object), selector: { matchLabels: { app: 'other' } } } }, deployments.type);
  t.same(json(c.modified), { 'f:spec': { 'f:selector': {} } });
  const args = (v: string[]) => ({ spec: { template: { spec: { containers: [{ name: 'web', args: v }] } } } });
  t.same(json(compare(args(['a']), args(['b']), deployments.type).modified), {
    'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:args': {} } } } } },
  });
});

t.test('sets compare by value', async (t) => {
  const c = compare({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['b', 'c'] } }, configmaps.type);
  t.same(json(c.added), { 'f:metadata': { 'f:finalizers': { 'v:"c"': {} } } });
  t.same(json(c.removed), { 'f:metadata': { 'f:finalizers': { 'v:"a"': {} } } });
  t.ok(c.modified.isEmpty(), 'order does not matter');
});

t.test('no change, no fields', async (t) => {
  t.ok(changed(compare(deployment(2), deployment(2), deployments.type)).isEmpty());
});

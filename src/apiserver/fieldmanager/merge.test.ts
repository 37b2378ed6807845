import t from 'tap';
import { fieldsOf } from './owned.js';
import { mergeApplied } from './merge.js';
import { removeFields } from './remove.js';
import { configmaps, deployment, deployments, fields } from './testing.fixture.js';

t.test('maps merge key by key; the configuration wins', async (t) => {
  const merged = mergeApplied({ data: { a: '1', b: '2' }, metadata: { name: 'x' } }, { data: { b: '3', c: '4' } }, configmaps.type);
  t.same(merged, { data: { a: '1', b: '3', c: '4' }, metadata: { name: 'x' } });
});

t.test('null clears a field', async (t) => {
  t.same(mergeApplied({ data: { a: '1', b: '2' } }, { data: { a: null } }, configmaps.type), { data: { b: '2' } });
});

t.test('keyed lists merge by key, keeping live-only items in place', async (t) => {
  const live = deployment(1);
  const liveSpec = (live.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec;
  liveSpec.containers = [{ name: 'a', image: 'a:1', imagePullPolicy: 'IfNotPresent' }, { name: 'b', image: 'b:1' }];
  const config = { spec: { template: { spec: { containers: [{ name: 'c', image: 'c:1' }, { name: 'a', image: 'a:2' }] } } } };
  const merged = mergeApplied(live, config, deployments.type) as typeof live;
  t.same((merged.spec as { template: { spec: unknown } }).template.spec, {
    containers: [{ name: 'c', image: 'c:1' }, { name: 'a', image: 'a:2', imagePullPolicy: 'IfNotPresent' }, { name: 'b', image: 'b:1' }],
  });
});

t.test('atomic values are replaced whole', async (t) => {
  const live = { spec: { selector: { matchLabels: { a: '1', b: '2' } } } };
  t.same(mergeApplied(live, { spec: { selector: { matchLabels: { c: '3' } } } }, deployments.type), { spec: { selector: { matchLabels: { c: '3' } } } });
  const args = { spec: { template: { spec: { containers: [{ name: 'x', args: ['1', '2'] }] } } } };
  const next = mergeApplied(args, { spec: { template: { spec: { containers: [{ name: 'x', args: ['3'] }] } } } }, deployments.type);
  t.same(next, { spec: { template: { spec: { containers: [{ name: 'x', args: ['3'] }] } } } });
});

t.test('sets merge by value', async (t) => {
  t.same(mergeApplied({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { finalizers: ['c', 'a'] } }, configmaps.type), { metadata: { finalizers: ['c', 'a', 'b'] } });
});

t.test('removing fields removes whole subtrees and what it empties', async (t) => {
  const obj = { metadata: { labels: { a: '1' }, annotations: { x: 'y' } }, data: { k: 'v', l: 'w' } };
  t.same(removeFields(obj, fields({ 'f:metadata': { 'f:labels': { 'f:a': {} } }, 'f:data': { 'f:k': {} } }), configmaps.type), { metadata: { annotations: { x: 'y' } }, data: { l: 'w' } });
  const dep = deployment(1);
  const removed = removeFields(dep, fields({ 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': {} } } } } }), deployments.type) as typeof dep;
  t.same((removed.spec as { template: { spec: unknown } }).template.spec, {}, 'the item goes, and the emptied list with it; the struct stays');
  t.same(removeFields(obj, fieldsOf({}, configmaps.type), configmaps.type), obj, 'an empty set removes nothing');
});

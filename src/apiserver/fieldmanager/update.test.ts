import t from 'tap';
import type { ManagedFieldsEntry } from './managed.js';
import { at, configmaps, deployment, deployments, later, pods } from './testing.fixture.js';
import { recordUpdate } from './update.js';

type Obj = Record<string, unknown> & { metadata: Record<string, unknown> };
const managedOf = (obj: Record<string, unknown>) => ((obj.metadata as Obj['metadata']).managedFields ?? []) as ManagedFieldsEntry[];
const cm = (data: Record<string, string>, meta: Record<string, unknown> = {}): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', uid: 'u', resourceVersion: '5', ...meta }, data });

t.test('a create records every field the creator set, without server-set metadata', async (t) => {
  const created = recordUpdate(configmaps, undefined, cm({ a: '1' }, { labels: { x: 'y' } }), { manager: 'kubectl-create', subresource: '', time: at });
  t.same(managedOf(created), [
    { manager: 'kubectl-create', operation: 'Update', apiVersion: 'v1', time: at, fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {}, 'f:a': {} }, 'f:metadata': { 'f:labels': { '.': {}, 'f:x': {} } } } },
  ]);
});

t.test('the structs a Go zero value has are not owned themselves', async (t) => {
  const created = recordUpdate(deployments, undefined, deployment(1), { manager: 'm', subresource: '', time: at });
  const spec = (managedOf(created)[0]?.fieldsV1['f:spec'] ?? {}) as Record<string, Record<string, unknown>>;
  t.notOk('.' in spec);
  t.notOk('.' in (spec['f:template'] ?? {}));
  t.ok('f:selector' in spec);
});

t.test('an update moves the fields it changes to its manager', async (t) => {
  const created = recordUpdate(configmaps, undefined, cm({ a: '1', b: '2' }), { manager: 'creator', subresource: '', time: at });
  const updated = recordUpdate(configmaps, created, { ...created, data: { a: '1', b: '3', c: '4' } }, { manager: 'editor', subresource: '', time: later });
  t.same(
    managedOf(updated).map((e) => [e.manager, e.time, e.fieldsV1]),
    [
      ['creator', at, { 'f:data': { '.': {}, 'f:a': {} } }],
      ['editor', later, { 'f:data': { 'f:b': {}, 'f:c': {} } }],
    ],
  );
});

t.test('removed fields are no longer anyone\'s; an emptied entry goes', async (t) => {
  const created = recordUpdate(configmaps, undefined, cm({ a: '1' }), { manager: 'creator', subresource: '', time: at });
  const removed = recordUpdate(configmaps, created, { ...created, data: undefined }, { manager: 'editor', subresource: '', time: later });
  t.same(managedOf(removed), []);
  t.notOk('managedFields' in removed.metadata, 'no list at all');
});

t.test('a write that changes nothing leaves the entries as they are', async (t) => {
  const created = recordUpdate(configmaps, undefined, cm({ a: '1' }), { manager: 'creator', subresource: '', time: at });
  const same = recordUpdate(configmaps, created, { ...created, metadata: { ...created.metadata, resourceVersion: '9' } }, { manager: 'other', subresource: '', time: later });
  t.same(managedOf(same), managedOf(created));
});

t.test('the same manager keeps what it had and gets the new time', async (t) => {
  const created = recordUpdate(configmaps, undefined, cm({ a: '1' }), { manager: 'm', subresource: '', time: at });
  const again = recordUpdate(configmaps, created, { ...created, data: { a: '1', b: '2' } }, { manager: 'm', subresource: '', time: later });
  t.same(managedOf(again).map((e) => [e.time, e.fieldsV1]), [[later, { 'f:data': { '.': {}, 'f:a': {}, 'f:b': {} } }]]);
});

t.test('status writes are recorded with their subresource; the main resource never owns status', async (t) => {
  const pod: Obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] }, status: { phase: 'Pending' } };
  const created = recordUpdate(pods, undefined, pod, { manager: 'kubectl', subresource: '', time: at });
  t.notOk('f:status' in (managedOf(created)[0]?.fieldsV1 ?? {}));
  const running = recordUpdate(pods, created, { ...created, status: { phase: 'Running' } }, { manager: 'kubelet', subresource: 'status', time: later });
  t.same(managedOf(running)[1], { manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: later, fieldsType: 'FieldsV1', fieldsV1: { 'f:status': { 'f:phase': {} } }, subresource: 'status' });
});

t.test('managedFields a client sends are honoured; an empty list resets them', async (t) => {
  const created = recordUpdate(configmaps, undefined, cm({ a: '1' }), { manager: 'creator', subresource: '', time: at });
  const edited = [{ manager: 'someone', operation: 'Apply', apiVersion: 'v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }];
  const honoured = recordUpdate(configmaps, created, { ...created, metadata: { ...created.metadata, managedFields: edited } }, { manager: 'x', subresource: '', time: later });
  t.same(managedOf(honoured).map((e) => e.manager), ['someone']);
  for (const reset of [[], [{}]]) {
    const cleared = recordUpdate(configmaps, created, { ...created, metadata: { ...created.metadata, managedFields: reset } }, { manager: 'x', subresource: '', time: later });
    t.same(managedOf(cleared), [], JSON.stringify(reset));
  }
  const garbage = recordUpdate(configmaps, created, { ...created, metadata: { ...created.metadata, managedFields: [{ manager: 'bad', operation: 'Nope' }] } }, { manager: 'x', subresource: '', time: later });
  t.same(managedOf(garbage), managedOf(created), 'entries that do not decode are ignored');
  const viaStatus = recordUpdate(configmaps, created, { ...created, metadata: { ...created.metadata, managedFields: edited } }, { manager: 'x', subresource: 'status', time: later });
  t.same(managedOf(viaStatus), managedOf(created), 'a subresource write cannot change them');
});

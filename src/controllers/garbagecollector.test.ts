import t from 'tap';
import type { ObjectLike } from '../client/index.js';
import { builtinRefs } from '../client/index.js';
import { GarbageCollector } from './garbagecollector.js';
import { FakeLister, makePod, makeReplicaSet, recordingClient } from './testing.fixture.js';

function setup(pods: ObjectLike[], rss: ObjectLike[]) {
  const { client, transport } = recordingClient();
  const podLister = new FakeLister<ObjectLike>(pods);
  const rsLister = new FakeLister<ObjectLike>(rss);
  const gc = new GarbageCollector({
    client,
    resources: [
      { ref: builtinRefs.pods, kind: 'Pod', lister: podLister },
      { ref: builtinRefs.replicaSets, kind: 'ReplicaSet', lister: rsLister },
    ],
  });
  for (const l of [podLister, rsLister]) for (const o of l.list()) for (const h of l.handlers) h.onAdd?.(o, true);
  return { gc, transport };
}

t.test('a pod whose only owner is gone is deleted in the background', async (t) => {
  const rs = makeReplicaSet('web', 1);
  const pod = makePod('p', { owner: rs });
  const { gc, transport } = setup([pod], []);
  await gc.sync('pod-p');
  t.same(transport.summary(), ['delete pods/p']);
  t.match(transport.actions.find((a) => a.verb === 'delete')?.body, { propagationPolicy: 'Background', preconditions: { uid: 'pod-p' } });
});

t.test('a pod whose owner exists is left alone', async (t) => {
  const rs = makeReplicaSet('web', 1);
  const { gc, transport } = setup([makePod('p', { owner: rs })], [rs]);
  await gc.sync('pod-p');
  t.same(transport.summary(), []);
});

t.test('an owner deleted with the orphan finalizer loses its dependents, then the finalizer', async (t) => {
  const rs = { ...makeReplicaSet('web', 1), metadata: { ...makeReplicaSet('web', 1).metadata, deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['orphan'] } };
  const { gc, transport } = setup([makePod('p', { owner: rs })], [rs]);
  await gc.sync('rs-web');
  t.same(transport.summary(), ['patch pods/p', 'patch replicasets/web']);
  t.same(transport.bodies('patch', 'pods/p'), [{ metadata: { ownerReferences: [], uid: 'pod-p' } }]);
  t.same(transport.bodies('patch', 'replicasets/web'), [{ metadata: { finalizers: [], resourceVersion: '1' } }]);
});

t.test('an owner deleted in the foreground deletes its dependents first, then drops its finalizer', async (t) => {
  const base = makeReplicaSet('web', 1);
  const rs = { ...base, metadata: { ...base.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] } };
  let s = setup([makePod('p', { owner: rs })], [rs]);
  await s.gc.sync('rs-web');
  t.same(s.transport.summary(), ['delete pods/p']);
  s = setup([], [rs]);
  await s.gc.sync('rs-web');
  t.same(s.transport.summary(), ['patch replicasets/web']);
});

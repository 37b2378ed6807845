import t from 'tap';
import type { appsv1, corev1 } from '../api/types.js';
import { ReplicaSetController } from './replicaset.js';
import { FakeLister, FakeRecorder, makePod, makeReplicaSet, recordingClient } from './testing.fixture.js';

function setup(rss: appsv1.ReplicaSet[], pods: corev1.Pod[]) {
  const { client, transport } = recordingClient();
  const recorder = new FakeRecorder();
  for (const rs of rss) transport.objects.set(`replicasets/default/${rs.metadata?.name}`, rs);
  const controller = new ReplicaSetController({ client, pods: new FakeLister(pods), replicaSets: new FakeLister(rss), recorder, now: () => new Date('2026-06-01T00:00:00Z') });
  return { controller, transport, recorder };
}

t.test('scale up creates the missing pods with a controller owner reference, then updates status', async (t) => {
  const rs = makeReplicaSet('web', 3);
  const { controller, transport, recorder } = setup([rs], []);
  await controller.sync('default/web');
  t.same(transport.summary(), ['create pods', 'create pods', 'create pods', 'update replicasets/web/status']);
  const pod = transport.bodies<corev1.Pod>('create', 'pods')[0];
  t.equal(pod?.metadata?.generateName, 'web-');
  t.same(pod?.metadata?.labels, { app: 'web' });
  t.match(pod?.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-web', controller: true, blockOwnerDeletion: true }]);
  t.equal(recorder.events.filter((e) => e.startsWith('Normal SuccessfulCreate Created pod: web-')).length, 3);
});

t.test('expectations stop a second sync from creating again before the cache catches up', async (t) => {
  const { controller, transport } = setup([makeReplicaSet('web', 2)], []);
  await controller.sync('default/web');
  transport.actions.length = 0;
  await controller.sync('default/web');
  t.same(transport.summary(), ['update replicasets/web/status'], 'no creates (the status write repeats: the cache copy is unchanged)');
});

t.test('scale down deletes unassigned, then pending, then not-ready pods before ready ones, newest first', async (t) => {
  const rs = makeReplicaSet('web', 1);
  const labels = { app: 'web' };
  const pods = [
    makePod('ready-old', { labels, owner: rs, node: 'n1', ready: true, created: '2026-01-01T00:00:00Z' }),
    makePod('ready-new', { labels, owner: rs, node: 'n1', ready: true, created: '2026-01-02T00:00:00Z', readySince: '2026-01-02T00:00:00Z' }),
    makePod('notready', { labels, owner: rs, node: 'n1', phase: 'Running' }),
    makePod('pending', { labels, owner: rs, node: 'n1', phase: 'Pending' }),
    makePod('unassigned', { labels, owner: rs }),
  ];
  const { controller, transport, recorder } = setup([rs], pods);
  await controller.sync('default/web');
  t.same(transport.summary().sort(), ['delete pods/notready', 'delete pods/pending', 'delete pods/ready-new', 'delete pods/unassigned', 'update replicasets/web/status'].sort());
  t.ok(recorder.events.includes('Normal SuccessfulDelete Deleted pod: unassigned'));
});

t.test('orphans matching the selector are adopted; owned pods that stop matching are released', async (t) => {
  const rs = makeReplicaSet('web', 2);
  const orphan = makePod('orphan', { labels: { app: 'web' } });
  const stray = makePod('stray', { labels: { app: 'other' }, owner: rs });
  const mine = makePod('mine', { labels: { app: 'web' }, owner: rs });
  const { controller, transport } = setup([rs], [orphan, stray, mine]);
  transport.objects.set('pods/default/orphan', { ...orphan, metadata: { ...orphan.metadata, ownerReferences: [{ uid: 'rs-web', controller: true }] } });
  await controller.sync('default/web');
  t.same(transport.summary(), ['patch pods/orphan', 'patch pods/stray', 'update replicasets/web/status']);
  const [release] = transport.bodies('patch', 'pods/stray');
  t.same(release, { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'rs-web' }], uid: 'pod-stray' } });
  const [adopt] = transport.bodies<{ metadata: { ownerReferences: unknown[] } }>('patch', 'pods/orphan');
  t.match(adopt?.metadata.ownerReferences, [{ kind: 'ReplicaSet', name: 'web', uid: 'rs-web', controller: true }]);
});

t.test('pods controlled by another owner are left alone', async (t) => {
  const rs = makeReplicaSet('web', 1);
  const theirs = makePod('theirs', { labels: { app: 'web' }, owner: { metadata: { name: 'x', uid: 'other' } } });
  const { controller, transport } = setup([rs], [theirs]);
  await controller.sync('default/web');
  t.same(transport.summary(), ['create pods', 'update replicasets/web/status']);
});

t.test('status counts ready, available (minReadySeconds) and fully labeled replicas', async (t) => {
  const rs = makeReplicaSet('web', 3, { generation: 4 });
  rs.spec = { ...rs.spec!, minReadySeconds: 60, template: { ...rs.spec!.template, metadata: { labels: { app: 'web', tier: 'fe' } } } };
  const pods = [
    makePod('a', { labels: { app: 'web', tier: 'fe' }, owner: rs, node: 'n', ready: true, readySince: '2026-05-01T00:00:00Z' }),
    makePod('b', { labels: { app: 'web' }, owner: rs, node: 'n', ready: true, readySince: '2026-05-31T23:59:30Z' }),
    makePod('c', { labels: { app: 'web' }, owner: rs, node: 'n' }),
  ];
  const { controller, transport } = setup([rs], pods);
  await controller.sync('default/web');
  const [update] = transport.bodies<appsv1.ReplicaSet>('update', 'replicasets/web/status');
  t.same(update?.status, { replicas: 3, fullyLabeledReplicas: 1, readyReplicas: 2, availableReplicas: 1, observedGeneration: 4 });
  controller.queue.shutDown();
});

t.test('a deleted ReplicaSet is a no-op', async (t) => {
  const { controller, transport } = setup([], []);
  await controller.sync('default/gone');
  t.same(transport.summary(), []);
});

import t from 'tap';
import type { corev1 } from '../api/types.js';
import { ReplicationControllerController } from './replicationcontroller.js';
import { FakeLister, FakeRecorder, makePod, recordingClient } from './testing.fixture.js';

function makeRC(name: string, replicas: number, selector: Record<string, string> = { app: name }): corev1.ReplicationController {
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name, namespace: 'default', uid: `rc-${name}`, generation: 2, resourceVersion: '1' },
    spec: { replicas, selector, template: { metadata: { labels: { ...selector } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  };
}

function rcOwned(rc: corev1.ReplicationController, pod: corev1.Pod): corev1.Pod {
  return { ...pod, metadata: { ...pod.metadata, ownerReferences: [{ apiVersion: 'v1', kind: 'ReplicationController', name: rc.metadata?.name ?? '', uid: rc.metadata?.uid ?? '', controller: true }] } };
}

function setup(rcs: corev1.ReplicationController[], pods: corev1.Pod[]) {
  const { client, transport } = recordingClient();
  const recorder = new FakeRecorder();
  for (const rc of rcs) transport.objects.set(`replicationcontrollers/default/${rc.metadata?.name}`, rc);
  const controller = new ReplicationControllerController({ client, pods: new FakeLister(pods), replicationControllers: new FakeLister(rcs), recorder });
  return { controller, transport, recorder };
}

t.test('scale up creates pods controlled by the ReplicationController, then writes its status', async (t) => {
  const { controller, transport, recorder } = setup([makeRC('web', 2)], []);
  t.equal(controller.name, 'replicationcontroller');
  await controller.sync('default/web');
  t.same(transport.summary(), ['create pods', 'create pods', 'update replicationcontrollers/web/status']);
  const pod = transport.bodies<corev1.Pod>('create', 'pods')[0];
  t.equal(pod?.metadata?.generateName, 'web-');
  t.match(pod?.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'web', uid: 'rc-web', controller: true, blockOwnerDeletion: true }]);
  t.equal(recorder.events.filter((e) => e.startsWith('Normal SuccessfulCreate Created pod: web-')).length, 2);
  const [status] = transport.bodies<corev1.ReplicationController>('update', 'replicationcontrollers/web/status');
  t.same(status?.status, { replicas: 0, fullyLabeledReplicas: 0, readyReplicas: 0, availableReplicas: 0, observedGeneration: 2 });
});

t.test('the map selector adopts matching orphans and scale down deletes the not-ready pod first', async (t) => {
  const rc = makeRC('web', 1, { app: 'web', tier: 'fe' });
  const labels = { app: 'web', tier: 'fe' };
  const orphan = makePod('orphan', { labels, node: 'n1', ready: true });
  const notReady = rcOwned(rc, makePod('not-ready', { labels, node: 'n1', phase: 'Running' }));
  const partial = makePod('partial', { labels: { app: 'web' } });
  const { controller, transport, recorder } = setup([rc], [orphan, notReady, partial]);
  transport.objects.set('pods/default/orphan', rcOwned(rc, orphan));
  await controller.sync('default/web');
  t.same(transport.summary(), ['patch pods/orphan', 'delete pods/not-ready', 'update replicationcontrollers/web/status']);
  t.ok(recorder.events.includes('Normal SuccessfulDelete Deleted pod: not-ready'));
});

t.test('matching pods controlled by another owner are left alone', async (t) => {
  const rc = makeRC('web', 1);
  const theirs = makePod('theirs', { labels: { app: 'web' }, owner: { metadata: { name: 'web', uid: 'rs-web' } } });
  const { controller, transport } = setup([rc], [theirs]);
  await controller.sync('default/web');
  t.same(transport.summary(), ['create pods', 'update replicationcontrollers/web/status']);
});

t.test('an empty selector selects nothing', async (t) => {
  const rc = makeRC('web', 0, {});
  const { controller, transport } = setup([rc], [makePod('any', { labels: { app: 'web' } })]);
  await controller.sync('default/web');
  t.same(transport.summary(), ['update replicationcontrollers/web/status']);
});

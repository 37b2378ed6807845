import t from 'tap';
import type { corev1 } from '../api/types.js';
import { ManualClock } from '../machinery/clock.js';
import { TaintEvictionController } from './nodelifecycle-eviction.js';
import { FakeLister, FakeRecorder, makePod, recordingClient } from './testing.fixture.js';

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

function taintedNode(taints: corev1.Taint[]): corev1.Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', resourceVersion: '1' }, spec: { taints } };
}

function podWith(tolerations: corev1.Toleration[] = []): corev1.Pod {
  const pod = makePod('p', { node: 'n1', ready: true });
  pod.spec = { ...pod.spec!, tolerations };
  return pod;
}

function setup(node: corev1.Node, pods: corev1.Pod[], clock: ManualClock) {
  const { client, transport } = recordingClient();
  const recorder = new FakeRecorder();
  const nodes = new FakeLister([node]);
  const controller = new TaintEvictionController({ client, nodes, pods: new FakeLister(pods), recorder, clock });
  return { controller, transport, recorder, nodes };
}

const unreachable = (clock: ManualClock): corev1.Taint => ({ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(clock.now()) });
const tolerateUnreachable = (seconds?: number): corev1.Toleration => ({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', ...(seconds === undefined ? {} : { tolerationSeconds: seconds }) });

t.test('a pod that does not tolerate a NoExecute taint is evicted at once', async (t) => {
  const clock = new ManualClock();
  const { controller, transport, recorder } = setup(taintedNode([unreachable(clock)]), [podWith()], clock);
  await controller.sync('default/p');
  t.same(transport.summary(), ['update pods/p/status', 'delete pods/p']);
  const [status] = transport.bodies<corev1.Pod>('update', 'pods/p/status');
  t.match(status?.status?.conditions?.find((c) => c.type === 'DisruptionTarget'), { status: 'True', reason: 'DeletionByTaintManager' });
  t.match(transport.bodies('delete', 'pods/p')[0], { preconditions: { uid: 'pod-p' } });
  t.same(recorder.events, ['Normal TaintManagerEviction Marking for deletion Pod default/p']);
});

t.test('a toleration with tolerationSeconds delays the eviction until the taint is that old', async (t) => {
  const clock = new ManualClock();
  const { controller, transport } = setup(taintedNode([unreachable(clock)]), [podWith([tolerateUnreachable(300)])], clock);
  clock.advance(100_000);
  await controller.sync('default/p');
  t.same(transport.summary(), []);
  t.equal(clock.pendingTimers, 1, 'a wake-up is armed');
  t.equal(controller.queue.length, 0);
  clock.advance(199_999);
  t.equal(controller.queue.length, 0, 'not yet due');
  clock.advance(1);
  t.equal(controller.queue.length, 1, 'requeued when due');
  await controller.sync('default/p');
  t.same(transport.summary(), ['update pods/p/status', 'delete pods/p']);
  controller.queue.shutDown();
});

t.test('the least tolerationSeconds over the taints wins', async (t) => {
  const clock = new ManualClock();
  const notReady: corev1.Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: iso(clock.now()) };
  const pod = podWith([tolerateUnreachable(300), { key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 5 }]);
  const { controller, transport } = setup(taintedNode([unreachable(clock), notReady]), [pod], clock);
  clock.advance(5_000);
  await controller.sync('default/p');
  t.same(transport.summary(), ['update pods/p/status', 'delete pods/p']);
});

t.test('a toleration without tolerationSeconds keeps the pod for good', async (t) => {
  const clock = new ManualClock();
  const { controller, transport } = setup(taintedNode([unreachable(clock)]), [podWith([tolerateUnreachable()])], clock);
  clock.advance(10 * 86_400_000);
  await controller.sync('default/p');
  t.same(transport.summary(), []);
  t.equal(clock.pendingTimers, 0);
});

t.test('NoSchedule taints and untainted nodes evict nothing; a removed taint cancels the wake-up', async (t) => {
  const clock = new ManualClock();
  const { controller, transport, nodes } = setup(taintedNode([unreachable(clock)]), [podWith([tolerateUnreachable(60)])], clock);
  await controller.sync('default/p');
  t.equal(clock.pendingTimers, 1);
  nodes.cache.set(taintedNode([{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]));
  await controller.sync('default/p');
  t.equal(clock.pendingTimers, 0, 'cancelled');
  clock.advance(120_000);
  await controller.sync('default/p');
  t.same(transport.summary(), []);
});

t.test('a taint without timeAdded counts from when it was first seen', async (t) => {
  const clock = new ManualClock();
  const { controller, transport } = setup(taintedNode([{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]), [podWith([tolerateUnreachable(30)])], clock);
  await controller.sync('default/p');
  clock.advance(29_000);
  await controller.sync('default/p');
  t.same(transport.summary(), []);
  clock.advance(1_000);
  await controller.sync('default/p');
  t.same(transport.summary(), ['update pods/p/status', 'delete pods/p']);
  controller.queue.shutDown();
});

t.test('pods being deleted or gone are skipped', async (t) => {
  const clock = new ManualClock();
  const deleting = makePod('p', { node: 'n1', deleting: true });
  const { controller, transport } = setup(taintedNode([unreachable(clock)]), [deleting], clock);
  await controller.sync('default/p');
  await controller.sync('default/gone');
  t.same(transport.summary(), []);
});

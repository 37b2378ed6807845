import t from 'tap';
import type { coordinationv1, corev1 } from '../api/types.js';
import { ManualClock } from '../machinery/clock.js';
import { NodeLifecycleController } from './nodelifecycle.js';
import { FakeLister, FakeRecorder, makePod, recordingClient } from './testing.fixture.js';

const grace = 40_000;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

function readyNode(name: string, clock: ManualClock, extra: Partial<Record<string, string>> = {}): corev1.Node {
  const condition = (type: string, status: string): corev1.NodeCondition => ({ type, status, reason: 'Kubelet', message: 'kubelet', lastHeartbeatTime: iso(clock.now()), lastTransitionTime: iso(clock.now()) });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `node-${name}`, resourceVersion: '1', creationTimestamp: iso(clock.now()) },
    spec: {},
    status: {
      conditions: [
        condition('Ready', extra['Ready'] ?? 'True'),
        condition('MemoryPressure', extra['MemoryPressure'] ?? 'False'),
        condition('DiskPressure', extra['DiskPressure'] ?? 'False'),
        condition('PIDPressure', extra['PIDPressure'] ?? 'False'),
      ],
    },
  };
}

function lease(name: string, renewMs: number): coordinationv1.Lease {
  return { metadata: { name, namespace: 'kube-node-lease', resourceVersion: String(renewMs) }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date(renewMs).toISOString() } };
}

function setup(nodes: corev1.Node[], pods: corev1.Pod[], clock: ManualClock) {
  const { client, transport } = recordingClient();
  const recorder = new FakeRecorder();
  const nodeLister = new FakeLister(nodes);
  const leases = new FakeLister(nodes.map((n) => lease(n.metadata?.name ?? '', clock.now())));
  const controller = new NodeLifecycleController({ client, nodes: nodeLister, leases, pods: new FakeLister(pods), recorder, clock, gracePeriodMs: grace, monitorPeriodMs: 5_000 });
  return { controller, transport, recorder, nodeLister, leases };
}

t.test('a node heard from within the grace period is left alone', async (t) => {
  const clock = new ManualClock();
  const { controller, transport, leases } = setup([readyNode('n1', clock)], [], clock);
  await controller.sync('n1');
  clock.advance(30_000);
  leases.cache.set(lease('n1', clock.now()));
  await controller.sync('n1');
  clock.advance(30_000);
  await controller.sync('n1');
  t.same(transport.summary(), [], 'the lease renewal counts as a heartbeat');
});

t.test('a silent node goes Unknown after the grace period, is tainted unreachable and its pods marked not ready', async (t) => {
  const clock = new ManualClock();
  const pods = [makePod('on-n1', { node: 'n1', ready: true }), makePod('elsewhere', { node: 'n2', ready: true }), makePod('not-ready', { node: 'n1', phase: 'Running' })];
  const { controller, transport, recorder } = setup([readyNode('n1', clock)], pods, clock);
  await controller.sync('n1');
  clock.advance(grace - 1);
  await controller.sync('n1');
  t.same(transport.summary(), [], 'not yet');
  clock.advance(1);
  await controller.sync('n1');
  t.same(transport.summary(), ['update nodes/n1/status', 'update nodes/n1', 'update pods/on-n1/status']);
  const [status] = transport.bodies<corev1.Node>('update', 'nodes/n1/status');
  for (const c of status?.status?.conditions ?? []) {
    t.match(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: iso(clock.now()) }, c.type);
  }
  t.equal(status?.status?.conditions?.length, 4);
  const [spec] = transport.bodies<corev1.Node>('update', 'nodes/n1');
  t.same(spec?.spec?.taints, [
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(clock.now()) },
  ]);
  const [pod] = transport.bodies<corev1.Pod>('update', 'pods/on-n1/status');
  t.match(pod?.status?.conditions?.find((c) => c.type === 'Ready'), { status: 'False', lastTransitionTime: iso(clock.now()) });
  t.same(recorder.events, ['Normal NodeNotReady Node n1 status is now: NodeNotReady']);
});

t.test('a node that never posted status gets the never-updated conditions', async (t) => {
  const clock = new ManualClock();
  const node: corev1.Node = { ...readyNode('n1', clock), status: {} };
  const { controller, transport, leases } = setup([node], [], clock);
  leases.cache.delete('kube-node-lease/n1');
  await controller.sync('n1');
  clock.advance(grace);
  await controller.sync('n1');
  const [status] = transport.bodies<corev1.Node>('update', 'nodes/n1/status');
  t.same(status?.status?.conditions?.map((c) => `${c.type} ${c.status} ${c.reason} ${c.message}`), [
    'Ready Unknown NodeStatusNeverUpdated Kubelet never posted node status.',
    'MemoryPressure Unknown NodeStatusNeverUpdated Kubelet never posted node status.',
    'DiskPressure Unknown NodeStatusNeverUpdated Kubelet never posted node status.',
    'PIDPressure Unknown NodeStatusNeverUpdated Kubelet never posted node status.',
  ]);
});

t.test('conditions the kubelet reports become taints: not-ready, pressure, unschedulable', async (t) => {
  const clock = new ManualClock();
  const node = readyNode('n1', clock, { Ready: 'False', DiskPressure: 'True', MemoryPressure: 'True', PIDPressure: 'True' });
  node.spec = { unschedulable: true, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] };
  node.status?.conditions?.push({ type: 'NetworkUnavailable', status: 'True' });
  const { controller, transport } = setup([node], [makePod('p', { node: 'n1', ready: true })], clock);
  await controller.sync('n1');
  t.same(transport.summary(), ['update nodes/n1'], 'no status write and no pod write before a transition is seen');
  const [spec] = transport.bodies<corev1.Node>('update', 'nodes/n1');
  t.same(
    spec?.spec?.taints?.map((x) => `${x.key}:${x.effect}`),
    [
      'dedicated:NoSchedule',
      'node.kubernetes.io/not-ready:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/network-unavailable:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
      'node.kubernetes.io/not-ready:NoExecute',
    ],
  );
});

t.test('a node turning NotReady has its pods marked not ready once', async (t) => {
  const clock = new ManualClock();
  const node = readyNode('n1', clock);
  const { controller, transport, nodeLister, recorder } = setup([node], [makePod('p', { node: 'n1', ready: true })], clock);
  await controller.sync('n1');
  nodeLister.cache.set(readyNode('n1', clock, { Ready: 'False' }));
  await controller.sync('n1');
  t.same(transport.summary(), ['update nodes/n1', 'update pods/p/status']);
  t.same(recorder.events, ['Normal NodeNotReady Node n1 status is now: NodeNotReady']);
});

t.test('a recovered node loses the managed taints and keeps the others', async (t) => {
  const clock = new ManualClock();
  const node = readyNode('n1', clock);
  node.spec = {
    taints: [
      { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
      { key: 'dedicated', value: 'gpu', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' },
    ],
  };
  const { controller, transport } = setup([node], [], clock);
  await controller.sync('n1');
  t.same(transport.summary(), ['update nodes/n1']);
  t.same(transport.bodies<corev1.Node>('update', 'nodes/n1')[0]?.spec?.taints, [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }]);
});

t.test('an Unknown node that is already tainted needs no writes', async (t) => {
  const clock = new ManualClock();
  const { controller, transport, nodeLister } = setup([readyNode('n1', clock)], [], clock);
  await controller.sync('n1');
  clock.advance(grace);
  await controller.sync('n1');
  const [status] = transport.bodies<corev1.Node>('update', 'nodes/n1/status');
  const [spec] = transport.bodies<corev1.Node>('update', 'nodes/n1');
  nodeLister.cache.set({ ...status!, spec: spec?.spec });
  transport.actions.length = 0;
  clock.advance(5_000);
  await controller.sync('n1');
  t.same(transport.summary(), []);
});

t.test('a deleted node is forgotten', async (t) => {
  const clock = new ManualClock();
  const { controller, transport } = setup([], [], clock);
  await controller.sync('gone');
  t.same(transport.summary(), []);
});

t.test('run queues every node each monitor period', async (t) => {
  const clock = new ManualClock();
  const { controller } = setup([readyNode('n1', clock), readyNode('n2', clock)], [], clock);
  const stop = new AbortController();
  const synced: string[] = [];
  controller.sync = async (key: string) => {
    synced.push(key);
  };
  const running = controller.run(1, stop.signal);
  await new Promise((r) => setImmediate(r));
  t.same(synced.sort(), ['n1', 'n2']);
  clock.advance(5_000);
  await new Promise((r) => setImmediate(r));
  t.same(synced.sort(), ['n1', 'n1', 'n2', 'n2']);
  stop.abort();
  await running;
  t.equal(clock.pendingTimers, 0, 'the timer is cancelled');
});

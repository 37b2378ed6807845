import t from 'tap';
import type { corev1 } from '../api/types.js';
import { ManualClock } from '../machinery/clock.js';
import { PodGCController } from './podgc.js';
import { FakeLister, makePod, recordingClient } from './testing.fixture.js';

function node(name: string): corev1.Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name } };
}

function setup(pods: corev1.Pod[], nodes: corev1.Node[], opts: { threshold?: number } = {}) {
  const clock = new ManualClock();
  const { client, transport } = recordingClient();
  const controller = new PodGCController({ client, pods: new FakeLister(pods), nodes: new FakeLister(nodes), clock, terminatedPodThreshold: opts.threshold ?? 2, quarantineMs: 40_000 });
  return { controller, transport, clock };
}

t.test('terminated pods over the threshold are force-deleted oldest first', async (t) => {
  const pods = [
    makePod('new-done', { node: 'n1', phase: 'Succeeded', created: '2026-01-04T00:00:00Z' }),
    makePod('old-failed', { node: 'n1', phase: 'Failed', created: '2026-01-01T00:00:00Z' }),
    makePod('mid-done', { node: 'n1', phase: 'Succeeded', created: '2026-01-02T00:00:00Z' }),
    makePod('later-done', { node: 'n1', phase: 'Succeeded', created: '2026-01-03T00:00:00Z' }),
    makePod('running', { node: 'n1', phase: 'Running', created: '2025-01-01T00:00:00Z' }),
  ];
  const { controller, transport } = setup(pods, [node('n1')]);
  await controller.sync();
  t.same(transport.summary(), ['delete pods/old-failed', 'delete pods/mid-done']);
  t.match(transport.bodies('delete', 'pods/old-failed')[0], { gracePeriodSeconds: 0 });
});

t.test('at or under the threshold nothing goes; a threshold of 0 turns it off', async (t) => {
  const pods = [makePod('a', { node: 'n1', phase: 'Succeeded' }), makePod('b', { node: 'n1', phase: 'Failed' })];
  const under = setup(pods, [node('n1')]);
  await under.controller.sync();
  t.same(under.transport.summary(), []);
  const off = setup(pods, [node('n1')], { threshold: 0 });
  await off.controller.sync();
  t.same(off.transport.summary(), []);
});

t.test('pods on a missing node go after the quarantine, once a fresh read confirms the node is gone', async (t) => {
  const pods = [makePod('orphan', { node: 'gone', phase: 'Running', ready: true }), makePod('fine', { node: 'n1', phase: 'Running' })];
  const { controller, transport, clock } = setup(pods, [node('n1')]);
  await controller.sync();
  t.same(transport.summary(), [], 'quarantined');
  t.equal(clock.pendingTimers, 1, 'a wake-up at the end of the quarantine');
  clock.advance(39_999);
  await controller.sync();
  t.same(transport.summary(), []);
  clock.advance(1);
  await controller.sync();
  t.same(transport.summary(), ['update pods/orphan/status', 'delete pods/orphan']);
  t.ok(transport.actions.some((a) => a.verb === 'get' && a.target === 'nodes/gone'), 'the node was read');
  const [status] = transport.bodies<corev1.Pod>('update', 'pods/orphan/status');
  t.equal(status?.status?.phase, 'Failed');
  t.match(status?.status?.conditions?.find((c) => c.type === 'DisruptionTarget'), { status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists' });
  controller.queue.shutDown();
});

t.test('a node the cache missed but the API has keeps its pods', async (t) => {
  const { controller, transport, clock } = setup([makePod('p', { node: 'late' })], []);
  transport.objects.set('nodes//late', node('late'));
  await controller.sync();
  clock.advance(40_000);
  await controller.sync();
  t.same(transport.summary(), []);
  controller.queue.shutDown();
});

t.test('unscheduled terminating pods are force-deleted; scheduled ones are left to their kubelet', async (t) => {
  const pods = [makePod('unscheduled', { deleting: true }), makePod('scheduled', { node: 'n1', deleting: true })];
  const { controller, transport } = setup(pods, [node('n1')]);
  await controller.sync();
  t.same(transport.summary(), ['delete pods/unscheduled']);
  t.match(transport.bodies('delete', 'pods/unscheduled')[0], { gracePeriodSeconds: 0 });
});

import t from 'tap';
import { SchedulerCache } from './framework/cache.js';
import { SchedulingQueue } from './framework/queue.js';
import { isPending, nodeHandlers, podHandlers } from './handlers.js';
import { makeNode, makePod } from './testing.fixture.js';

t.test('which pods this scheduler takes', async (t) => {
  const cases = [
    { name: 'unassigned, default scheduler', pod: makePod().obj, want: true },
    { name: 'already on a node', pod: makePod().node('a').obj, want: false },
    { name: 'another scheduler', pod: { ...makePod().obj, spec: { containers: [], schedulerName: 'other' } }, want: false },
    { name: 'being deleted', pod: { ...makePod().obj, metadata: { name: 'p', namespace: 'default', deletionTimestamp: '2026-01-01T00:00:00Z' } }, want: false },
    { name: 'finished', pod: { ...makePod().obj, status: { phase: 'Succeeded' } }, want: false },
  ];
  for (const c of cases) t.equal(isPending(c.pod, 'default-scheduler'), c.want, c.name);
});

t.test('pending pods enter the queue; assigned pods the cache; binding takes a pod out of the queue', async (t) => {
  const cache = new SchedulerCache();
  const queue = new SchedulingQueue();
  const pods = podHandlers(cache, queue, 'default-scheduler');
  const nodes = nodeHandlers(cache, queue);
  nodes.onAdd!(makeNode('a').alloc({ cpu: '1' }).obj, true);
  const pending = makePod('p').req({ cpu: '500m' }).obj;
  pods.onAdd!(pending, false);
  pods.onAdd!(makePod('running').req({ cpu: '500m' }).node('a').obj, false);
  t.equal(queue.lengths.active, 1);
  t.equal(cache.snapshot().get('a')?.requested.milliCPU, 500);
  pods.onUpdate!(pending, { ...pending, spec: { ...pending.spec!, nodeName: 'a' } });
  t.equal(queue.lengths.active, 0, 'bound elsewhere: no longer queued');
  t.equal(cache.snapshot().get('a')?.requested.milliCPU, 1000);
  pods.onDelete!(makePod('running').node('a').obj);
  t.equal(cache.snapshot().get('a')?.requested.milliCPU, 500);
});

t.test('a node update that changes nothing relevant wakes nobody', async (t) => {
  const cache = new SchedulerCache();
  const queue = new SchedulingQueue();
  const nodes = nodeHandlers(cache, queue);
  const node = makeNode('a').obj;
  nodes.onAdd!(node, true);
  queue.add(makePod('p').obj);
  const q = (await queue.pop())!;
  queue.addUnschedulable(q, new Set(['NodeAffinity']), queue.schedulingCycle);
  nodes.onUpdate!(node, { ...node, metadata: { ...node.metadata, resourceVersion: '9' } });
  t.equal(queue.lengths.unschedulable, 1);
  nodes.onUpdate!(node, { ...node, metadata: { ...node.metadata, labels: { disk: 'ssd' } } });
  t.equal(queue.lengths.unschedulable, 0);
});

import t from 'tap';
import { makePod } from '../testing.fixture.js';
import { SchedulingQueue, type QueuedPod } from './queue.js';

function clockedQueue() {
  let now = 1000;
  const q = new SchedulingQueue({ now: () => now, initialBackoffMs: 1000, maxBackoffMs: 10_000 });
  return { q, tick: (ms: number) => (now += ms) };
}

async function popName(q: SchedulingQueue): Promise<string | undefined> {
  return (await q.pop())?.pod.metadata?.name;
}

t.test('the active queue orders by priority, then arrival', async (t) => {
  const { q, tick } = clockedQueue();
  for (const [name, prio] of [['low', 0], ['high', 100], ['low2', 0], ['mid', 50]] as const) {
    q.add(makePod(name).priority(prio).obj);
    tick(1);
  }
  const order = [];
  for (let i = 0; i < 4; i++) order.push(await popName(q));
  t.same(order, ['high', 'mid', 'low', 'low2']);
});

t.test('pop waits for a pod; close releases waiters', async (t) => {
  const { q } = clockedQueue();
  const waiting = q.pop();
  q.add(makePod('late').obj);
  t.equal((await waiting)?.pod.metadata?.name, 'late');
  const none = q.pop();
  q.close();
  t.equal(await none, undefined);
});

t.test('tryPop takes the next active pod without waiting, and nothing once closed', async (t) => {
  const { q } = clockedQueue();
  t.equal(q.tryPop(), undefined, 'empty');
  q.add(makePod('a').obj);
  q.add(makePod('b').obj);
  t.equal(q.tryPop()?.pod.metadata?.name, 'a');
  q.close();
  t.equal(q.tryPop(), undefined, 'closed');
});

t.test('an aborted pop gives up its turn without taking a pod', async (t) => {
  const { q } = clockedQueue();
  const stop = new AbortController();
  const abandoned = q.pop(stop.signal);
  stop.abort();
  t.equal(await abandoned, undefined);
  q.add(makePod('kept').obj);
  t.equal(await q.pop(stop.signal), undefined, 'an already aborted signal takes nothing');
  t.equal(await popName(q), 'kept', 'the pod is still queued for the next pop');
});

t.test('back-off doubles from 1s to at most 10s per attempt', async (t) => {
  const { q } = clockedQueue();
  const backoffs = [1, 2, 3, 4, 5, 6].map((attempts) => q.backoffMs({ attempts } as QueuedPod));
  t.same(backoffs, [1000, 2000, 4000, 8000, 10_000, 10_000]);
});

t.test('a failed pod returns to active only after its back-off', async (t) => {
  const { q, tick } = clockedQueue();
  q.add(makePod('p').obj);
  const p = (await q.pop())!;
  q.addBackoff(p);
  t.same(q.lengths, { active: 0, backoff: 1, unschedulable: 0 });
  tick(999);
  q.flush();
  t.equal(q.lengths.backoff, 1, 'still backing off');
  tick(1);
  q.flush();
  t.same(q.lengths, { active: 1, backoff: 0, unschedulable: 0 });
});

t.test('unschedulable pods wait for an event that may help them', async (t) => {
  const { q, tick } = clockedQueue();
  q.add(makePod('taint').obj);
  q.add(makePod('cpu').obj);
  const a = (await q.pop())!;
  const b = (await q.pop())!;
  const cycle = q.schedulingCycle;
  q.addUnschedulable(a, new Set(['TaintToleration']), cycle);
  q.addUnschedulable(b, new Set(['NodeResourcesFit']), cycle);
  t.equal(q.lengths.unschedulable, 2);
  tick(5000);
  q.moveOnEvent('AssignedPodDelete');
  t.same(q.lengths, { active: 1, backoff: 0, unschedulable: 1 }, 'a deleted pod frees resources, not taints');
  t.equal(await popName(q), 'cpu');
  q.moveOnEvent('NodeAdd');
  t.equal(await popName(q), 'taint', 'a new node may help anyone');
});

t.test('a pod moved before its back-off expires waits in back-off', async (t) => {
  const { q, tick } = clockedQueue();
  q.add(makePod('p').obj);
  const p = (await q.pop())!;
  q.addUnschedulable(p, new Set(['NodeResourcesFit']), q.schedulingCycle);
  q.moveOnEvent('NodeAdd');
  t.same(q.lengths, { active: 0, backoff: 1, unschedulable: 0 });
  tick(1000);
  q.flush();
  t.equal(q.lengths.active, 1);
});

t.test('an event during the cycle sends the failed pod to back-off, not to the parked set', async (t) => {
  const { q } = clockedQueue();
  q.add(makePod('p').obj);
  const p = (await q.pop())!;
  const cycle = q.schedulingCycle;
  q.moveOnEvent('NodeAdd');
  q.addUnschedulable(p, new Set(['NodeResourcesFit']), cycle);
  t.same(q.lengths, { active: 0, backoff: 1, unschedulable: 0 });
});

t.test('a parked pod whose spec changes is retried; a status change is not enough', async (t) => {
  const { q, tick } = clockedQueue();
  const pod = makePod('p').obj;
  q.add(pod);
  const p = (await q.pop())!;
  q.addUnschedulable(p, new Set(['NodeAffinity']), q.schedulingCycle);
  tick(2000);
  q.update({ ...pod, status: { phase: 'Pending' } });
  t.equal(q.lengths.unschedulable, 1);
  q.update({ ...pod, spec: { ...pod.spec!, nodeSelector: { disk: 'ssd' } } });
  t.same(q.lengths, { active: 1, backoff: 0, unschedulable: 0 });
});

t.test('a deleted pod leaves every queue and is not requeued by its cycle', async (t) => {
  const { q } = clockedQueue();
  const pod = makePod('p').obj;
  q.add(pod);
  const p = (await q.pop())!;
  q.delete(pod);
  q.addUnschedulable(p, new Set(), q.schedulingCycle);
  t.same(q.lengths, { active: 0, backoff: 0, unschedulable: 0 });
  t.notOk(q.has('default/p'));
});

t.test('parked pods are retried after five minutes without events', async (t) => {
  const { q, tick } = clockedQueue();
  q.add(makePod('p').obj);
  q.addUnschedulable((await q.pop())!, new Set(['TaintToleration']), q.schedulingCycle);
  tick(5 * 60_000);
  q.flush();
  t.equal(q.lengths.active, 1);
});

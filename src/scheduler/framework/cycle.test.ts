import t from 'tap';
import { defaultProfile } from '../profile.js';
import { makeNode, makePod, nodeInfo } from '../testing.fixture.js';
import { SchedulerCache } from './cache.js';
import { runCycle, selectHost } from './cycle.js';
import { fitErrorMessage } from './fiterror.js';
import { makeSnapshot } from './nodeinfo.js';
import { evaluatePreemption } from './preemption.js';

const profile = defaultProfile();
const cpTaint = 'node-role.kubernetes.io/control-plane';

t.test('selectHost picks the highest score and breaks ties at random', async (t) => {
  const scores = [
    { name: 'a', score: 5 },
    { name: 'b', score: 9 },
    { name: 'c', score: 9 },
  ];
  t.equal(selectHost(scores, () => 0.99), 'b', 'keeps the first tie when the draw says so');
  t.equal(selectHost(scores, () => 0), 'c', 'takes the later tie when the draw says so');
  t.equal(selectHost([]), undefined);
});

t.test('the default profile filters, then scores the feasible nodes', async (t) => {
  const snapshot = makeSnapshot([
    nodeInfo(makeNode('cp').taint(cpTaint, undefined, 'NoSchedule')),
    nodeInfo(makeNode('busy'), makePod('e').req({ cpu: '3' })),
    nodeInfo(makeNode('idle')),
  ]);
  const r = runCycle(profile, makePod().req({ cpu: '500m' }).obj, snapshot, { random: () => 0 });
  t.match(r, { kind: 'scheduled', node: 'idle', evaluated: 3, feasible: 2 });
});

t.test('no node fits: the diagnosis gives upstream message', async (t) => {
  const snapshot = makeSnapshot([
    nodeInfo(makeNode('cp').taint(cpTaint, undefined, 'NoSchedule')),
    nodeInfo(makeNode('w1').taint(cpTaint, undefined, 'NoSchedule')),
    nodeInfo(makeNode('small').alloc({ cpu: '1' })),
  ]);
  const pod = makePod().req({ cpu: '2' }).obj;
  const r = runCycle(profile, pod, snapshot);
  if (r.kind !== 'unschedulable') throw new Error(`want unschedulable, got ${r.kind}`);
  const preemption = evaluatePreemption(profile, pod, snapshot, r.diagnosis.nodeToStatus);
  r.diagnosis.postFilterMsg = preemption.message;
  t.equal(
    fitErrorMessage(r.numAllNodes, r.diagnosis),
    `0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {${cpTaint}: }. ` +
      'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
  );
  t.same([...r.diagnosis.unschedulablePlugins].sort(), ['NodeResourcesFit', 'TaintToleration']);
});

t.test('no nodes at all', async (t) => {
  t.match(runCycle(profile, makePod().obj, makeSnapshot([])), { kind: 'unschedulable', message: 'no nodes available to schedule pods' });
});

t.test('preemption picks lower-priority victims and gives back those not needed', async (t) => {
  const snapshot = makeSnapshot([
    nodeInfo(makeNode('a').alloc({ cpu: '2' }), makePod('low1').req({ cpu: '1' }).priority(1), makePod('low2').req({ cpu: '1' }).priority(2)),
    nodeInfo(makeNode('b').alloc({ cpu: '2' }), makePod('high').req({ cpu: '2' }).priority(1000)),
  ]);
  const pod = makePod('important').req({ cpu: '1' }).priority(100).obj;
  const r = runCycle(profile, pod, snapshot);
  if (r.kind !== 'unschedulable') throw new Error(`want unschedulable, got ${r.kind}`);
  const p = evaluatePreemption(profile, pod, snapshot, r.diagnosis.nodeToStatus);
  t.equal(p.message, '');
  t.equal(p.nominated?.node, 'a');
  t.same(p.nominated?.victims.map((v) => v.metadata?.name), ['low1'], 'only the lowest-priority pod goes');
  t.equal(evaluatePreemption(profile, { ...pod, spec: { ...pod.spec!, preemptionPolicy: 'Never' } }, snapshot, r.diagnosis.nodeToStatus).message, 'preemption: not eligible due to preemptionPolicy=Never.');
});

t.test('an assumed pod is seen by the next cycle; forgetting it frees the node', async (t) => {
  const cache = new SchedulerCache();
  cache.setNode(makeNode('only').alloc({ cpu: '1' }).obj);
  const first = makePod('first').req({ cpu: '800m' }).obj;
  const second = makePod('second').req({ cpu: '800m' }).obj;
  t.match(runCycle(profile, first, cache.snapshot()), { kind: 'scheduled', node: 'only' });
  cache.assume(first, 'only');
  t.ok(cache.isAssumed('default/first'));
  t.match(runCycle(profile, second, cache.snapshot()), { kind: 'unschedulable' });
  cache.forget('default/first');
  t.match(runCycle(profile, second, cache.snapshot()), { kind: 'scheduled', node: 'only' });
  cache.assume(first, 'only');
  cache.setPod({ ...first, spec: { ...first.spec!, nodeName: 'only' } });
  t.notOk(cache.isAssumed('default/first'), 'the bound pod from the API confirms the assumption');
  cache.forget('default/first');
  t.match(runCycle(profile, second, cache.snapshot()), { kind: 'unschedulable' }, 'forget leaves a confirmed pod alone');
  cache.setPod({ ...first, spec: { ...first.spec!, nodeName: 'only' }, status: { phase: 'Succeeded' } });
  t.match(runCycle(profile, second, cache.snapshot()), { kind: 'scheduled' }, 'a finished pod no longer counts');
});

t.test('space freed for a nominated pod is kept for it, not for pods of lower priority', async (t) => {
  const cache = new SchedulerCache();
  cache.setNode(makeNode('only').alloc({ cpu: '1' }).obj);
  const preemptor = makePod('preemptor').req({ cpu: '800m' }).priority(100).obj;
  cache.setNominated({ ...preemptor, status: { nominatedNodeName: 'only' } });
  t.match(runCycle(profile, makePod('low').req({ cpu: '800m' }).obj, cache.snapshot()), { kind: 'unschedulable' });
  t.match(runCycle(profile, makePod('higher').req({ cpu: '800m' }).priority(200).obj, cache.snapshot()), { kind: 'scheduled' }, 'a higher priority ignores it');
  t.match(runCycle(profile, preemptor, cache.snapshot()), { kind: 'scheduled', node: 'only' }, 'the nominated pod itself fits');
  cache.clearNominated('default/preemptor');
  t.match(runCycle(profile, makePod('low').req({ cpu: '800m' }).obj, cache.snapshot()), { kind: 'scheduled' });
});

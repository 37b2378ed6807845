import t from 'tap';
import { fitErrorMessage } from './fiterror.js';
import { unresolvable, unschedulable } from './status.js';

const taint = 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }';

t.test('reasons are counted per node and sorted as strings', async (t) => {
  const nodeToStatus = new Map([
    ['a', unschedulable('Insufficient cpu')],
    ['b', unresolvable(taint)],
    ['c', unresolvable(taint)],
  ]);
  t.equal(fitErrorMessage(3, { nodeToStatus, unschedulablePlugins: new Set() }), `0/3 nodes are available: 1 Insufficient cpu, 2 ${taint}.`);
});

t.test('a node with several reasons counts each', async (t) => {
  const nodeToStatus = new Map([['a', unschedulable('Insufficient cpu', 'Insufficient memory')]]);
  t.equal(fitErrorMessage(1, { nodeToStatus, unschedulablePlugins: new Set() }), '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.');
});

t.test('the preemption message follows; absent nodes count the absent status', async (t) => {
  const preemption = fitErrorMessage(3, { nodeToStatus: new Map(), absentStatus: unresolvable('Preemption is not helpful for scheduling'), unschedulablePlugins: new Set() });
  t.equal(preemption, '0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
  const nodeToStatus = new Map([
    ['a', unschedulable('Insufficient cpu')],
    ['b', unresolvable(taint)],
    ['c', unresolvable(taint)],
  ]);
  t.equal(
    fitErrorMessage(3, { nodeToStatus, postFilterMsg: `preemption: ${preemption}`, unschedulablePlugins: new Set() }),
    `0/3 nodes are available: 1 Insufficient cpu, 2 ${taint}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`,
  );
});

t.test('a PreFilter rejection stands for every node', async (t) => {
  const nodeToStatus = new Map([['a', unresolvable('x')]]);
  t.equal(fitErrorMessage(2, { nodeToStatus, preFilterMsg: 'x', unschedulablePlugins: new Set() }), '0/2 nodes are available: x.');
});

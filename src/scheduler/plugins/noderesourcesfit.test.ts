import t from 'tap';
import { Code } from '../framework/status.js';
import { cycleContext, makeNode, makePod, nodeInfo } from '../testing.fixture.js';
import { nodeResourcesFit } from './noderesourcesfit.js';

const node = makeNode('a').alloc({ cpu: '2', memory: '4Gi', pods: '3', 'ephemeral-storage': '1Gi', 'example.com/gpu': '1' });

const cases = [
  { name: 'fits when nothing runs', pod: makePod().req({ cpu: '1', memory: '1Gi' }), existing: [], want: [] },
  { name: 'cpu short', pod: makePod().req({ cpu: '1500m' }), existing: [makePod('e').req({ cpu: '1' })], want: ['Insufficient cpu'] },
  {
    name: 'cpu and memory short, in upstream order',
    pod: makePod().req({ cpu: '2', memory: '4Gi' }),
    existing: [makePod('e').req({ cpu: '1', memory: '1Gi' })],
    want: ['Insufficient cpu', 'Insufficient memory'],
  },
  { name: 'ephemeral storage short', pod: makePod().req({ 'ephemeral-storage': '2Gi' }), existing: [], want: ['Insufficient ephemeral-storage'] },
  { name: 'extended resource short', pod: makePod().req({ 'example.com/gpu': '2' }), existing: [], want: ['Insufficient example.com/gpu'] },
  {
    name: 'pod slots full, even for a pod without requests',
    pod: makePod(),
    existing: [makePod('e1'), makePod('e2'), makePod('e3')],
    want: ['Too many pods'],
  },
  { name: 'init containers count by the max rule, not summed', pod: makePod().req({ cpu: '500m' }).initReq({ cpu: '2' }).initReq({ cpu: '2' }), existing: [], want: [] },
  { name: 'an init container above allocatable does not fit', pod: makePod().req({ cpu: '500m' }).initReq({ cpu: '3' }), existing: [], want: ['Insufficient cpu'] },
  {
    name: 'restartable init containers (sidecars) add to the containers',
    pod: makePod().req({ cpu: '1500m' }).initReq({ cpu: '1' }, 'Always'),
    existing: [],
    want: ['Insufficient cpu'],
  },
  { name: 'overhead is added', pod: makePod().req({ cpu: '1900m' }).overhead({ cpu: '200m' }), existing: [], want: ['Insufficient cpu'] },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const info = nodeInfo(node, ...c.existing);
    const s = nodeResourcesFit.filter(cycleContext(c.pod, [info]), info);
    t.same(s.reasons, c.want);
    t.equal(s.code, c.want.length ? Code.Unschedulable : Code.Success);
  });
}

t.test('least-allocated prefers the emptier node, counting default requests', async (t) => {
  const pod = makePod().req({ cpu: '1', memory: '1Gi' });
  const empty = nodeInfo(makeNode('empty'));
  const busy = nodeInfo(makeNode('busy'), makePod('e').req({ cpu: '2', memory: '4Gi' }));
  const ctx = cycleContext(pod, [empty, busy]);
  const [a, b] = [nodeResourcesFit.score(ctx, empty), nodeResourcesFit.score(ctx, busy)];
  t.equal(a, 81, 'cpu (4-1)/4=75, memory (8-1)/8=87 → 81');
  t.equal(b, 31, 'cpu (4-3)/4=25, memory (8-5)/8=37 → 31');
  const noRequests = nodeInfo(makeNode('n'), makePod('e').image('x'));
  t.ok(nodeResourcesFit.score(ctx, noRequests) < a, 'a pod without requests still counts 100m and 200Mi');
});

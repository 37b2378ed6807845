import t from 'tap';
import type { NodeScore } from '../framework/interfaces.js';
import { Code } from '../framework/status.js';
import { cycleContext, makeNode, makePod, nodeInfo } from '../testing.fixture.js';
import { taintToleration } from './tainttoleration.js';

const cp = makeNode('cp').taint('node-role.kubernetes.io/control-plane', undefined, 'NoSchedule');

const cases = [
  { name: 'an untainted node fits', pod: makePod(), node: makeNode('a'), want: undefined },
  { name: 'an untolerated NoSchedule taint rejects', pod: makePod(), node: cp, want: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }' },
  { name: 'Exists with the key tolerates', pod: makePod().tolerate({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }), node: cp, want: undefined },
  { name: 'an empty key with Exists tolerates everything', pod: makePod().tolerate({ operator: 'Exists' }), node: cp, want: undefined },
  { name: 'a different effect does not tolerate', pod: makePod().tolerate({ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoExecute' }), node: cp, want: 'node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }' },
  { name: 'Equal needs the value', pod: makePod().tolerate({ key: 'k', value: 'x' }), node: makeNode('a').taint('k', 'v', 'NoExecute'), want: 'node(s) had untolerated taint {k: v}' },
  { name: 'Equal with the value tolerates', pod: makePod().tolerate({ key: 'k', value: 'v', effect: 'NoExecute' }), node: makeNode('a').taint('k', 'v', 'NoExecute'), want: undefined },
  { name: 'PreferNoSchedule never rejects', pod: makePod(), node: makeNode('a').taint('k', 'v', 'PreferNoSchedule'), want: undefined },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const info = nodeInfo(c.node);
    const s = taintToleration.filter(cycleContext(c.pod, [info]), info);
    if (c.want === undefined) t.equal(s.code, Code.Success);
    else t.same(s, { code: Code.UnschedulableAndUnresolvable, reasons: [c.want] });
  });
}

t.test('untolerated PreferNoSchedule taints lower the normalised score', async (t) => {
  const nodes = [nodeInfo(makeNode('clean')), nodeInfo(makeNode('one').taint('a', '1', 'PreferNoSchedule')), nodeInfo(makeNode('two').taint('a', '1', 'PreferNoSchedule').taint('b', '2', 'PreferNoSchedule'))];
  const ctx = cycleContext(makePod().tolerate({ key: 'b', operator: 'Exists', effect: 'PreferNoSchedule' }), nodes);
  const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: taintToleration.score(ctx, n) }));
  taintToleration.normalizeScore!(ctx, scores);
  t.same(scores, [
    { name: 'clean', score: 100 },
    { name: 'one', score: 0 },
    { name: 'two', score: 0 },
  ]);
});

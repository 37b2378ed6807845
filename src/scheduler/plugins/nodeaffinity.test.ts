import t from 'tap';
import type { NodeScore } from '../framework/interfaces.js';
import { Code } from '../framework/status.js';
import { cycleContext, makeNode, makePod, nodeInfo } from '../testing.fixture.js';
import { nodeAffinity } from './nodeaffinity.js';
import { nodeName } from './nodename.js';
import { nodeUnschedulable } from './nodeunschedulable.js';

const ssd = makeNode('a').label('disk', 'ssd').label('rank', '5');

const cases = [
  { name: 'no selector fits', pod: makePod(), fits: true },
  { name: 'matching nodeSelector fits', pod: makePod().nodeSelector({ disk: 'ssd' }), fits: true },
  { name: 'other nodeSelector value does not fit', pod: makePod().nodeSelector({ disk: 'hdd' }), fits: false },
  { name: 'required In fits', pod: makePod().nodeAffinityIn('disk', ['hdd', 'ssd']), fits: true },
  { name: 'required In without the value does not fit', pod: makePod().nodeAffinityIn('disk', ['hdd']), fits: false },
  { name: 'required on a missing label does not fit', pod: makePod().nodeAffinityIn('zone', ['z1']), fits: false },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const info = nodeInfo(ssd);
    const s = nodeAffinity.filter(cycleContext(c.pod, [info]), info);
    if (c.fits) t.equal(s.code, Code.Success);
    else t.same(s, { code: Code.UnschedulableAndUnresolvable, reasons: ["node(s) didn't match Pod's node affinity/selector"] });
  });
}

t.test('Gt and Lt compare integers; matchFields match the node name', async (t) => {
  const pod = makePod();
  pod.obj.spec!.affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: 'rank', operator: 'Gt', values: ['3'] }], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a'] }] }],
      },
    },
  };
  const info = nodeInfo(ssd);
  t.equal(nodeAffinity.filter(cycleContext(pod, [info]), info).code, Code.Success);
  const other = nodeInfo(makeNode('b').label('rank', '5'));
  t.equal(nodeAffinity.filter(cycleContext(pod, [other]), other).code, Code.UnschedulableAndUnresolvable);
});

t.test('preferred terms score by weight, normalised to 100', async (t) => {
  const nodes = [nodeInfo(ssd), nodeInfo(makeNode('b').label('disk', 'hdd')), nodeInfo(makeNode('c'))];
  const ctx = cycleContext(makePod().preferNode(80, 'disk', ['ssd']).preferNode(20, 'disk', ['hdd']), nodes);
  const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: nodeAffinity.score(ctx, n) }));
  nodeAffinity.normalizeScore!(ctx, scores);
  t.same(scores.map((s) => s.score), [100, 25, 0]);
});

t.test('NodeName and NodeUnschedulable', async (t) => {
  const a = nodeInfo(makeNode('a'));
  t.equal(nodeName.filter(cycleContext(makePod().node('a')), a).code, Code.Success);
  t.same(nodeName.filter(cycleContext(makePod().node('b')), a).reasons, ["node(s) didn't match the requested node name"]);
  const cordoned = nodeInfo(makeNode('c').unschedulable());
  t.same(nodeUnschedulable.filter(cycleContext(makePod()), cordoned).reasons, ['node(s) were unschedulable']);
  const tolerant = makePod().tolerate({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' });
  t.equal(nodeUnschedulable.filter(cycleContext(tolerant), cordoned).code, Code.Success);
});

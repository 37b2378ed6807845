import t from 'tap';
import type { NodeScore } from '../framework/interfaces.js';
import { Code } from '../framework/status.js';
import { cycleContext, makeNode, makePod, nodeInfo, type PodBuilder } from '../testing.fixture.js';
import { podTopologySpread } from './podtopologyspread.js';

const web = (name: string) => makePod(name).label('app', 'web');
const spreadPod = (maxSkew: number, when: 'DoNotSchedule' | 'ScheduleAnyway' = 'DoNotSchedule') => web('new').spread(maxSkew, 'zone', when, { app: 'web' });

function nodes(placed: Record<string, PodBuilder[]>) {
  return [
    nodeInfo(makeNode('a').label('zone', 'z1'), ...(placed['a'] ?? [])),
    nodeInfo(makeNode('b').label('zone', 'z2'), ...(placed['b'] ?? [])),
    nodeInfo(makeNode('nozone'), ...(placed['nozone'] ?? [])),
  ];
}

const cases: { name: string; pod: PodBuilder; placed: Record<string, PodBuilder[]>; want: string[] }[] = [
  { name: 'balanced zones: both fit', pod: spreadPod(1), placed: { a: [web('1')], b: [web('2')] }, want: ['Success', 'Success'] },
  { name: 'skew 1: the fuller zone is refused', pod: spreadPod(1), placed: { a: [web('1')] }, want: ['Unschedulable', 'Success'] },
  { name: 'maxSkew 2 allows one more', pod: spreadPod(2), placed: { a: [web('1')] }, want: ['Success', 'Success'] },
  { name: 'pods that do not match do not count', pod: spreadPod(1), placed: { a: [makePod('x').label('app', 'db')] }, want: ['Success', 'Success'] },
  { name: 'pods on nodes without the key do not count', pod: spreadPod(1), placed: { nozone: [web('1'), web('2')] }, want: ['Success', 'Success'] },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const ns = nodes(c.placed);
    const ctx = cycleContext(c.pod, ns);
    t.equal(podTopologySpread.preFilter(ctx).code, Code.Success);
    t.same(ns.slice(0, 2).map((n) => podTopologySpread.filter(ctx, n).code), c.want);
    t.same(podTopologySpread.filter(ctx, ns[2]!), { code: Code.UnschedulableAndUnresolvable, reasons: ["node(s) didn't match pod topology spread constraints (missing required label)"] });
  });
}

t.test('the skew message', async (t) => {
  const ns = nodes({ a: [web('1')] });
  const ctx = cycleContext(spreadPod(1), ns);
  podTopologySpread.preFilter(ctx);
  t.same(podTopologySpread.filter(ctx, ns[0]!).reasons, ["node(s) didn't match pod topology spread constraints"]);
});

t.test('a pod without constraints skips the filter', async (t) => {
  t.equal(podTopologySpread.preFilter(cycleContext(makePod(), nodes({}))).code, Code.Skip);
});

t.test('ScheduleAnyway prefers the emptier zone and ignores nodes without the key', async (t) => {
  const ns = nodes({ a: [web('1'), web('2')] });
  const ctx = cycleContext(spreadPod(1, 'ScheduleAnyway'), ns);
  t.equal(podTopologySpread.preScore(ctx, ns).code, Code.Success);
  const scores: NodeScore[] = ns.map((n) => ({ name: n.name, score: podTopologySpread.score(ctx, n) }));
  podTopologySpread.normalizeScore!(ctx, scores);
  t.ok(scores[1]!.score > scores[0]!.score, JSON.stringify(scores));
  t.equal(scores[1]!.score, 100);
  t.equal(scores[2]!.score, 0);
});

import t from 'tap';
import type { NodeScore } from '../framework/interfaces.js';
import { Code, success, type Status } from '../framework/status.js';
import { cycleContext, makeNode, makePod, nodeInfo, type PodBuilder } from '../testing.fixture.js';
import { interPodAffinity } from './interpodaffinity.js';

// Two zones: a and b in z1, c in z2.
const zone = (name: string, z: string) => makeNode(name).label('zone', z);
const web = (name: string) => makePod(name).label('app', 'web');

function filterAll(pod: PodBuilder, placed: Record<string, PodBuilder[]>): Record<string, Status> {
  const nodes = [nodeInfo(zone('a', 'z1'), ...(placed['a'] ?? [])), nodeInfo(zone('b', 'z1'), ...(placed['b'] ?? [])), nodeInfo(zone('c', 'z2'), ...(placed['c'] ?? []))];
  const ctx = cycleContext(pod, nodes);
  // Skip means the Filter is not run: every node passes.
  if (interPodAffinity.preFilter(ctx).code === Code.Skip) return Object.fromEntries(nodes.map((n) => [n.name, success]));
  return Object.fromEntries(nodes.map((n) => [n.name, interPodAffinity.filter(ctx, n)]));
}

const ok = success;
const affinityMiss = { code: Code.UnschedulableAndUnresolvable, reasons: ["node(s) didn't match pod affinity rules"] };
const antiMiss = { code: Code.Unschedulable, reasons: ["node(s) didn't match pod anti-affinity rules"] };
const existingMiss = { code: Code.Unschedulable, reasons: ["node(s) didn't satisfy existing pods anti-affinity rules"] };

const cases: { name: string; pod: PodBuilder; placed: Record<string, PodBuilder[]>; want: Record<string, unknown> }[] = [
  { name: 'no affinity fits everywhere', pod: makePod(), placed: { a: [web('w')] }, want: { a: ok, b: ok, c: ok } },
  { name: 'affinity by zone follows the matching pod', pod: makePod().podAffinity('zone', { app: 'web' }), placed: { a: [web('w')] }, want: { a: ok, b: ok, c: affinityMiss } },
  {
    name: 'the first pod of a self-affine group may go anywhere',
    pod: web('first').podAffinity('zone', { app: 'web' }),
    placed: {},
    want: { a: ok, b: ok, c: ok },
  },
  { name: 'affinity to a missing group fails everywhere', pod: makePod().podAffinity('zone', { app: 'db' }), placed: {}, want: { a: affinityMiss, b: affinityMiss, c: affinityMiss } },
  { name: 'anti-affinity by zone avoids the matching zone', pod: makePod().podAntiAffinity('zone', { app: 'web' }), placed: { b: [web('w')] }, want: { a: antiMiss, b: antiMiss, c: ok } },
  {
    name: 'anti-affinity by hostname avoids only that node',
    pod: makePod().podAntiAffinity('kubernetes.io/hostname', { app: 'web' }),
    placed: { b: [web('w')] },
    want: { a: ok, b: antiMiss, c: ok },
  },
  {
    name: "an existing pod's anti-affinity keeps the incoming pod out of its zone",
    pod: web('new'),
    placed: { c: [makePod('loner').podAntiAffinity('zone', { app: 'web' })] },
    want: { a: ok, b: ok, c: existingMiss },
  },
  {
    name: 'terms look only in the pod namespace by default',
    pod: makePod().podAntiAffinity('zone', { app: 'web' }),
    placed: { a: [makePod('w', 'other').label('app', 'web')] },
    want: { a: ok, b: ok, c: ok },
  },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    t.same(filterAll(c.pod, c.placed), c.want);
  });
}

t.test('PreFilter skips when the pod has no required terms and no existing anti-affinity matches it', async (t) => {
  const nodes = (placed: PodBuilder[]) => [nodeInfo(zone('a', 'z1'), ...placed), nodeInfo(zone('c', 'z2'))];
  t.equal(interPodAffinity.preFilter(cycleContext(web('new'), nodes([web('w')]))).code, Code.Skip, 'plain pods around');
  t.equal(interPodAffinity.preFilter(cycleContext(web('new'), nodes([makePod('loner').podAntiAffinity('zone', { app: 'db' })]))).code, Code.Skip, 'anti-affinity elsewhere');
  t.equal(interPodAffinity.preFilter(cycleContext(web('new'), nodes([makePod('loner').podAntiAffinity('zone', { app: 'web' })]))).code, Code.Success, 'anti-affinity against it');
  t.equal(interPodAffinity.preFilter(cycleContext(makePod().podAntiAffinity('zone', { app: 'web' }), nodes([]))).code, Code.Success, 'its own terms');
});

t.test('preferred affinity scores the zone with matching pods highest', async (t) => {
  const nodes = [nodeInfo(zone('a', 'z1'), web('w')), nodeInfo(zone('b', 'z1')), nodeInfo(zone('c', 'z2'))];
  const ctx = cycleContext(makePod().preferPodAffinity(10, 'zone', { app: 'web' }), nodes);
  t.equal(interPodAffinity.preScore(ctx, nodes).code, Code.Success);
  const scores: NodeScore[] = nodes.map((n) => ({ name: n.name, score: interPodAffinity.score(ctx, n) }));
  interPodAffinity.normalizeScore!(ctx, scores);
  t.same(scores.map((s) => s.score), [100, 100, 0]);
});

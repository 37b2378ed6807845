import t from 'tap';
import { Code } from '../framework/status.js';
import { cycleContext, makeNode, makePod, nodeInfo } from '../testing.fixture.js';
import { balancedAllocation } from './balancedallocation.js';
import { imageLocality } from './imagelocality.js';
import { nodePorts } from './nodeports.js';

t.test('NodePorts', async (t) => {
  const cases = [
    { name: 'free port', pod: makePod().hostPort(80), used: makePod('e').hostPort(81), fits: true },
    { name: 'same port and protocol clash', pod: makePod().hostPort(80), used: makePod('e').hostPort(80), fits: false },
    { name: 'other protocol is free', pod: makePod().hostPort(53, 'UDP'), used: makePod('e').hostPort(53, 'TCP'), fits: true },
    { name: 'different specific IPs are free', pod: makePod().hostPort(80, 'TCP', '10.0.0.1'), used: makePod('e').hostPort(80, 'TCP', '10.0.0.2'), fits: true },
    { name: '0.0.0.0 clashes with a specific IP', pod: makePod().hostPort(80), used: makePod('e').hostPort(80, 'TCP', '10.0.0.2'), fits: false },
  ];
  for (const c of cases) {
    const info = nodeInfo(makeNode('a'), c.used);
    const s = nodePorts.filter(cycleContext(c.pod, [info]), info);
    if (c.fits) t.equal(s.code, Code.Success, c.name);
    else t.same(s, { code: Code.Unschedulable, reasons: ["node(s) didn't have free ports for the requested pod ports"] }, c.name);
  }
});

t.test('BalancedAllocation prefers equal cpu and memory fractions', async (t) => {
  const pod = makePod().req({ cpu: '1', memory: '2Gi' });
  const even = nodeInfo(makeNode('even'));
  const skewed = nodeInfo(makeNode('skewed'), makePod('e').req({ cpu: '2' }));
  const ctx = cycleContext(pod, [even, skewed]);
  t.equal(balancedAllocation.score(ctx, even), 100, 'cpu 1/4, memory 2/8');
  t.equal(balancedAllocation.score(ctx, skewed), 75, 'cpu 3/4, memory 2/8: std 0.25');
});

t.test('ImageLocality prefers the node holding a large image', async (t) => {
  const mb = 1024 * 1024;
  const withImage = nodeInfo(makeNode('a').image('registry.example/app:1', 500 * mb));
  const tiny = nodeInfo(makeNode('b').image('registry.example/app:1', 10 * mb));
  const none = nodeInfo(makeNode('c'));
  const pod = makePod().image('registry.example/app:1');
  const ctx = cycleContext(pod, [withImage, none]);
  t.ok(imageLocality.score(ctx, withImage) > 0);
  t.equal(imageLocality.score(ctx, none), 0);
  t.equal(imageLocality.score(cycleContext(pod, [tiny]), tiny), 0, 'below the 23MB threshold counts nothing');
  const latest = nodeInfo(makeNode('d').image('busybox:latest', 900 * mb));
  t.ok(imageLocality.score(cycleContext(makePod().image('busybox'), [latest]), latest) > 0, 'an untagged image means :latest');
  t.equal(imageLocality.preScore(ctx, [withImage, none]).code, Code.Success);
  t.equal(imageLocality.preScore(cycleContext(makePod().image('other:1'), [withImage, none]), [withImage, none]).code, Code.Skip, 'no node holds the image');
});

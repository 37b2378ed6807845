import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { containerResources, milliCpuToQuota, milliCpuToShares, oomScoreAdj, qosClass, sandboxResources } from './resources.js';

const c = (requests?: Record<string, string>, limits?: Record<string, string>): corev1.Container => ({ name: 'c', resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } });
const pod = (containers: corev1.Container[], init: corev1.Container[] = []): corev1.Pod => ({ spec: { containers, initContainers: init } });

t.test('QoS class', async (t) => {
  const cases: [string, corev1.Pod, string][] = [
    ['nothing set', pod([c()]), 'BestEffort'],
    ['equal cpu and memory limits and requests', pod([c({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })]), 'Guaranteed'],
    ['limits only (requests default to them)', pod([c(undefined, { cpu: '500m', memory: '256Mi' })]), 'Burstable'],
    ['cpu limit only', pod([c({ cpu: '1' }, { cpu: '1' })]), 'Burstable'],
    ['requests below limits', pod([c({ cpu: '500m', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })]), 'Burstable'],
    ['one container without resources', pod([c({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' }), c()]), 'Burstable'],
    ['init container counts', pod([c({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' })], [c({ cpu: '1' })]), 'Burstable'],
    ['zero quantities are ignored', pod([c({ cpu: '0' }, { memory: '0' })]), 'BestEffort'],
    ['only other resources', pod([c({ 'ephemeral-storage': '1Gi' })]), 'BestEffort'],
  ];
  for (const [name, p, want] of cases) t.equal(qosClass(p), want, name);
});

t.test('cpu shares and quota as upstream converts them', async (t) => {
  const shares: [number, number][] = [
    [0, 2],
    [1, 2],
    [100, 102],
    [250, 256],
    [1000, 1024],
    [2000, 2048],
    [1_000_000, 262144],
  ];
  for (const [milli, want] of shares) t.equal(milliCpuToShares(milli), want, `${milli}m → ${want} shares`);
  const quotas: [number, number][] = [
    [0, 0],
    [5, 1000],
    [100, 10_000],
    [1500, 150_000],
  ];
  for (const [milli, want] of quotas) t.equal(milliCpuToQuota(milli, 100_000), want, `${milli}m → quota ${want}`);
});

t.test('container and sandbox cgroup settings', async (t) => {
  const memory = 8 * 1024 ** 3;
  const burst = c({ cpu: '250m', memory: '1Gi' }, { cpu: '500m', memory: '2Gi' });
  t.same(containerResources(pod([burst]), burst, memory), { cpuShares: 256, cpuPeriod: 100_000, cpuQuota: 50_000, memoryLimitInBytes: 2 * 1024 ** 3, oomScoreAdj: 875 });
  const limitOnly = c(undefined, { cpu: '2' });
  t.match(containerResources(pod([limitOnly]), limitOnly, memory), { cpuShares: 2048, cpuQuota: 200_000 }, 'shares from the limit when there is no request');
  const best = c();
  t.same(containerResources(pod([best]), best, memory), { cpuShares: 2, cpuPeriod: 100_000, cpuQuota: 0, oomScoreAdj: 1000 });
  const g = c({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' });
  t.equal(containerResources(pod([g]), g, memory).oomScoreAdj, -997);
  t.equal(oomScoreAdj('Burstable', c({ memory: '8Gi' }), memory), 3, 'never below 3');
  t.equal(oomScoreAdj('Burstable', c({ cpu: '1' }), memory), 999, 'never 1000 for Burstable');
  t.same(sandboxResources(pod([burst, c({ cpu: '250m' }, { cpu: '250m', memory: '1Gi' })])), { cpuShares: 512, cpuPeriod: 100_000, cpuQuota: 75_000, memoryLimitInBytes: 3 * 1024 ** 3 });
  t.same(sandboxResources(pod([burst, best])), { cpuShares: 256, cpuPeriod: 100_000, cpuQuota: 0 }, 'no pod limit when a container has none');
});

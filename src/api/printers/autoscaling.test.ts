import t from 'tap';
import { ago, cellsOf, day, now } from './builders.fixture.js';
import { formatTargets, horizontalPodAutoscalerPrinter } from './autoscaling.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const meta = { name: 'web', creationTimestamp: ago(day) };

t.test('v2 metric targets', async (t) => {
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } };
  const mem = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } };
  const pods = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } };
  const cases: [string, unknown[], unknown[], string][] = [
    ['no metrics', [], [], '<none>'],
    ['cpu without status', [cpu], [], 'cpu: <unknown>/80%'],
    ['cpu with status', [cpu], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 40 } } }], 'cpu: 40%/80%'],
    ['memory average value', [mem], [{ type: 'Resource', resource: { name: 'memory', current: { averageValue: '200Mi' } } }], 'memory: 200Mi/500Mi'],
    ['pods metric', [pods], [{ type: 'Pods', pods: { current: { averageValue: '7' } } }], '7/10'],
    ['object average', [{ type: 'Object', object: { target: { averageValue: '2' } } }], [], '<unknown>/2 (avg)'],
    ['external value', [{ type: 'External', external: { target: { value: '100' } } }], [{ type: 'External', external: { current: { value: '50' } } }], '50/100'],
    ['unknown type', [{ type: 'Custom' }], [], '<unknown type>'],
    ['more than two', [cpu, mem, pods], [], 'cpu: <unknown>/80%, memory: <unknown>/500Mi + 1 more...'],
  ];
  for (const [name, metrics, currentMetrics, want] of cases) {
    const hpa = { metadata: meta, spec: { scaleTargetRef: ref, maxReplicas: 5, metrics }, status: { desiredReplicas: 1, currentMetrics } };
    t.equal(formatTargets(hpa as never), want, name);
  }
});

t.test('v1 CPU target reads as a cpu utilisation metric', async (t) => {
  const v1 = { metadata: meta, spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 70 }, status: { currentReplicas: 3, desiredReplicas: 3, currentCPUUtilizationPercentage: 55 } };
  t.same(cellsOf(horizontalPodAutoscalerPrinter, v1), ['web', 'Deployment/web', 'cpu: 55%/70%', '2', 10, 3, '24h']);
  const noTarget = { metadata: meta, spec: { scaleTargetRef: ref, maxReplicas: 4 } };
  t.same(cellsOf(horizontalPodAutoscalerPrinter, noTarget), ['web', 'Deployment/web', '<none>', '<unset>', 4, 0, '24h']);
});

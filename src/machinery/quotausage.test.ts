import t from 'tap';
import type { corev1, KubeObject } from '../api/types.js';
import { setDisruptionAllowed } from './disruption.js';
import { formatQuantity } from './quantity.js';
import type { ResourceAmounts } from './quantitymath.js';
import { objectUsage, podAmounts, quotaResourceOf, quotaTracks } from './quotausage.js';

const show = (a: ResourceAmounts): Record<string, string> => Object.fromEntries([...a].map(([k, v]) => [k, formatQuantity(v)]));
const now = new Date('2026-01-02T03:04:05Z');
const obj = (pod: corev1.Pod): KubeObject => pod as KubeObject;
const container = (name: string, requests: Record<string, string>, extra: Partial<corev1.Container> = {}): corev1.Container => ({ name, resources: { requests }, ...extra });

t.test('pod requests: containers summed, init containers as a peak, sidecars added, overhead on top', async (t) => {
  const pod: corev1.Pod = {
    spec: {
      containers: [container('a', { cpu: '100m', memory: '64Mi' }), container('b', { cpu: '200m' })],
      initContainers: [container('setup', { cpu: '1' }), container('proxy', { cpu: '50m' }, { restartPolicy: 'Always' })],
      overhead: { memory: '10Mi' },
    },
  };
  t.same(show(podAmounts(pod, 'requests')), { cpu: '1', memory: '74Mi' });
  const noInit: corev1.Pod = { spec: { containers: [container('a', { cpu: '100m' })], initContainers: [container('proxy', { cpu: '50m' }, { restartPolicy: 'Always' })] } };
  t.same(show(podAmounts(noInit, 'requests')), { cpu: '150m' });
});

t.test('usage by resource kind', async (t) => {
  const pod: corev1.Pod = { spec: { containers: [{ name: 'c', resources: { requests: { cpu: '250m' }, limits: { cpu: '500m' } } }] } };
  t.same(show(objectUsage('pods', obj(pod), now)), { 'count/pods': '1', pods: '1', cpu: '250m', 'requests.cpu': '250m', 'limits.cpu': '500m' });
  t.same(show(objectUsage('pods', obj({ ...pod, status: { phase: 'Succeeded' } }), now)), { 'count/pods': '1' }, 'finished pods only count as objects');
  t.same(show(objectUsage('services', { spec: { type: 'LoadBalancer', ports: [{ port: 80 }, { port: 443 }] } }, now)), {
    services: '1',
    'count/services': '1',
    'services.nodeports': '2',
    'services.loadbalancers': '1',
  });
  t.same(show(objectUsage('persistentvolumeclaims', { spec: { storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } } }, now)), {
    persistentvolumeclaims: '1',
    'count/persistentvolumeclaims': '1',
    'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
    'requests.storage': '1Gi',
    'fast.storageclass.storage.k8s.io/requests.storage': '1Gi',
  });
  t.same(show(objectUsage('secrets', {}, now)), { 'count/secrets': '1', secrets: '1' });
  t.same(show(objectUsage('deployments.apps', {}, now)), { 'count/deployments.apps': '1' });
});

t.test('which resource a quota name counts', async (t) => {
  const cases: [string, string | undefined][] = [
    ['pods', 'pods'],
    ['requests.cpu', 'pods'],
    ['limits.memory', 'pods'],
    ['requests.storage', 'persistentvolumeclaims'],
    ['services.nodeports', 'services'],
    ['count/deployments.apps', 'deployments.apps'],
    ['configmaps', 'configmaps'],
    ['gold.storageclass.storage.k8s.io/requests.storage', 'persistentvolumeclaims'],
    ['bogus', undefined],
  ];
  for (const [name, want] of cases) t.equal(quotaResourceOf(name), want, name);
});

t.test('quota scopes', async (t) => {
  const quota = (spec: corev1.ResourceQuotaSpec): corev1.ResourceQuota => ({ spec });
  const bestEffort: corev1.Pod = { spec: { containers: [{ name: 'c' }] } };
  const terminating: corev1.Pod = { spec: { activeDeadlineSeconds: 10, priorityClassName: 'high', containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }] } };
  t.ok(quotaTracks(quota({ scopes: ['BestEffort'] }), 'pods', obj(bestEffort)));
  t.notOk(quotaTracks(quota({ scopes: ['BestEffort'] }), 'pods', obj(terminating)));
  t.ok(quotaTracks(quota({ scopes: ['Terminating', 'NotBestEffort'] }), 'pods', obj(terminating)));
  t.ok(quotaTracks(quota({ scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } }), 'pods', obj(terminating)));
  t.notOk(quotaTracks(quota({ scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } }), 'pods', obj(bestEffort)));
  t.notOk(quotaTracks(quota({ scopes: ['BestEffort'] }), 'configmaps', {}), 'scoped quotas track only pods');
  t.ok(quotaTracks(quota({}), 'configmaps', {}));
});

t.test('the DisruptionAllowed condition keeps its transition time while unchanged', async (t) => {
  const status = { currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1, expectedPods: 2, observedGeneration: 3 };
  setDisruptionAllowed(status, 't1');
  t.same((status as { conditions?: unknown }).conditions, [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 3, lastTransitionTime: 't1' }]);
  setDisruptionAllowed(status, 't2');
  t.match((status as { conditions?: unknown }).conditions, [{ lastTransitionTime: 't1' }]);
  status.disruptionsAllowed = 0;
  setDisruptionAllowed(status, 't3');
  t.match((status as { conditions?: unknown }).conditions, [{ status: 'False', reason: 'InsufficientPods', lastTransitionTime: 't3' }]);
  setDisruptionAllowed(status, 't4', { reason: 'SyncFailed', message: 'boom' });
  t.match((status as { conditions?: unknown }).conditions, [{ status: 'False', reason: 'SyncFailed', message: 'boom', lastTransitionTime: 't3' }]);
});

import t from 'tap';
import { ago, cellsOf, day, now } from './builders.fixture.js';
import { componentStatusPrinter, configMapPrinter, namespacePrinter, resourceQuotaPrinter, secretPrinter, serviceAccountPrinter } from './config.js';

const meta = { name: 'x', creationTimestamp: ago(day) };

t.test('namespaces, config maps, secrets, service accounts', async (t) => {
  t.same(cellsOf(namespacePrinter, { metadata: meta, status: { phase: 'Active' } }), ['x', 'Active', '24h']);
  t.same(cellsOf(configMapPrinter, { metadata: meta, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }), ['x', 3, '24h']);
  t.same(cellsOf(configMapPrinter, { metadata: meta }), ['x', 0, '24h']);
  t.same(cellsOf(secretPrinter, { metadata: meta, type: 'Opaque', data: { password: 'cA==' } }), ['x', 'Opaque', 1, '24h']);
  t.same(cellsOf(serviceAccountPrinter, { metadata: meta }), ['x', 0, '24h']);
  t.same(cellsOf(serviceAccountPrinter, { metadata: meta, secrets: [{ name: 'tok' }] }), ['x', 1, '24h']);
  t.same(
    serviceAccountPrinter.columns.map((c) => c.name),
    ['Name', 'Secrets', 'Age'],
  );
});

t.test('resource quota splits requests and limits, sorted', async (t) => {
  const quota = {
    metadata: meta,
    status: {
      hard: { pods: '10', 'limits.memory': '2Gi', 'requests.cpu': '2', 'limits.cpu': '4' },
      used: { pods: '3', 'requests.cpu': '500m', 'limits.cpu': '1' },
    },
  };
  t.same(cellsOf(resourceQuotaPrinter, quota), ['x', 'pods: 3/10, requests.cpu: 500m/2', 'limits.cpu: 1/4, limits.memory: 0/2Gi', '24h']);
  t.same(cellsOf(resourceQuotaPrinter, { metadata: meta }), ['x', '', '', '24h']);
});

t.test('component statuses', async (t) => {
  const healthy = { metadata: { name: 'etcd-0' }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] };
  t.same(cellsOf(componentStatusPrinter, healthy), ['etcd-0', 'Healthy', 'ok', '']);
  t.same(cellsOf(componentStatusPrinter, { metadata: { name: 'c' } }), ['c', 'Unknown', '', '']);
});

// The metrics API over a memory store and a scripted kubelet scrape:
// CPU rates between two scrapes, metrics-server's object shapes and errors,
// selectors, namespaces, and read-only verbs.
import t from 'tap';
import type { StoredObject } from '../../api/types.js';
import { silentLogger } from '../../log/logger.js';
import { asApiError } from '../../machinery/index.js';
import { openMemoryBackend } from '../../store/memory/index.js';
import type { ResourceRequest } from '../request/info.js';
import type { ApiRequest } from '../rest/types.js';
import { objectKey } from '../storage/keys.js';
import { ObjectStore } from '../storage/store.js';
import { MetricsApi } from './api.js';
import { goDuration } from './objects.js';
import { parseResourceMetrics, type ResourceScrape } from './parse.js';

const scrapeText = (cpu: number, stamp: number) => `# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds
# TYPE node_cpu_usage_seconds_total counter
node_cpu_usage_seconds_total ${100 + 2 * cpu} ${stamp}
node_memory_working_set_bytes 2097152 ${stamp}
container_cpu_usage_seconds_total{container="app",namespace="shop",pod="web"} ${cpu} ${stamp}
container_memory_working_set_bytes{container="app",namespace="shop",pod="web"} 1048576 ${stamp}
container_cpu_usage_seconds_total{container="side",namespace="shop",pod="web"} ${cpu / 2} ${stamp}
container_memory_working_set_bytes{container="side",namespace="shop",pod="web"} 1000 ${stamp}
container_cpu_usage_seconds_total{container="db",namespace="other",pod="db"} 1 ${stamp}
container_memory_working_set_bytes{container="db",namespace="other",pod="db"} 5 ${stamp}
resource_scrape_error 0
`;

t.test('parses the kubelet text, unescaping labels and keeping timestamps', async (t) => {
  const parsed = parseResourceMetrics(`${scrapeText(1, 1000)}container_cpu_usage_seconds_total{container="x",namespace="n",pod="a\\"b"} 2\ncontainer_memory_working_set_bytes{container="x",namespace="n",pod="a\\"b"} 3\n`, 5000);
  t.same(parsed.node, { cpuSeconds: 102, timestampMs: 1000, workingSetBytes: 2097152 });
  t.equal(parsed.containers.length, 4);
  t.same(parsed.containers[3], { namespace: 'n', pod: 'a"b', container: 'x', cpuSeconds: 2, timestampMs: 5000, workingSetBytes: 3 }, 'no timestamp: the scrape time');
});

t.test('Go durations', async (t) => {
  t.same([0, 500, 1000, 15012, 60_500, 3_600_000].map(goDuration), ['0s', '500ms', '1s', '15.012s', '1m0.5s', '1h0m0s']);
});

const req = (query = ''): ApiRequest => ({ method: 'GET', path: '', query: new URLSearchParams(query), accept: 'application/json', contentType: '', user: { username: 'u', groups: [] }, signal: new AbortController().signal });
const info = (resource: string, namespace = '', name = '', verb: ResourceRequest['verb'] = name === '' ? 'list' : 'get'): ResourceRequest => ({ kind: 'resource', group: 'metrics.k8s.io', version: 'v1beta1', namespace, resource, name, subresource: '', verb });

t.test('node and pod metrics from the last two scrapes', async (t) => {
  const backend = openMemoryBackend();
  await backend.ready;
  const store = new ObjectStore(backend);
  const put = (space: { group: string; resource: string; namespaced: boolean }, obj: StoredObject) => store.create(objectKey(space, obj.metadata?.namespace ?? '', obj.metadata?.name ?? ''), obj);
  const nodes = { group: '', resource: 'nodes', namespaced: false };
  const pods = { group: '', resource: 'pods', namespaced: true };
  await put(nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a', labels: { zone: 'a' } } });
  await put(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: { nodeName: 'node-a', containers: [{ name: 'side', image: 'x' }, { name: 'app', image: 'x' }] } });
  await put(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db', namespace: 'other', labels: { app: 'db' } }, spec: { nodeName: 'node-a', containers: [{ name: 'db', image: 'x' }] } });
  await put(pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'idle', namespace: 'shop', labels: { app: 'web' } }, spec: { nodeName: 'node-b', containers: [{ name: 'c', image: 'x' }] } });
  const scrapes: ResourceScrape[] = [parseResourceMetrics(scrapeText(1, 1_700_000_000_000), 0), parseResourceMetrics(scrapeText(3, 1_700_000_010_000), 0)];
  const api = new MetricsApi({ store, scrape: async () => scrapes.shift() ?? Promise.reject(new Error('no more')), now: () => new Date('2026-01-02T03:04:05Z'), logger: silentLogger, firstGapMs: 0, intervalMs: 3_600_000 });
  t.teardown(() => api.close());

  const node = await api.handle(info('nodes', '', 'node-a'), req());
  t.same(node.type === 'object' && node.body, {
    kind: 'NodeMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: { name: 'node-a', creationTimestamp: '2026-01-02T03:04:05Z', labels: { zone: 'a' } },
    timestamp: '2023-11-14T22:13:30Z',
    window: '10s',
    usage: { cpu: '400m', memory: '2Mi' },
  });
  const list = await api.handle(info('pods', 'shop'), req('labelSelector=app%3Dweb'));
  t.same(list.type === 'object' && list.body, {
    kind: 'PodMetricsList',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {},
    items: [
      {
        metadata: { name: 'web', namespace: 'shop', creationTimestamp: '2026-01-02T03:04:05Z', labels: { app: 'web' } },
        timestamp: '2023-11-14T22:13:30Z',
        window: '10s',
        containers: [
          { name: 'side', usage: { cpu: '100m', memory: '1k' } },
          { name: 'app', usage: { cpu: '200m', memory: '1Mi' } },
        ],
      },
    ],
  }, 'the pod on a node without samples is left out; containers in spec order');
  const all = await api.handle(info('pods'), req());
  t.same(all.type === 'object' && (all.body as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name), ['db', 'web'], 'every namespace');
  const byField = await api.handle(info('pods'), req('fieldSelector=metadata.namespace%3Dother'));
  t.same(byField.type === 'object' && (byField.body as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name), ['db']);
  const db = await api.handle(info('pods', 'other', 'db'), req());
  t.match(db.type === 'object' && db.body, { kind: 'PodMetrics', containers: [{ name: 'db', usage: { cpu: '0' } }] });

  const table = await api.handle(info('pods', 'shop'), { ...req(), accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
  t.match(table.type === 'object' && table.body, {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    columnDefinitions: [{ name: 'Name', format: 'name' }, { name: 'cpu', format: 'quantity' }, { name: 'memory', format: 'quantity' }, { name: 'Window' }],
    rows: [{ cells: ['web', '300m', '1049576', '10s'] }],
  }, 'kubectl get: a pod row sums its containers');

  const failure = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => asApiError(err).status);
  t.match(await failure(api.handle(info('pods', 'shop', 'idle'), req())), { code: 404, reason: 'NotFound', message: 'podmetrics.metrics.k8s.io "shop/idle" not found' });
  t.match(await failure(api.handle(info('nodes', '', 'node-b'), req())), { code: 404, message: 'nodemetrics.metrics.k8s.io "node-b" not found' });
  t.match(await failure(api.handle(info('pods', 'shop', '', 'create'), req())), { code: 405, reason: 'MethodNotAllowed', message: 'create is not supported on resources of kind "pods.metrics.k8s.io"' });
  t.match(await failure(api.handle(info('nodes', '', '', 'watch'), req())), { code: 405 });
});

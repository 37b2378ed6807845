// /metrics/resource: the text upstream's kubelet writes, the node's figures
// from /proc, and the route behind the same client-certificate rule as the
// rest of the kubelet API (against the CRI fake).
import t from 'tap';
import { request } from 'node:https';
import { CertificateAuthority, issueKubeletServing } from '../../certs/index.js';
import { generateKey } from '../../certs/keys.js';
import { silentLogger } from '../../log/logger.js';
import { FakeRuntime } from '../cri/fake.js';
import { containerNameLabel, podNameLabel, podNamespaceLabel } from '../pods/labels.js';
import { criLookup, startKubeletServer } from './index.js';
import { parseMeminfo, parseProcStat } from './nodestats.js';
import { renderResourceMetrics } from './resourcemetrics.js';

t.test('renders node, container and pod families with upstream names, labels and timestamps', async (t) => {
  const text = renderResourceMetrics({
    node: { cpuSeconds: 12.5, workingSetBytes: 1048576, timestampMs: 1700000000000 },
    containers: [
      { namespace: 'ns', pod: 'p', container: 'b', cpuSeconds: 0.5, workingSetBytes: 100, timestampMs: 1700000000001 },
      { namespace: 'ns', pod: 'p', container: 'a', cpuSeconds: 1, workingSetBytes: 200, timestampMs: 1700000000002 },
    ],
    error: false,
  });
  t.match(text, '# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds\n# TYPE container_cpu_usage_seconds_total counter\n');
  t.match(text, 'container_cpu_usage_seconds_total{container="a",namespace="ns",pod="p"} 1 1700000000002\ncontainer_cpu_usage_seconds_total{container="b",namespace="ns",pod="p"} 0.5 1700000000001\n');
  t.match(text, 'container_memory_working_set_bytes{container="a",namespace="ns",pod="p"} 200 1700000000002\n');
  t.match(text, '# TYPE node_cpu_usage_seconds_total counter\nnode_cpu_usage_seconds_total 12.5 1700000000000\n');
  t.match(text, 'node_memory_working_set_bytes 1048576 1700000000000\n');
  t.match(text, 'pod_cpu_usage_seconds_total{namespace="ns",pod="p"} 1.5 1700000000002\n');
  t.match(text, 'pod_memory_working_set_bytes{namespace="ns",pod="p"} 300 1700000000002\n');
  t.match(text, '# TYPE resource_scrape_error gauge\nresource_scrape_error 0\n');
  const failed = renderResourceMetrics({ node: undefined, containers: [], error: true });
  t.notMatch(failed, /^node_cpu_usage_seconds_total/m, 'no node sample when it could not be read');
  t.match(failed, 'resource_scrape_error 1\n');
  t.match(renderResourceMetrics({ node: undefined, containers: [{ namespace: 'n', pod: 'a"b\\c', container: 'x', cpuSeconds: 0, workingSetBytes: 0, timestampMs: 1 }], error: false }), 'pod="a\\"b\\\\c"');
});

t.test('node usage from /proc/stat and /proc/meminfo', async (t) => {
  t.equal(parseProcStat('cpu  100 20 30 5000 40 5 5 0 0 0\ncpu0 1 2 3 4\n'), 1.6, 'user+nice+system+irq+softirq+steal at 100 ticks a second');
  t.equal(parseProcStat('intr 1 2\n'), undefined);
  t.equal(parseMeminfo('MemTotal:       1000 kB\nMemFree:         100 kB\nMemAvailable:    400 kB\n'), 600 * 1024);
  t.equal(parseMeminfo('MemTotal:       1000 kB\n'), undefined);
});

t.test('GET /metrics/resource serves running containers to the apiserver only', async (t) => {
  const { ca: serverCa } = await CertificateAuthority.generate('test-server-ca');
  const { ca: clientCa } = await CertificateAuthority.generate('test-client-ca');
  const serving = await issueKubeletServing(serverCa, 'node-a', ['127.0.0.1']);
  const client = async (cn: string) => {
    const { keyPem, publicKey } = await generateKey();
    return { certPem: await clientCa.issue({ commonName: cn, organizations: [], usages: ['client'] }, publicKey), keyPem };
  };
  const apiserver = await client('system:kube-apiserver');
  const admin = await client('system:admin');
  const rt = new FakeRuntime({ images: ['localhost/test/busybox:1'] });
  const labels = { [podNameLabel]: 'web', [podNamespaceLabel]: 'shop' };
  const podConfig = { metadata: { name: 'web', uid: 'u1', namespace: 'shop' }, labels };
  const sandbox = await rt.runPodSandbox(podConfig);
  const id = await rt.createContainer(sandbox, { metadata: { name: 'app' }, image: { image: 'localhost/test/busybox:1' }, labels: { ...labels, [containerNameLabel]: 'app' } }, podConfig);
  await rt.startContainer(id);
  const abort = new AbortController();
  const server = startKubeletServer(
    {
      port: 0,
      host: '127.0.0.1',
      tls: { ...serving, clientCaPem: clientCa.certPem },
      runtime: rt,
      lookup: criLookup(rt),
      logger: silentLogger,
      nodeUsage: async () => ({ cpuSeconds: 42, workingSetBytes: 4096, timestampMs: 1700000000000 }),
    },
    abort.signal,
  );
  const port = await server.ready;
  t.teardown(async () => {
    abort.abort();
    await server.stopped;
  });
  const get = (who: { certPem: string; keyPem: string } | undefined, method = 'GET') =>
    new Promise<{ code: number; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/metrics/resource', method, agent: false, ca: serverCa.certPem, ...(who ? { cert: who.certPem, key: who.keyPem } : {}) }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  const ok = await get(apiserver);
  t.equal(ok.code, 200);
  t.match(ok.body, /^container_cpu_usage_seconds_total\{container="app",namespace="shop",pod="web"\} [\d.e-]+ \d+$/m);
  t.match(ok.body, /^container_memory_working_set_bytes\{container="app",namespace="shop",pod="web"\} 1048576 \d+$/m);
  t.match(ok.body, 'node_cpu_usage_seconds_total 42 1700000000000\n');
  t.match(ok.body, 'resource_scrape_error 0\n');
  t.equal((await get(undefined)).code, 401, 'no client certificate');
  t.equal((await get(admin)).code, 403, 'a user other than the apiserver');
  t.equal((await get(apiserver, 'POST')).code, 405);
  await rt.stopContainer(id, 0);
  t.notMatch((await get(apiserver)).body, /^container_cpu_usage_seconds_total\{/m, 'exited containers are left out');
});

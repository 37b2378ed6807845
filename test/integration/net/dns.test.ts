// Cluster DNS against a real API server in this process: Services and
// EndpointSlices created through the client, the server on loopback port 0
// with a fake upstream resolver (also on loopback), asked over UDP and TCP.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import t from 'tap';
import dnsPacket, { type DecodedPacket, type RecordType } from 'dns-packet';
import type { corev1, discoveryv1 } from '../../../src/api/types.js';
import { Client } from '../../../src/client/index.js';
import { silentLogger } from '../../../src/log/logger.js';
import { exchangeTcp, exchangeUdp, startClusterDns, type Endpoint } from '../../../src/net/dns/index.js';
import { startTestApiServer } from '../../helpers/apiserver.js';
import { eventually } from '../../helpers/controllers.js';

const api = await startTestApiServer();
t.teardown(() => api.close());
const client = new Client(api.inProcess());
const stop = new AbortController();

const endpointSlices = client.resource<discoveryv1.EndpointSlice>({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true });

function service(name: string, spec: corev1.ServiceSpec): corev1.Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'apps' }, spec };
}

function slice(svc: string, endpoints: discoveryv1.Endpoint[], ports: discoveryv1.EndpointPort[]): discoveryv1.EndpointSlice {
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${svc}-1`, namespace: 'apps', labels: { 'kubernetes.io/service-name': svc } }, addressType: 'IPv4', endpoints, ports };
}

// The fake upstream: example.test has an address (TTL 60), anything else is NXDOMAIN. It counts what it is asked.
const upstreamAsked: string[] = [];
const upstream = createSocket('udp4');
upstream.on('message', (msg, rinfo) => {
  const q = dnsPacket.decode(msg);
  const question = q.questions?.[0];
  if (!question) return;
  upstreamAsked.push(`${question.name} ${question.type}`);
  const known = question.name === 'example.test' && question.type === 'A';
  const res = dnsPacket.encode({
    type: 'response',
    id: q.id ?? 0,
    flags: dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3),
    questions: q.questions,
    answers: known ? [{ type: 'A', name: 'example.test', ttl: 60, class: 'IN', data: '192.0.2.10' }] : [],
    authorities: known ? [] : [{ type: 'SOA', name: 'test', ttl: 30, class: 'IN', data: { mname: 'ns.test', rname: 'admin.test', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 30 } }],
  });
  upstream.send(res, rinfo.port, rinfo.address);
});
await new Promise<void>((resolve) => upstream.bind(0, '127.0.0.1', resolve));
t.teardown(() => upstream.close());
const upstreamAt: Endpoint = { host: '127.0.0.1', port: upstream.address().port };

await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
await client.services.create(service('web', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }));
await client.services.create(service('db', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }));
await endpointSlices.create(
  slice('db', [{ addresses: ['10.42.0.7'], hostname: 'db-0', conditions: { ready: true } }, { addresses: ['10.42.0.8'], hostname: 'db-1', conditions: { ready: true } }], [{ name: 'pg', port: 5432, protocol: 'TCP' }]),
);
// Enough endpoints that their A records do not fit 512 bytes.
const many = Array.from({ length: 60 }, (_, i) => `10.42.1.${i + 1}`);
await client.services.create(service('many', { clusterIP: 'None', ports: [{ name: 'p', port: 1, protocol: 'TCP' }] }));
await endpointSlices.create(slice('many', many.map((ip) => ({ addresses: [ip], conditions: { ready: true } })), [{ name: 'p', port: 1, protocol: 'TCP' }]));
await client.services.create(service('ext', { type: 'ExternalName', externalName: 'example.test' }));

const dns = startClusterDns({ client, host: '127.0.0.1', port: 0, domain: 'cluster.local', upstreams: [upstreamAt], logger: silentLogger }, stop.signal);
t.teardown(async () => {
  stop.abort();
  await dns.stopped;
});
const at = await dns.ready;
const web = await client.services.get('web', 'apps');
const webIp = web.spec?.clusterIP ?? '';

let nextId = 1;
async function ask(name: string, type: RecordType, over: 'udp' | 'tcp' = 'udp', ednsSize?: number, server: Endpoint = at): Promise<DecodedPacket & { rcode: number }> {
  const query = dnsPacket.encode({
    type: 'query',
    id: nextId++,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type, class: 'IN' }],
    additionals: ednsSize ? [{ type: 'OPT', name: '.', udpPayloadSize: ednsSize, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [],
  });
  const raw = over === 'udp' ? await exchangeUdp(server, query, 3000) : await exchangeTcp(server, query, 3000);
  const res = dnsPacket.decode(raw);
  return Object.assign(res, { rcode: (res.flags ?? 0) & 0xf });
}

function data(res: DecodedPacket): string[] {
  return (res.answers ?? []).map((a) => `${a.type} ${'data' in a ? (typeof a.data === 'object' ? JSON.stringify(a.data) : String(a.data)) : ''}`);
}

for (const over of ['udp', 'tcp'] as const) {
  t.test(`over ${over}: Services, endpoints, pods and aliases resolve from the API`, async (t) => {
    const a = await ask('web.apps.svc.cluster.local', 'A', over);
    t.equal(a.rcode, 0);
    t.ok(a.flag_aa, 'authoritative');
    t.same(data(a), [`A ${webIp}`]);
    t.same(data(await ask('kubernetes.default.svc.cluster.local', 'A', over)), ['A 10.43.0.1']);
    t.same(data(await ask('db.apps.svc.cluster.local', 'A', over)).sort(), ['A 10.42.0.7', 'A 10.42.0.8']);
    t.same(data(await ask('db-1.db.apps.svc.cluster.local', 'A', over)), ['A 10.42.0.8']);
    const srv = await ask('_pg._tcp.db.apps.svc.cluster.local', 'SRV', over);
    t.same(
      (srv.answers ?? []).map((r) => (r.type === 'SRV' ? `${r.data.port} ${r.data.target}` : r.type)).sort(),
      ['5432 db-0.db.apps.svc.cluster.local', '5432 db-1.db.apps.svc.cluster.local'],
    );
    t.same((srv.additionals ?? []).filter((r) => r.type === 'A').length, 2, 'glue for each target');
    t.same(data(await ask('10-42-0-99.apps.pod.cluster.local', 'A', over)), ['A 10.42.0.99']);
    const ext = await ask('ext.apps.svc.cluster.local', 'A', over);
    t.same(data(ext), ['CNAME example.test', 'A 192.0.2.10'], 'an alias, followed upstream');
    const ptr = await ask(`${webIp.split('.').reverse().join('.')}.in-addr.arpa`, 'PTR', over);
    t.same(data(ptr), ['PTR web.apps.svc.cluster.local']);
    t.same(data(await ask('7.0.42.10.in-addr.arpa', 'PTR', over)), ['PTR db-0.db.apps.svc.cluster.local']);
  });
}

t.test('NXDOMAIN and NODATA as CoreDNS tells them apart, each with the SOA', async (t) => {
  const nx = await ask('nope.apps.svc.cluster.local', 'A');
  t.equal(nx.rcode, 3);
  t.same(data(nx), []);
  t.same((nx.authorities ?? []).map((r) => r.type), ['SOA']);
  const nodata = await ask('web.apps.svc.cluster.local', 'AAAA');
  t.equal(nodata.rcode, 0);
  t.same(data(nodata), []);
  t.same((nodata.authorities ?? []).map((r) => r.type), ['SOA']);
  t.equal((await ask('apps.svc.cluster.local', 'A')).rcode, 0, 'an existing namespace is NODATA');
  t.equal((await ask('nowhere.svc.cluster.local', 'A')).rcode, 3, 'a missing namespace is NXDOMAIN');
});

t.test('an answer too big for UDP is truncated there and whole over TCP', async (t) => {
  const udp = await ask('many.apps.svc.cluster.local', 'A', 'udp');
  t.ok(udp.flag_tc, 'TC set over UDP');
  t.ok((udp.answers ?? []).length < many.length, `partial over UDP (${(udp.answers ?? []).length} records)`);
  const tcp = await ask('many.apps.svc.cluster.local', 'A', 'tcp');
  t.notOk(tcp.flag_tc, 'TC not set over TCP');
  t.same(data(tcp).sort(), many.map((ip) => `A ${ip}`).sort());
  const edns = await ask('many.apps.svc.cluster.local', 'A', 'udp', 4096);
  t.notOk(edns.flag_tc, 'a client offering 4096 bytes over EDNS gets it all over UDP');
  t.equal((edns.answers ?? []).length, many.length);
});

t.test('names outside the cluster are forwarded, and cached for their TTL', async (t) => {
  const first = await ask('example.test', 'A');
  t.equal(first.rcode, 0);
  t.notOk(first.flag_aa, 'not authoritative');
  t.same(data(first), ['A 192.0.2.10']);
  upstreamAsked.length = 0;
  const second = await ask('EXAMPLE.test', 'A', 'tcp');
  t.same(data(second), ['A 192.0.2.10']);
  t.same(upstreamAsked, [], 'answered from the cache');
  const ttl = second.answers?.[0] && 'ttl' in second.answers[0] ? (second.answers[0].ttl ?? -1) : -1;
  t.ok(ttl >= 0 && ttl <= 30, `TTL ${ttl}: the upstream's 60 s, capped at 30 and counting down`);
  const nx = await ask('missing.test', 'A');
  t.equal(nx.rcode, 3);
  t.equal((await ask('missing.test', 'A')).rcode, 3);
  t.same(upstreamAsked, ['missing.test A'], 'a negative answer is cached too (its SOA minimum)');
});

t.test('an unreachable upstream is SERVFAIL, not a hang', async (t) => {
  // A port nobody listens on: the kernel refuses at once.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const closed = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const ac = new AbortController();
  const lonely = startClusterDns({ client, host: '127.0.0.1', port: 0, domain: 'cluster.local', upstreams: [{ host: '127.0.0.1', port: closed }], logger: silentLogger }, ac.signal);
  t.teardown(async () => {
    ac.abort();
    await lonely.stopped;
  });
  const there = await lonely.ready;
  const res = await ask('example.test', 'A', 'udp', undefined, there);
  t.equal(res.rcode, 2, 'SERVFAIL');
  t.same(data(await ask('web.apps.svc.cluster.local', 'A', 'udp', undefined, there)), [`A ${webIp}`], 'cluster names still answer');
});

t.test('new and deleted Services show up in answers as the watch delivers them', async (t) => {
  await client.services.create(service('late', { ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }));
  let rcode = -1;
  const poll = async (want: number): Promise<boolean> => {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      rcode = (await ask('late.apps.svc.cluster.local', 'A')).rcode;
      if (rcode === want) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  };
  t.ok(await poll(0), 'created: answers');
  await client.services.delete('late', { namespace: 'apps' });
  t.ok(await poll(3), 'deleted: NXDOMAIN');
  t.ok(await eventually(() => dns.records.service('apps', 'late') === undefined));
});

t.test('the server stops when its signal aborts', async (t) => {
  const ac = new AbortController();
  const s = startClusterDns({ client, host: '127.0.0.1', port: 0, domain: 'cluster.local', upstreams: [], logger: silentLogger }, ac.signal);
  const there = await s.ready;
  t.equal((await ask('web.apps.svc.cluster.local', 'A', 'tcp', undefined, there)).rcode, 0);
  ac.abort();
  await s.stopped;
  await t.rejects(exchangeTcp(there, dnsPacket.encode({ type: 'query', id: 1, questions: [{ name: 'x', type: 'A' }] }), 1000), { code: 'upstream-unreachable' }, 'TCP refused once stopped');
});

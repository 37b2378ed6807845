import t from 'tap';
import type { Answer, RecordType } from 'dns-packet';
import type { corev1, discoveryv1 } from '../../api/types.js';
import { ClusterRecords } from './records.js';
import { answerReverse } from './reverse.js';
import { answerZone, rcodes } from './zone.js';

const zone = 'cluster.local';

function service(namespace: string, name: string, spec: corev1.ServiceSpec): corev1.Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { namespace, name }, spec };
}

function slice(namespace: string, service: string, name: string, endpoints: discoveryv1.Endpoint[], ports: discoveryv1.EndpointPort[]): discoveryv1.EndpointSlice {
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { namespace, name, labels: { 'kubernetes.io/service-name': service } }, addressType: 'IPv4', endpoints, ports };
}

/** A cluster as a user would have it: the kubernetes Service, a web Service, a headless StatefulSet Service, an alias. */
function loaded(): ClusterRecords {
  const r = new ClusterRecords();
  for (const name of ['default', 'kube-system', 'apps']) r.setNamespace({ metadata: { name } });
  r.setService(service('default', 'kubernetes', { clusterIP: '10.43.0.1', clusterIPs: ['10.43.0.1'], ports: [{ name: 'https', port: 443, protocol: 'TCP' }] }));
  r.setService(service('apps', 'web', { clusterIP: '10.43.5.5', ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] }));
  r.setService(service('apps', 'db', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }] }));
  r.setService(service('apps', 'bare', { clusterIP: 'None', clusterIPs: ['None'] }));
  r.setService(service('apps', 'empty', { clusterIP: 'None', clusterIPs: ['None'], ports: [{ name: 'x', port: 1 }] }));
  r.setService(service('apps', 'ext', { type: 'ExternalName', externalName: 'Example.COM.' }));
  r.setService(service('apps', 'inner', { type: 'ExternalName', externalName: 'web.apps.svc.cluster.local' }));
  r.setSlice(
    slice(
      'apps',
      'db',
      'db-abc',
      [
        { addresses: ['10.42.0.7'], hostname: 'db-0', conditions: { ready: true } },
        { addresses: ['10.42.0.8'], hostname: 'db-1' },
        { addresses: ['10.42.0.9'], hostname: 'db-2', conditions: { ready: false } },
      ],
      [{ name: 'pg', port: 5432, protocol: 'TCP' }],
    ),
  );
  r.setSlice(slice('apps', 'web', 'web-xyz', [{ addresses: ['10.42.0.20'], conditions: { ready: true } }], [{ name: 'http', port: 8080, protocol: 'TCP' }]));
  r.setSlice(slice('apps', 'bare', 'bare-1', [{ addresses: ['10.42.0.30'] }], []));
  return r;
}

interface Case {
  q: string;
  type: RecordType;
  rcode: number;
  /** The answer section as "TYPE data" strings. */
  answers: string[];
  additionals?: string[];
}

function show(a: Answer): string {
  if (a.type === 'SRV') return `SRV ${a.data.priority} ${a.data.weight} ${a.data.port} ${a.data.target}`;
  if (a.type === 'SOA') return `SOA ${a.data.mname}`;
  return `${a.type} ${'data' in a ? String(a.data) : ''}`;
}

const cases: Case[] = [
  { q: 'kubernetes.default.svc.cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: ['A 10.43.0.1'] },
  { q: 'KUBERNETES.Default.SVC.cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: ['A 10.43.0.1'] },
  { q: 'kubernetes.default.svc.cluster.local', type: 'AAAA', rcode: rcodes.NOERROR, answers: [] },
  { q: 'kubernetes.default.svc.cluster.local', type: 'MX', rcode: rcodes.NOERROR, answers: [] },
  { q: 'missing.default.svc.cluster.local', type: 'A', rcode: rcodes.NXDOMAIN, answers: [] },
  { q: 'missing.default.svc.cluster.local', type: 'AAAA', rcode: rcodes.NXDOMAIN, answers: [] },
  { q: 'web.nowhere.svc.cluster.local', type: 'A', rcode: rcodes.NXDOMAIN, answers: [] },
  { q: 'apps.svc.cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: [] },
  { q: 'nowhere.svc.cluster.local', type: 'A', rcode: rcodes.NXDOMAIN, answers: [] },
  { q: 'svc.cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: [] },
  { q: 'pod.cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: [] },
  { q: 'cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: [] },
  { q: 'cluster.local', type: 'SOA', rcode: rcodes.NOERROR, answers: ['SOA ns.dns.cluster.local'] },
  { q: 'cluster.local', type: 'NS', rcode: rcodes.NOERROR, answers: ['NS ns.dns.cluster.local'], additionals: ['A 10.43.0.10'] },
  { q: 'dns-version.cluster.local', type: 'TXT', rcode: rcodes.NOERROR, answers: ['TXT 1.1.0'] },
  { q: 'foo.cluster.local', type: 'A', rcode: rcodes.NXDOMAIN, answers: [] },
  { q: 'a.b.c.web.apps.svc.cluster.local', type: 'A', rcode: rcodes.NXDOMAIN, answers: [] },
  // ClusterIP: SRV per port to the service name, with its address as glue.
  { q: 'web.apps.svc.cluster.local', type: 'SRV', rcode: rcodes.NOERROR, answers: ['SRV 0 50 80 web.apps.svc.cluster.local', 'SRV 0 50 53 web.apps.svc.cluster.local'], additionals: ['A 10.43.5.5'] },
  { q: '_http._tcp.web.apps.svc.cluster.local', type: 'SRV', rcode: rcodes.NOERROR, answers: ['SRV 0 100 80 web.apps.svc.cluster.local'], additionals: ['A 10.43.5.5'] },
  { q: '_dns._udp.web.apps.svc.cluster.local', type: 'SRV', rcode: rcodes.NOERROR, answers: ['SRV 0 100 53 web.apps.svc.cluster.local'], additionals: ['A 10.43.5.5'] },
  { q: '_http._udp.web.apps.svc.cluster.local', type: 'SRV', rcode: rcodes.NXDOMAIN, answers: [] },
  { q: '_http._tcp.web.apps.svc.cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: ['A 10.43.5.5'] },
  // An endpoint of a ClusterIP Service by its dashed address.
  { q: '10-42-0-20.web.apps.svc.cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: ['A 10.42.0.20'] },
  // Headless: the ready endpoints, SRV per endpoint to its hostname.
  { q: 'db.apps.svc.cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: ['A 10.42.0.7', 'A 10.42.0.8'] },
  { q: 'db.apps.svc.cluster.local', type: 'AAAA', rcode: rcodes.NOERROR, answers: [] },
  {
    q: '_pg._tcp.db.apps.svc.cluster.local',
    type: 'SRV',
    rcode: rcodes.NOERROR,
    answers: ['SRV 0 50 5432 db-0.db.apps.svc.cluster.local', 'SRV 0 50 5432 db-1.db.apps.svc.cluster.local'],
    additionals: ['A 10.42.0.7', 'A 10.42.0.8'],
  },
  { q: 'db-1.db.apps.svc.cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: ['A 10.42.0.8'] },
  { q: 'db-2.db.apps.svc.cluster.local', type: 'A', rcode: rcodes.NXDOMAIN, answers: [] },
  // Headless without ports: names resolve, SRV has nothing; without ready endpoints: NXDOMAIN (as CoreDNS).
  { q: 'bare.apps.svc.cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: ['A 10.42.0.30'] },
  { q: 'bare.apps.svc.cluster.local', type: 'SRV', rcode: rcodes.NOERROR, answers: [] },
  { q: 'empty.apps.svc.cluster.local', type: 'A', rcode: rcodes.NXDOMAIN, answers: [] },
  // ExternalName: a CNAME (the target's addresses are the resolver's job).
  { q: 'ext.apps.svc.cluster.local', type: 'CNAME', rcode: rcodes.NOERROR, answers: ['CNAME example.com'] },
  { q: 'ext.apps.svc.cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: ['CNAME example.com'] },
  { q: 'x.ext.apps.svc.cluster.local', type: 'A', rcode: rcodes.NXDOMAIN, answers: [] },
  { q: 'web.apps.svc.cluster.local', type: 'CNAME', rcode: rcodes.NOERROR, answers: [] },
  // Pods, "insecure": any address in an existing namespace.
  { q: '10-42-0-99.apps.pod.cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: ['A 10.42.0.99'] },
  { q: '10-42-0-99.apps.pod.cluster.local', type: 'AAAA', rcode: rcodes.NOERROR, answers: [] },
  { q: '10-42-0-99.nowhere.pod.cluster.local', type: 'A', rcode: rcodes.NXDOMAIN, answers: [] },
  { q: 'not-an-ip.apps.pod.cluster.local', type: 'A', rcode: rcodes.NXDOMAIN, answers: [] },
  { q: 'apps.pod.cluster.local', type: 'A', rcode: rcodes.NOERROR, answers: [] },
];

t.test('cluster names answer as CoreDNS answers them', async (t) => {
  const records = loaded();
  for (const c of cases) {
    const lower = c.q.toLowerCase();
    const got = answerZone(records, { zone, serverIp: '10.43.0.10' }, c.q, lower, c.type);
    const label = `${c.q} ${c.type}`;
    t.equal(got.rcode, c.rcode, `${label}: rcode`);
    t.same(got.answers.map(show), c.answers, `${label}: answers`);
    t.same(got.additionals.map(show), c.additionals ?? [], `${label}: additionals`);
    for (const a of got.answers) {
      t.equal(a.name, c.q, `${label}: answers are owned by the name as asked`);
      t.equal('ttl' in a ? a.ttl : undefined, 5, `${label}: TTL 5`);
    }
    // Negative answers carry the zone's SOA, so resolvers can cache them.
    if (got.answers.length === 0) t.same(got.authorities.map(show), ['SOA ns.dns.cluster.local'], `${label}: SOA in authority`);
    else t.same(got.authorities, [], `${label}: no authority`);
  }
});

t.test('an alias to an outside name asks the resolver to chase it; an IP externalName is no alias', async (t) => {
  const records = loaded();
  t.equal(answerZone(records, { zone }, 'ext.apps.svc.cluster.local', 'ext.apps.svc.cluster.local', 'A').chase, 'example.com');
  t.equal(answerZone(records, { zone }, 'inner.apps.svc.cluster.local', 'inner.apps.svc.cluster.local', 'A').chase, 'web.apps.svc.cluster.local');
  records.setService(service('apps', 'ip', { type: 'ExternalName', externalName: '1.2.3.4' }));
  t.equal(answerZone(records, { zone }, 'ip.apps.svc.cluster.local', 'ip.apps.svc.cluster.local', 'A').rcode, rcodes.NXDOMAIN);
});

t.test('changes to the objects change the answers', async (t) => {
  const records = loaded();
  const ask = (q: string): string[] => answerZone(records, { zone }, q, q, 'A').answers.map(show);
  const before = records.generation;
  records.setSlice(slice('apps', 'db', 'db-abc', [{ addresses: ['10.42.0.9'], hostname: 'db-2', conditions: { ready: true } }], [{ name: 'pg', port: 5432 }]));
  t.ok(records.generation > before, 'generation grows');
  t.same(ask('db.apps.svc.cluster.local'), ['A 10.42.0.9']);
  records.setSlice(slice('apps', 'db', 'db-def', [{ addresses: ['10.42.0.10'] }], [{ name: 'pg', port: 5432 }]));
  t.same(ask('db.apps.svc.cluster.local'), ['A 10.42.0.9', 'A 10.42.0.10'], 'slices of one Service add up');
  records.deleteSlice(slice('apps', 'db', 'db-abc', [], []));
  t.same(ask('db.apps.svc.cluster.local'), ['A 10.42.0.10']);
  records.deleteService(service('apps', 'web', {}));
  t.same(ask('web.apps.svc.cluster.local'), []);
  t.equal(answerZone(records, { zone }, 'web.apps.svc.cluster.local', 'web.apps.svc.cluster.local', 'A').rcode, rcodes.NXDOMAIN);
  records.deleteNamespace({ metadata: { name: 'apps' } });
  t.equal(answerZone(records, { zone }, 'apps.svc.cluster.local', 'apps.svc.cluster.local', 'A').rcode, rcodes.NXDOMAIN);
});

t.test('reverse names of ClusterIPs and endpoints point at their names; others are not ours', async (t) => {
  const records = loaded();
  const ptr = (ip: string): string[] | undefined => {
    const name = `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
    return answerReverse(records, zone, name, name)?.map(show);
  };
  t.same(ptr('10.43.0.1'), ['PTR kubernetes.default.svc.cluster.local']);
  t.same(ptr('10.43.5.5'), ['PTR web.apps.svc.cluster.local']);
  t.same(ptr('10.42.0.7'), ['PTR db-0.db.apps.svc.cluster.local']);
  t.same(ptr('10.42.0.20'), ['PTR 10-42-0-20.web.apps.svc.cluster.local']);
  t.equal(ptr('10.42.0.9'), undefined, 'not-ready endpoints have no name');
  t.equal(ptr('8.8.8.8'), undefined);
  t.equal(answerReverse(records, zone, '5.0.43.in-addr.arpa', '5.0.43.in-addr.arpa'), undefined, 'a partial reverse name');
});

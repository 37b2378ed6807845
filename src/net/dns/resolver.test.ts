import t from 'tap';
import dnsPacket, { type DecodedPacket, type RecordType } from 'dns-packet';
import { Forwarder } from './forward.js';
import { ClusterRecords } from './records.js';
import { Resolver, type Transport } from './resolver.js';

function resolverWith(endpoints: number): { resolver: Resolver; records: ClusterRecords } {
  const records = new ClusterRecords();
  records.setNamespace({ metadata: { name: 'apps' } });
  records.setService({ metadata: { name: 'web', namespace: 'apps' }, spec: { clusterIP: '10.43.5.5', ports: [{ name: 'http', port: 80 }] } });
  records.setService({ metadata: { name: 'big', namespace: 'apps' }, spec: { clusterIP: 'None', ports: [{ name: 'p', port: 1 }] } });
  records.setSlice({
    metadata: { name: 'big-1', namespace: 'apps', labels: { 'kubernetes.io/service-name': 'big' } },
    addressType: 'IPv4',
    endpoints: Array.from({ length: endpoints }, (_, i) => ({ addresses: [`10.42.${Math.floor(i / 200)}.${(i % 200) + 1}`] })),
    ports: [{ name: 'p', port: 1 }],
  });
  // No upstreams: whatever is not the cluster's fails at once.
  return { resolver: new Resolver({ records, zone: 'cluster.local', forwarder: new Forwarder({ upstreams: [] }) }), records };
}

async function ask(resolver: Resolver, name: string, type: RecordType, transport: Transport = 'udp', ednsSize?: number): Promise<DecodedPacket & { rcode: number; size: number }> {
  const query = dnsPacket.encode({
    type: 'query',
    id: 4242,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name, type, class: 'IN' }],
    additionals: ednsSize ? [{ type: 'OPT', name: '.', udpPayloadSize: ednsSize, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [] }] : [],
  });
  const raw = await resolver.handle(query, transport);
  if (!raw) throw new Error('no response');
  const res = dnsPacket.decode(raw);
  return Object.assign(res, { rcode: (res.flags ?? 0) & 0xf, size: raw.length });
}

t.test('a response echoes the ID and question, with RD copied, RA and AA set', async (t) => {
  const { resolver } = resolverWith(1);
  const res = await ask(resolver, 'web.apps.svc.cluster.local', 'A');
  t.equal(res.id, 4242);
  t.equal(res.type, 'response');
  t.same(res.questions, [{ name: 'web.apps.svc.cluster.local', type: 'A', class: 'IN' }]);
  t.ok(res.flag_rd && res.flag_ra && res.flag_aa);
  t.notOk(res.flag_tc);
});

t.test('over UDP an answer is cut to 512 bytes (or the EDNS size) with TC; over TCP it is whole', async (t) => {
  const { resolver } = resolverWith(60);
  const udp = await ask(resolver, 'big.apps.svc.cluster.local', 'A');
  t.ok(udp.flag_tc);
  t.ok(udp.size <= 512, `${udp.size} bytes`);
  t.ok((udp.answers ?? []).length > 0 && (udp.answers ?? []).length < 60, 'as many records as fit');
  const edns = await ask(resolver, 'big.apps.svc.cluster.local', 'A', 'udp', 4096);
  t.notOk(edns.flag_tc, '60 records fit the 4096 bytes the client offers');
  t.equal((edns.answers ?? []).length, 60);
  t.same((edns.additionals ?? []).map((a) => a.type), ['OPT'], 'EDNS answered with EDNS');
  const small = await ask(resolver, 'big.apps.svc.cluster.local', 'A', 'udp', 100);
  t.ok(small.flag_tc && small.size <= 512, 'an EDNS size under 512 counts as 512');
  const tcp = await ask(resolver, 'big.apps.svc.cluster.local', 'A', 'tcp');
  t.notOk(tcp.flag_tc);
  t.equal((tcp.answers ?? []).length, 60);
});

t.test('a repeated question is answered from the kept answer until the records change', async (t) => {
  const { resolver, records } = resolverWith(1);
  t.same((await ask(resolver, 'web.apps.svc.cluster.local', 'A')).answers?.map((a) => ('data' in a ? a.data : '')), ['10.43.5.5']);
  const query = dnsPacket.encode({ type: 'query', id: 9, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name: 'web.apps.svc.cluster.local', type: 'A', class: 'IN' }] });
  t.ok(resolver.known(query, 'udp'), 'kept');
  t.equal(resolver.known(query, 'udp')?.readUInt16BE(0), 9, 'with the new query ID');
  t.notOk(resolver.known(query, 'tcp'), 'per transport');
  records.setService({ metadata: { name: 'web', namespace: 'apps' }, spec: { clusterIP: '10.43.6.6', ports: [{ name: 'http', port: 80 }] } });
  t.notOk(resolver.known(query, 'udp'), 'dropped when the records change');
  t.same((await ask(resolver, 'web.apps.svc.cluster.local', 'A')).answers?.map((a) => ('data' in a ? a.data : '')), ['10.43.6.6']);
});

t.test('outside names without an upstream are SERVFAIL; bad packets get FORMERR or NOTIMP; responses are ignored', async (t) => {
  const { resolver } = resolverWith(1);
  const res = await ask(resolver, 'example.com', 'A');
  t.equal(res.rcode, 2);
  t.notOk(res.flag_aa);
  const garbage = Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x61]);
  const formerr = await resolver.handle(garbage, 'udp');
  t.equal(formerr?.readUInt16BE(0), 0x1234);
  t.equal((formerr?.[3] ?? 0) & 0xf, 1, 'FORMERR');
  const notify = dnsPacket.encode({ type: 'query', id: 5, flags: 4 << 11, questions: [{ name: 'cluster.local', type: 'SOA' }] });
  t.equal(((await resolver.handle(notify, 'udp'))?.[3] ?? 0) & 0xf, 4, 'NOTIMP for opcode NOTIFY');
  const response = dnsPacket.encode({ type: 'response', id: 5, questions: [{ name: 'cluster.local', type: 'SOA' }] });
  t.equal(await resolver.handle(response, 'udp'), undefined);
  t.equal(await resolver.handle(Buffer.from([1, 2, 3]), 'udp'), undefined, 'too short to answer');
});

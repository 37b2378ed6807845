import t from 'tap';
import { cacheTtl } from './forward.js';
import { parseUpstreams } from './upstreams.js';

t.test("the node's resolv.conf gives the upstreams, without the cluster DNS itself", async (t) => {
  const conf = '# generated\nsearch example.org\nnameserver 10.43.0.10\nnameserver 192.168.1.1 ; router\nnameserver  fe80::1%eth0\nnameserver 192.168.1.1\nnameserver bogus\noptions ndots:2\n';
  t.same(parseUpstreams(conf, ['10.43.0.10']), [
    { host: '192.168.1.1', port: 53 },
    { host: 'fe80::1%eth0', port: 53 },
  ]);
  t.same(parseUpstreams(''), []);
});

t.test('upstream answers are cached for their smallest TTL, negative ones for the SOA minimum, failures not at all', async (t) => {
  const a = (ttl: number) => ({ type: 'A' as const, name: 'x', ttl, data: '192.0.2.1' });
  const soa = (ttl: number, minimum: number) => ({ type: 'SOA' as const, name: 'x', ttl, data: { mname: 'ns', rname: 'h', minimum } });
  t.equal(cacheTtl({ rcode: 0, answers: [a(300), a(20)], authorities: [], additionals: [] }, 30), 20);
  t.equal(cacheTtl({ rcode: 0, answers: [a(300)], authorities: [], additionals: [] }, 30), 30, 'capped');
  t.equal(cacheTtl({ rcode: 3, answers: [], authorities: [soa(60, 10)], additionals: [] }, 30), 10);
  t.equal(cacheTtl({ rcode: 0, answers: [], authorities: [soa(5, 10)], additionals: [] }, 30), 5, 'NODATA');
  t.equal(cacheTtl({ rcode: 3, answers: [], authorities: [], additionals: [] }, 30), 0, 'no SOA, no negative caching');
  t.equal(cacheTtl({ rcode: 2, answers: [], authorities: [soa(60, 60)], additionals: [] }, 30), 0, 'SERVFAIL');
});

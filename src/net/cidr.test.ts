import t from 'tap';
import {
  allocatePodCidr,
  bridgeAddress,
  cidrSize,
  cidrsOverlap,
  containsAddress,
  containsCidr,
  formatCidr,
  formatIpv4,
  nthAddress,
  parseCidr,
  parseIpv4,
  podGateway,
} from './cidr.js';

t.test('IPv4 addresses round-trip through unsigned 32-bit numbers', async (t) => {
  t.equal(parseIpv4('0.0.0.0'), 0);
  t.equal(parseIpv4('255.255.255.255'), 0xffffffff);
  t.equal(parseIpv4('10.42.0.1'), 0x0a2a0001);
  t.equal(formatIpv4(0xc0a8fb02), '192.168.251.2');
  for (const a of ['10.43.0.10', '128.0.0.1', '1.2.3.4']) t.equal(formatIpv4(parseIpv4(a)), a);
});

t.test('malformed addresses are refused with bad-address', async (t) => {
  for (const bad of ['', '10.42.0', '10.42.0.256', '10.42.0.-1', '010.42.0.1', '10.42.0.1 ', 'a.b.c.d', '1.2.3.4.5', '::1']) {
    t.throws(() => parseIpv4(bad), { name: 'NetError', code: 'bad-address' }, JSON.stringify(bad));
  }
});

t.test('CIDRs parse to their network; host bits are cleared as Kubernetes does', async (t) => {
  t.same(parseCidr('10.42.0.0/16'), { network: 0x0a2a0000, prefix: 16 });
  t.equal(formatCidr(parseCidr('10.42.7.9/16')), '10.42.0.0/16');
  t.equal(formatCidr(parseCidr('0.0.0.0/0')), '0.0.0.0/0');
  t.equal(formatCidr(parseCidr('10.0.0.1/32')), '10.0.0.1/32');
  t.equal(cidrSize(parseCidr('10.42.0.0/24')), 256);
  t.equal(cidrSize(parseCidr('0.0.0.0/0')), 2 ** 32);
  for (const bad of ['10.42.0.0', '10.42.0.0/33', '10.42.0.0/', '10.42.0.0/-1', '10.42.0/16', 'x/8', '10.42.0.0/1a']) {
    t.throws(() => parseCidr(bad), { name: 'NetError', code: 'bad-cidr' }, JSON.stringify(bad));
  }
});

t.test('containment and overlap', async (t) => {
  const cluster = parseCidr('10.42.0.0/16');
  t.ok(containsAddress(cluster, parseIpv4('10.42.255.255')));
  t.notOk(containsAddress(cluster, parseIpv4('10.43.0.0')));
  t.notOk(containsAddress(cluster, parseIpv4('10.41.255.255')));
  t.ok(containsCidr(cluster, parseCidr('10.42.3.0/24')));
  t.ok(containsCidr(cluster, cluster), 'a CIDR contains itself');
  t.notOk(containsCidr(parseCidr('10.42.3.0/24'), cluster));
  t.ok(cidrsOverlap(parseCidr('10.0.0.0/8'), cluster));
  t.ok(cidrsOverlap(cluster, parseCidr('10.0.0.0/8')));
  t.notOk(cidrsOverlap(cluster, parseCidr('10.43.0.0/16')));
  t.ok(containsAddress(parseCidr('0.0.0.0/0'), 0xffffffff));
});

t.test('the gateway is the first address of the pod CIDR', async (t) => {
  t.equal(podGateway('10.42.0.0/24'), '10.42.0.1');
  t.equal(podGateway('10.42.17.0/24'), '10.42.17.1');
  t.equal(bridgeAddress('10.42.17.0/24'), '10.42.17.1/24');
  t.equal(bridgeAddress('10.42.0.0/16'), '10.42.0.1/16');
  t.equal(formatIpv4(nthAddress(parseCidr('10.42.0.0/24'), 255)), '10.42.0.255');
  t.throws(() => nthAddress(parseCidr('10.42.0.0/24'), 256), RangeError);
});

t.test('pod CIDRs are the first free block of the cluster CIDR', async (t) => {
  t.equal(allocatePodCidr('10.42.0.0/16', []), '10.42.0.0/24');
  t.equal(allocatePodCidr('10.42.0.0/16', ['10.42.0.0/24']), '10.42.1.0/24');
  t.equal(allocatePodCidr('10.42.0.0/16', ['10.42.1.0/24', '10.42.0.0/24', '10.42.3.0/24']), '10.42.2.0/24', 'order of used does not matter; gaps are reused');
  t.equal(allocatePodCidr('10.42.0.0/16', ['10.42.0.0/23']), '10.42.2.0/24', 'a larger block used blocks all it covers');
  t.equal(allocatePodCidr('10.42.0.0/16', ['10.42.0.128/25']), '10.42.1.0/24', 'a smaller block used blocks the block around it');
  t.equal(allocatePodCidr('10.42.0.0/16', ['10.43.0.0/24', '192.168.0.0/16']), '10.42.0.0/24', 'used CIDRs outside the cluster are ignored');
  t.equal(allocatePodCidr('10.42.0.0/16', [], 26), '10.42.0.0/26');
  t.equal(allocatePodCidr('10.42.0.0/16', ['10.42.0.0/26'], 26), '10.42.0.64/26');
  t.equal(allocatePodCidr('10.42.0.1/16', []), '10.42.0.0/24', 'host bits of the cluster CIDR are ignored');
  t.equal(allocatePodCidr('10.42.0.0/24', [], 24), '10.42.0.0/24', 'a one-node cluster may use its whole CIDR');
});

t.test('a cluster CIDR with every block given away is exhausted', async (t) => {
  const all = Array.from({ length: 4 }, (_, i) => `10.42.${i}.0/24`);
  t.throws(() => allocatePodCidr('10.42.0.0/22', all), { name: 'NetError', code: 'cidr-exhausted' });
  t.throws(() => allocatePodCidr('10.42.0.0/16', ['10.0.0.0/8']), { name: 'NetError', code: 'cidr-exhausted' }, 'a used CIDR around the whole cluster');
  t.equal(allocatePodCidr('10.42.0.0/22', all.slice(0, 3)), '10.42.3.0/24', 'the last block is found');
});

t.test('the pod CIDR mask must fit the cluster CIDR and leave room for pods', async (t) => {
  for (const mask of [15, 31, 32, 24.5]) {
    t.throws(() => allocatePodCidr('10.42.0.0/16', [], mask), { name: 'NetError', code: 'bad-mask' }, `/${mask}`);
  }
  t.throws(() => allocatePodCidr('10.42.0.0/16', ['nonsense']), { name: 'NetError', code: 'bad-cidr' });
});

t.test('allocation on a large cluster CIDR finds the first free block after 60000 used ones', async (t) => {
  const used = Array.from({ length: 60_000 }, (_, i) => formatCidr({ network: parseIpv4('10.0.0.0') + i * 256, prefix: 24 }));
  t.equal(allocatePodCidr('10.0.0.0/8', used), '10.234.96.0/24');
});

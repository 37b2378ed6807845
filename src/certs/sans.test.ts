import t from 'tap';
import { apiserverSans, canonicalIp, parseSan, sameSans } from './sans.js';

t.test('parseSan tells IP addresses from DNS names', async (t) => {
  const cases: [string, string, string][] = [
    ['10.0.0.1', 'ip', '10.0.0.1'],
    ['fd00::1', 'ip', 'fd00::1'],
    ['[2001:db8::1]', 'ip', '2001:db8::1'],
    ['2001:DB8:0:0:0:0:0:1', 'ip', '2001:db8::1'],
    ['::ffff:10.0.0.1', 'ip', '::ffff:a00:1'],
    ['API.Example.com', 'dns', 'api.example.com'],
    ['api.example.com.', 'dns', 'api.example.com'],
    ['*.apps.example.com', 'dns', '*.apps.example.com'],
    ['node_1', 'dns', 'node_1'],
    ['localhost', 'dns', 'localhost'],
  ];
  for (const [text, type, value] of cases) t.same(parseSan(text), { type, value }, text);
});

t.test('parseSan refuses what is neither', async (t) => {
  for (const bad of ['', 'a b', '10.0.0.256', '1.2.3', 'fe80::1%eth0', '-bad.example.com', '*.com', 'a..b', `${'a'.repeat(64)}.com`, 'https://x']) {
    t.throws(() => parseSan(bad), { code: 'bad-san', message: `"${bad}" is neither an IP address nor a valid DNS name; use e.g. 10.0.0.5, fd00::5 or api.example.com` }, JSON.stringify(bad));
  }
});

t.test('apiserverSans covers loopback, the kubernetes service, the node and --tls-san, once each', async (t) => {
  const sans = apiserverSans({
    nodeName: 'Node-1',
    nodeIps: ['192.168.1.5', '127.0.0.1'],
    serviceIp: '10.43.0.1',
    clusterDomain: 'cluster.local',
    tlsSans: ['LOCALHOST', '0:0:0:0:0:0:0:1', 'lb.example.com'],
  });
  t.same(sans.map((s) => `${s.type}:${s.value}`), [
    'dns:localhost',
    'dns:kubernetes',
    'dns:kubernetes.default',
    'dns:kubernetes.default.svc',
    'dns:kubernetes.default.svc.cluster.local',
    'dns:node-1',
    'ip:127.0.0.1',
    'ip:::1',
    'ip:10.43.0.1',
    'ip:192.168.1.5',
    'dns:lb.example.com',
  ]);
});

t.test('sameSans compares canonical sets', async (t) => {
  t.ok(sameSans([{ type: 'ip', value: '::1' }, { type: 'dns', value: 'a' }], [{ type: 'dns', value: 'A' }, { type: 'ip', value: '0::1' }]));
  t.notOk(sameSans([{ type: 'ip', value: '10.0.0.1' }], [{ type: 'dns', value: '10.0.0.1' }]), 'IP and DNS entries differ');
  t.notOk(sameSans([{ type: 'dns', value: 'a' }], [{ type: 'dns', value: 'a' }, { type: 'dns', value: 'b' }]));
  t.equal(canonicalIp('not-an-ip'), undefined);
});

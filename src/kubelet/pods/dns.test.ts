import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { parseResolvConf, podDnsConfig, type DnsSettings } from './dns.js';

const host = parseResolvConf('# comment\nnameserver 192.0.2.53\nnameserver 192.0.2.54\nsearch corp.example example.com\noptions edns0 ndots:1\n');

const settings: DnsSettings = { clusterDns: ['10.43.0.10'], clusterDomain: 'cluster.local', host };

const pod = (spec: Partial<corev1.PodSpec>): corev1.Pod => ({ metadata: { name: 'p', namespace: 'team', uid: 'u' }, spec: { containers: [], ...spec } });

t.test('parseResolvConf', async (t) => {
  t.same(host, { servers: ['192.0.2.53', '192.0.2.54'], searches: ['corp.example', 'example.com'], options: ['edns0', 'ndots:1'] });
});

t.test('dnsPolicy decides the resolver configuration', async (t) => {
  const cluster = { servers: ['10.43.0.10'], searches: ['team.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example', 'example.com'], options: ['ndots:5'] };
  const hostConf = { servers: ['192.0.2.53', '192.0.2.54'], searches: ['corp.example', 'example.com'], options: ['edns0', 'ndots:1'] };
  const cases: [string, Partial<corev1.PodSpec>, object][] = [
    ['ClusterFirst (the default)', {}, cluster],
    ['ClusterFirst with host network falls back to the host', { hostNetwork: true, dnsPolicy: 'ClusterFirst' }, hostConf],
    ['ClusterFirstWithHostNet', { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }, cluster],
    ['Default', { dnsPolicy: 'Default' }, hostConf],
    ['None with dnsConfig', { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '2' }, { name: 'rotate' }] } }, { servers: ['1.1.1.1'], searches: ['a.example'], options: ['ndots:2', 'rotate'] }],
    [
      'dnsConfig merged into ClusterFirst (options by name)',
      { dnsConfig: { nameservers: ['10.43.0.10', '9.9.9.9'], searches: ['extra.example'], options: [{ name: 'ndots', value: '2' }, { name: 'timeout', value: '3' }] } },
      { servers: ['10.43.0.10', '9.9.9.9'], searches: [...cluster.searches, 'extra.example'], options: ['ndots:2', 'timeout:3'] },
    ],
  ];
  for (const [name, spec, want] of cases) {
    const { config, warnings } = podDnsConfig(pod(spec), settings);
    t.same(config, want, name);
    t.same(warnings, [], `${name}: no warnings`);
  }
});

t.test('without cluster DNS ClusterFirst falls back to Default with a warning', async (t) => {
  const { config, warnings } = podDnsConfig(pod({}), { ...settings, clusterDns: [] });
  t.same(config.servers, host.servers);
  t.equal(warnings[0]?.reason, 'MissingClusterDNS');
  t.match(warnings[0]?.message, /kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy\. Falling back to "Default" policy\./);
});

t.test('limits: three nameservers, 32 search domains', async (t) => {
  const { config, warnings } = podDnsConfig(pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.0.0.1', '1.0.0.2', '1.0.0.3', '1.0.0.4'], searches: Array.from({ length: 40 }, (_, i) => `s${i}.example`) } }), settings);
  t.same(config.servers, ['1.0.0.1', '1.0.0.2', '1.0.0.3']);
  t.equal(config.searches.length, 32);
  t.same(
    warnings.map((w) => w.message.split(',')[0]),
    ['Nameserver limits were exceeded', 'Search Line limits were exceeded'],
  );
});

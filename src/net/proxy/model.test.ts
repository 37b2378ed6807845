// Which endpoints and addresses the proxy takes from a Service and its slices.
import t from 'tap';
import { proxyPorts } from './model.js';
import { service, slice } from './proxy.fixture.js';

const ips = (eps: { ip: string }[]): string[] => eps.map((e) => e.ip);

t.test('endpoint choice', async (t) => {
  const cases = [
    { name: 'ready endpoints, sorted by address', eps: [{ ip: '10.42.0.10' }, { ip: '10.42.0.9' }], want: ['10.42.0.9', '10.42.0.10'] },
    { name: 'not-ready ones are left out', eps: [{ ip: '10.42.0.9' }, { ip: '10.42.0.8', ready: false, serving: false }], want: ['10.42.0.9'] },
    {
      name: 'serving terminating ones only when none is ready',
      eps: [{ ip: '10.42.0.9', ready: false, serving: true, terminating: true }, { ip: '10.42.0.8', ready: false, serving: false, terminating: true }],
      want: ['10.42.0.9'],
    },
    { name: 'ready wins over serving-terminating', eps: [{ ip: '10.42.0.9', ready: false, serving: true, terminating: true }, { ip: '10.42.0.7' }], want: ['10.42.0.7'] },
    { name: 'no endpoints', eps: [], want: [] },
  ];
  for (const c of cases) {
    const [port] = proxyPorts(service('web', { clusterIP: '10.43.0.20' }), [slice('web', c.eps)], 'node-a');
    t.same(ips(port?.endpoints ?? []), c.want, c.name);
  }
});

t.test('ports match slices by name and protocol; local endpoints are this node’s', async (t) => {
  const svc = service('web', { clusterIP: '10.43.0.20', ports: [{ name: 'http', port: 80 }, { name: 'dns', port: 53, protocol: 'UDP' }] });
  const s = slice('web', [{ ip: '10.42.0.5' }, { ip: '10.42.1.5', node: 'node-b' }], [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }]);
  const [http, dns] = proxyPorts(svc, [s], 'node-a');
  t.same(http?.endpoints, [{ ip: '10.42.0.5', port: 8080, local: true }, { ip: '10.42.1.5', port: 8080, local: false }]);
  t.same(dns?.protocol, 'udp');
  t.same(dns?.endpoints.map((e) => e.port), [5353, 5353]);
  t.same(ips(http?.localEndpoints ?? []), ['10.42.0.5']);
});

t.test('addresses by type', async (t) => {
  const cases = [
    { name: 'ClusterIP has no node port', svc: service('a', { clusterIP: '10.43.0.1', ports: [{ port: 80, nodePort: 30001 }] }), nodePort: 0, lb: [] as string[] },
    { name: 'NodePort', svc: service('a', { type: 'NodePort', clusterIP: '10.43.0.1', ports: [{ port: 80, nodePort: 30001 }] }), nodePort: 30001, lb: [] },
    { name: 'LoadBalancer with ingress', svc: service('a', { type: 'LoadBalancer', clusterIP: '10.43.0.1', ports: [{ port: 80, nodePort: 30001 }] }, { ingress: ['192.168.251.2'] }), nodePort: 30001, lb: ['192.168.251.2'] },
  ];
  for (const c of cases) {
    const [p] = proxyPorts(c.svc, [], 'node-a');
    t.equal(p?.nodePort, c.nodePort, c.name);
    t.same(p?.loadBalancerIPs, c.lb, c.name);
  }
  t.equal(proxyPorts(service('h', { clusterIP: 'None' }), [], 'node-a')[0]?.clusterIP, undefined, 'headless: no ClusterIP');
  t.same(proxyPorts(service('x', { type: 'ExternalName', externalName: 'example.com' }), [], 'node-a'), [], 'ExternalName is skipped');
  t.same(proxyPorts(service('dns', { clusterIP: '10.43.0.10' }, { labels: { 'tsk8s.io/node-local': 'true' } }), [], 'node-a'), [], 'node-local services are skipped');
  const affinity = proxyPorts(service('s', { clusterIP: '10.43.0.1', sessionAffinity: 'ClientIP' }), [], 'node-a')[0];
  t.equal(affinity?.affinitySeconds, 10800, 'default affinity timeout');
});

import t from 'tap';
import type { corev1 } from '../types.js';
import { ago, cellsOf, day, now } from './builders.fixture.js';
import { endpointSlicePrinter, endpointsPrinter, serviceExternalIP, servicePorts, servicePrinter } from './service.js';

function svc(spec: corev1.ServiceSpec, status: corev1.ServiceStatus = {}): corev1.Service {
  return { metadata: { name: 'web', creationTimestamp: ago(2 * day) }, spec, status };
}

t.test('External-IP by service type', async (t) => {
  const lb = (ingress: corev1.LoadBalancerIngress[]): corev1.ServiceStatus => ({ loadBalancer: { ingress } });
  const cases: [string, corev1.Service, string][] = [
    ['cluster IP', svc({ type: 'ClusterIP' }), '<none>'],
    ['cluster IP with external IPs', svc({ type: 'ClusterIP', externalIPs: ['1.2.3.4', '5.6.7.8'] }), '1.2.3.4,5.6.7.8'],
    ['node port', svc({ type: 'NodePort' }), '<none>'],
    ['load balancer pending', svc({ type: 'LoadBalancer' }), '<pending>'],
    ['load balancer with an IP', svc({ type: 'LoadBalancer' }, lb([{ ip: '192.168.1.10' }])), '192.168.1.10'],
    ['load balancer hostnames sorted', svc({ type: 'LoadBalancer' }, lb([{ hostname: 'b.example' }, { ip: '10.0.0.2' }, { ip: '10.0.0.2' }])), '10.0.0.2,b.example'],
    ['load balancer plus external IPs', svc({ type: 'LoadBalancer', externalIPs: ['9.9.9.9'] }, lb([{ ip: '10.0.0.1' }])), '10.0.0.1,9.9.9.9'],
    ['load balancer with only external IPs', svc({ type: 'LoadBalancer', externalIPs: ['9.9.9.9'] }), '9.9.9.9'],
    ['external name', svc({ type: 'ExternalName', externalName: 'db.example.com' }), 'db.example.com'],
    ['no type', svc({}), '<unknown>'],
  ];
  for (const [name, obj, want] of cases) t.equal(serviceExternalIP(obj), want, name);
});

t.test('Port(s) lists port/protocol with node ports', async (t) => {
  t.equal(servicePorts(svc({ ports: [{ port: 80, protocol: 'TCP' }] })), '80/TCP');
  t.equal(servicePorts(svc({ ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] })), '80:30080/TCP,53/UDP');
  t.equal(servicePorts(svc({})), '<none>');
});

t.test('service row', async (t) => {
  const s = svc({ type: 'NodePort', clusterIP: '10.43.0.15', clusterIPs: ['10.43.0.15'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }], selector: { app: 'web' } });
  t.same(cellsOf(servicePrinter, s), ['web', 'NodePort', '10.43.0.15', '<none>', '80:30080/TCP', '2d', 'app=web']);
  t.same(cellsOf(servicePrinter, svc({ type: 'ClusterIP', clusterIP: 'None' })).slice(1, 3), ['ClusterIP', 'None'], 'headless');
  t.same(cellsOf(servicePrinter, svc({ type: 'ClusterIP' }))[2], '<none>');
  t.equal(cellsOf(servicePrinter, svc({}))[6], '<none>', 'no selector');
});

t.test('endpoints show three addresses then a count', async (t) => {
  const ep = (subsets: corev1.EndpointSubset[]): corev1.Endpoints => ({ metadata: { name: 'web', creationTimestamp: ago(day) }, subsets });
  t.same(cellsOf(endpointsPrinter, ep([])), ['web', '<none>', '24h']);
  t.equal(cellsOf(endpointsPrinter, ep([{ addresses: [{ ip: '10.42.0.5' }], ports: [{ port: 8080 }] }]))[1], '10.42.0.5:8080');
  t.equal(cellsOf(endpointsPrinter, ep([{ addresses: [{ ip: 'fd00::5' }], ports: [{ port: 80 }] }]))[1], '[fd00::5]:80');
  t.equal(cellsOf(endpointsPrinter, ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }] }]))[1], '10.0.0.1,10.0.0.2', 'headless without ports');
  const many = ep([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }]);
  t.equal(cellsOf(endpointsPrinter, many)[1], '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...');
});

t.test('endpoint slices', async (t) => {
  const slice = {
    metadata: { name: 'web-abc', creationTimestamp: ago(day) },
    addressType: 'IPv4',
    ports: [{ port: 80 }, { name: 'metrics' }, {}],
    endpoints: [{ addresses: ['10.42.0.5'] }, { addresses: ['10.42.0.6', '10.42.0.7', '10.42.0.8'] }],
  };
  t.same(cellsOf(endpointSlicePrinter, slice), ['web-abc', 'IPv4', '80,metrics,*', '10.42.0.5,10.42.0.6,10.42.0.7 + 1 more...', '24h']);
  t.same(cellsOf(endpointSlicePrinter, { metadata: { name: 'empty' }, addressType: 'IPv4', endpoints: [] }).slice(2, 4), ['<unset>', '<unset>']);
});

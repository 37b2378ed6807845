import t from 'tap';
import type { corev1 } from '../api/types.js';
import { nodeAddresses, ServiceLBController } from './servicelb.js';
import { FakeLister, recordingClient } from './testing.fixture.js';

function node(name: string, addresses: corev1.NodeAddress[], ready = true): corev1.Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { addresses, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } };
}
function svc(name: string, spec: corev1.ServiceSpec, ingress?: string[]): corev1.Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', resourceVersion: '7' },
    spec: { ports: [{ port: 80 }], ...spec },
    ...(ingress ? { status: { loadBalancer: { ingress: ingress.map((ip) => ({ ip })) } } } : {}),
  };
}
const internal = (address: string): corev1.NodeAddress => ({ type: 'InternalIP', address });
const external = (address: string): corev1.NodeAddress => ({ type: 'ExternalIP', address });

function setup(services: corev1.Service[], nodes: corev1.Node[]) {
  const { client, transport } = recordingClient();
  const servicesLister = new FakeLister(services);
  const nodesLister = new FakeLister(nodes);
  const controller = new ServiceLBController({ client, services: servicesLister, nodes: nodesLister });
  return { controller, transport, servicesLister, nodesLister };
}

t.test('node addresses: Ready nodes only, ExternalIP before InternalIP, sorted', async (t) => {
  const cases = [
    { name: 'internal IPs', nodes: [node('b', [internal('10.0.0.2')]), node('a', [internal('10.0.0.1')])], want: ['10.0.0.1', '10.0.0.2'] },
    { name: 'an ExternalIP wins over the InternalIP', nodes: [node('a', [internal('10.0.0.1'), external('203.0.113.1')])], want: ['203.0.113.1'] },
    { name: 'not-Ready nodes are left out', nodes: [node('a', [internal('10.0.0.1')]), node('b', [internal('10.0.0.2')], false)], want: ['10.0.0.1'] },
    { name: 'no nodes', nodes: [], want: [] },
  ];
  for (const c of cases) t.same(nodeAddresses(c.nodes), c.want, c.name);
});

t.test('a LoadBalancer service gets the nodes’ addresses as ingress', async (t) => {
  const { controller, transport } = setup([svc('web', { type: 'LoadBalancer' })], [node('a', [internal('192.168.251.2')])]);
  await controller.sync('default/web');
  t.same(transport.summary(), ['update services/web/status']);
  const [body] = transport.bodies<corev1.Service>('update', 'services/web/status');
  t.same(body?.status?.loadBalancer?.ingress, [{ ip: '192.168.251.2', ipMode: 'VIP' }]);
  t.equal(body?.metadata?.resourceVersion, '7', 'the update is conditional on the version read');
});

t.test('nothing is written when the ingress is already right', async (t) => {
  const { controller, transport } = setup([svc('web', { type: 'LoadBalancer' }, ['192.168.251.2'])], [node('a', [internal('192.168.251.2')])]);
  await controller.sync('default/web');
  t.same(transport.summary(), []);
});

t.test('other implementations’ services and other types are left alone; a former LoadBalancer is cleared', async (t) => {
  const { controller, transport } = setup(
    [svc('classy', { type: 'LoadBalancer', loadBalancerClass: 'example.com/lb' }), svc('plain', { type: 'ClusterIP' }), svc('was-lb', { type: 'ClusterIP' }, ['192.168.251.2'])],
    [node('a', [internal('192.168.251.2')])],
  );
  for (const key of ['default/classy', 'default/plain', 'default/was-lb', 'default/gone']) await controller.sync(key);
  t.same(transport.summary(), ['update services/was-lb/status']);
  t.same(transport.bodies<corev1.Service>('update', 'services/was-lb/status')[0]?.status?.loadBalancer, {});
});

t.test('a node change requeues every LoadBalancer service; a status-only node update does not', async (t) => {
  const { controller, servicesLister, nodesLister } = setup([svc('lb1', { type: 'LoadBalancer' }), svc('lb2', { type: 'LoadBalancer' }), svc('plain', {})], [node('a', [internal('10.0.0.1')])]);
  const queued = async (): Promise<string[]> => {
    const keys: string[] = [];
    while (controller.queue.length > 0) {
      const k = await controller.queue.get();
      if (k === undefined) break;
      keys.push(k);
      controller.queue.done(k);
    }
    return keys.sort();
  };
  t.ok(servicesLister.handlers.length === 1);
  await queued();
  const n = node('b', [internal('10.0.0.2')]);
  nodesLister.handlers[0]?.onAdd?.(n, false);
  t.same(await queued(), ['default/lb1', 'default/lb2']);
  nodesLister.handlers[0]?.onUpdate?.(n, { ...n, metadata: { ...n.metadata, resourceVersion: '9' } });
  t.same(await queued(), [], 'same addresses and readiness: nothing to do');
  nodesLister.handlers[0]?.onUpdate?.(n, node('b', [internal('10.0.0.2')], false));
  t.same(await queued(), ['default/lb1', 'default/lb2'], 'readiness changed');
});

import t from 'tap';
import type { corev1 } from '../api/types.js';
import { EndpointsController } from './endpoints.js';
import { makeEndpointPod, makeService } from './endpoints.fixture.js';
import { FakeLister, recordingClient } from './testing.fixture.js';

function setup(services: corev1.Service[], pods: corev1.Pod[], endpoints: corev1.Endpoints[] = []) {
  const { client, transport } = recordingClient();
  const controller = new EndpointsController({ client, services: new FakeLister(services), pods: new FakeLister(pods), endpoints: new FakeLister(endpoints) });
  return { controller, transport };
}

const ref = (name: string) => ({ kind: 'Pod', namespace: 'default', name, uid: `pod-${name}` });

t.test('ready pods are addresses, not-ready pods notReadyAddresses, with the named target port resolved', async (t) => {
  const pods = [
    makeEndpointPod('b', '10.42.0.12', { ready: true }),
    makeEndpointPod('a', '10.42.0.11', { ready: true }),
    makeEndpointPod('c', '10.42.0.13'),
    makeEndpointPod('noip', undefined, { ready: true }),
    makeEndpointPod('done', '10.42.0.14', { phase: 'Succeeded' }),
    makeEndpointPod('going', '10.42.0.15', { ready: true, deleting: true }),
    makeEndpointPod('other', '10.42.0.16', { ready: true, labels: { app: 'other' } }),
  ];
  const { controller, transport } = setup([makeService('web')], pods);
  await controller.sync('default/web');
  t.same(transport.summary(), ['create endpoints']);
  const [ep] = transport.bodies<corev1.Endpoints>('create', 'endpoints');
  t.same(ep?.subsets, [
    {
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      addresses: [
        { ip: '10.42.0.11', nodeName: 'n1', targetRef: ref('a') },
        { ip: '10.42.0.12', nodeName: 'n1', targetRef: ref('b') },
      ],
      notReadyAddresses: [{ ip: '10.42.0.13', nodeName: 'n1', targetRef: ref('c') }],
    },
  ]);
  t.equal(ep?.metadata?.name, 'web');
  t.equal(ep?.metadata?.annotations?.['endpoints.kubernetes.io/last-change-trigger-time'], '2026-01-01T00:00:00Z');
});

t.test('nothing is written when the Endpoints already match; a change is an update', async (t) => {
  const svc = makeService('web');
  const first = setup([svc], [makeEndpointPod('a', '10.42.0.11', { ready: true })]);
  await first.controller.sync('default/web');
  const [created] = first.transport.bodies<corev1.Endpoints>('create', 'endpoints');
  const stored = { ...created!, metadata: { ...created!.metadata, namespace: 'default', resourceVersion: '5' } };
  const same = setup([svc], [makeEndpointPod('a', '10.42.0.11', { ready: true })], [stored]);
  await same.controller.sync('default/web');
  t.same(same.transport.summary(), []);
  const changed = setup([svc], [makeEndpointPod('a', '10.42.0.11')], [stored]);
  await changed.controller.sync('default/web');
  t.same(changed.transport.summary(), ['update endpoints/web']);
  const [update] = changed.transport.bodies<corev1.Endpoints>('update', 'endpoints/web');
  t.equal(update?.metadata?.resourceVersion, '5');
  t.equal(update?.subsets?.[0]?.notReadyAddresses?.length, 1);
});

t.test('publishNotReadyAddresses lists not-ready pods as addresses', async (t) => {
  const { controller, transport } = setup([makeService('web', { publishNotReady: true })], [makeEndpointPod('a', '10.42.0.11')]);
  await controller.sync('default/web');
  const [ep] = transport.bodies<corev1.Endpoints>('create', 'endpoints');
  t.equal(ep?.subsets?.[0]?.addresses?.length, 1);
  t.notOk(ep?.subsets?.[0]?.notReadyAddresses);
});

t.test('a headless service without ports lists addresses and is labelled headless', async (t) => {
  const { controller, transport } = setup([makeService('web', { headless: true, ports: [] })], [makeEndpointPod('a', '10.42.0.11', { ready: true })]);
  await controller.sync('default/web');
  const [ep] = transport.bodies<corev1.Endpoints>('create', 'endpoints');
  t.same(ep?.subsets, [{ addresses: [{ ip: '10.42.0.11', nodeName: 'n1', targetRef: ref('a') }] }]);
  t.same(ep?.metadata?.labels, { 'service.kubernetes.io/headless': '' });
});

t.test('a pod whose named port is unknown is left out; numeric target ports need no lookup', async (t) => {
  const svc = makeService('web', { ports: [{ name: 'x', port: 80, protocol: 'TCP', targetPort: 'nope' }, { name: 'y', port: 81, protocol: 'TCP', targetPort: 9000 }] });
  const { controller, transport } = setup([svc], [makeEndpointPod('a', '10.42.0.11', { ready: true })]);
  await controller.sync('default/web');
  const [ep] = transport.bodies<corev1.Endpoints>('create', 'endpoints');
  t.same(ep?.subsets?.[0]?.ports, [{ name: 'y', port: 9000, protocol: 'TCP' }]);
});

t.test('a Service without selector is left alone; a deleted Service loses its Endpoints', async (t) => {
  const bare = setup([makeService('kubernetes', { selector: null })], [], [{ metadata: { name: 'kubernetes', namespace: 'default' }, subsets: [] }]);
  await bare.controller.sync('default/kubernetes');
  t.same(bare.transport.summary(), []);
  const gone = setup([], [], [{ metadata: { name: 'web', namespace: 'default' } }]);
  await gone.controller.sync('default/web');
  t.same(gone.transport.summary(), ['delete endpoints/web']);
});

t.test('pod events enqueue the services selecting the pod', async (t) => {
  const services = new FakeLister([makeService('web'), makeService('other')]);
  const pods = new FakeLister<corev1.Pod>([]);
  const { client } = recordingClient();
  const controller = new EndpointsController({ client, services, pods, endpoints: new FakeLister() });
  pods.handlers[0]?.onAdd?.(makeEndpointPod('a', '10.42.0.11'), false);
  t.equal(controller.queue.length, 1);
  t.equal(await controller.queue.get(), 'default/web');
  controller.queue.shutDown();
});

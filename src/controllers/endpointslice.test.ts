import t from 'tap';
import type { corev1, discoveryv1 } from '../api/types.js';
import { makeEndpointPod, makeService } from './endpoints.fixture.js';
import { EndpointSliceController } from './endpointslice.js';
import { FakeLister, recordingClient } from './testing.fixture.js';

type Slice = discoveryv1.EndpointSlice;

function setup(services: corev1.Service[], pods: corev1.Pod[], slices: Slice[] = [], nodes: corev1.Node[] = []) {
  const { client, transport } = recordingClient();
  const controller = new EndpointSliceController({ client, services: new FakeLister(services), pods: new FakeLister(pods), slices: new FakeLister(slices), nodes: new FakeLister(nodes), maxEndpointsPerSlice: 3 });
  return { controller, transport };
}

/** What the create would store, as the cache would hold it. */
function stored(body: Slice | undefined, name: string): Slice {
  return { ...body!, metadata: { ...body!.metadata, name, namespace: 'default', resourceVersion: '7' } };
}

t.test('a slice lists ready, not-ready and terminating pods with conditions, zone, owner and labels', async (t) => {
  const pods = [
    makeEndpointPod('a', '10.42.0.11', { ready: true }),
    makeEndpointPod('b', '10.42.0.12'),
    makeEndpointPod('c', '10.42.0.13', { ready: true, deleting: true }),
    makeEndpointPod('noip', undefined, { ready: true }),
    makeEndpointPod('done', '10.42.0.14', { phase: 'Failed' }),
  ];
  const node: corev1.Node = { metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } } };
  const { controller, transport } = setup([makeService('web', { labels: { team: 'x' } })], pods, [], [node]);
  await controller.sync('default/web');
  t.same(transport.summary(), ['create endpointslices']);
  const [slice] = transport.bodies<Slice>('create', 'endpointslices');
  t.equal(slice?.addressType, 'IPv4');
  t.equal(slice?.metadata?.generateName, 'web-');
  t.same(slice?.metadata?.labels, { team: 'x', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  t.match(slice?.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-web', controller: true, blockOwnerDeletion: true }]);
  t.same(slice?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  t.same(
    slice?.endpoints.map((e) => [e.addresses[0], e.conditions, e.nodeName, e.zone, e.targetRef?.name]),
    [
      ['10.42.0.11', { ready: true, serving: true, terminating: false }, 'n1', 'z1', 'a'],
      ['10.42.0.12', { ready: false, serving: false, terminating: false }, 'n1', 'z1', 'b'],
      ['10.42.0.13', { ready: false, serving: true, terminating: true }, 'n1', 'z1', 'c'],
    ],
  );
});

t.test('an unchanged slice is not written; a changed one is updated in place', async (t) => {
  const svc = makeService('web');
  const first = setup([svc], [makeEndpointPod('a', '10.42.0.11', { ready: true })]);
  await first.controller.sync('default/web');
  const slice = stored(first.transport.bodies<Slice>('create', 'endpointslices')[0], 'web-abcde');
  const same = setup([svc], [makeEndpointPod('a', '10.42.0.11', { ready: true })], [slice]);
  await same.controller.sync('default/web');
  t.same(same.transport.summary(), []);
  const changed = setup([svc], [makeEndpointPod('a', '10.42.0.11')], [slice]);
  await changed.controller.sync('default/web');
  t.same(changed.transport.summary(), ['update endpointslices/web-abcde']);
});

t.test('slices hold at most the maximum; existing slices are filled before new ones are made', async (t) => {
  const svc = makeService('web');
  const pods = ['1', '2', '3', '4', '5'].map((n) => makeEndpointPod(`p${n}`, `10.42.0.${n}`, { ready: true }));
  const { controller, transport } = setup([svc], pods);
  await controller.sync('default/web');
  const created = transport.bodies<Slice>('create', 'endpointslices');
  t.same(created.map((s) => s.endpoints.length), [3, 2]);
  const next = setup([svc], pods.slice(1), [stored(created[0], 'web-a'), stored(created[1], 'web-b')]);
  await next.controller.sync('default/web');
  t.same(next.transport.summary(), ['update endpointslices/web-a'], 'only the slice that lost an endpoint changes');
});

t.test('pods with different resolved ports go into different slices', async (t) => {
  const other = makeEndpointPod('b', '10.42.0.12', { ready: true });
  other.spec = { ...other.spec!, containers: [{ name: 'c', image: 'x', ports: [{ name: 'web', containerPort: 9090 }] }] };
  const { controller, transport } = setup([makeService('web')], [makeEndpointPod('a', '10.42.0.11', { ready: true }), other]);
  await controller.sync('default/web');
  t.same(transport.bodies<Slice>('create', 'endpointslices').map((s) => s.ports?.[0]?.port).sort(), [8080, 9090]);
});

t.test('no pods: one empty placeholder slice; a headless service is labelled', async (t) => {
  const { controller, transport } = setup([makeService('web', { headless: true })], []);
  await controller.sync('default/web');
  const [slice] = transport.bodies<Slice>('create', 'endpointslices');
  t.same(slice?.endpoints, []);
  t.equal(slice?.metadata?.labels?.['service.kubernetes.io/headless'], '');
});

t.test('services without selector and slices not managed by us are left alone; a deleted service loses its slices', async (t) => {
  const apiSlice: Slice = { addressType: 'IPv4', endpoints: [], metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } } };
  const bare = setup([makeService('kubernetes', { selector: null })], [], [apiSlice]);
  await bare.controller.sync('default/kubernetes');
  t.same(bare.transport.summary(), []);
  const mine: Slice = { addressType: 'IPv4', endpoints: [], metadata: { name: 'web-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } } };
  const gone = setup([], [], [apiSlice, mine]);
  await gone.controller.sync('default/web');
  await gone.controller.sync('default/kubernetes');
  t.same(gone.transport.summary(), ['delete endpointslices/web-x']);
});

// The Endpoints and EndpointSlice controllers against an in-process API
// server. No kubelet runs: the test plays the node by writing the pods'
// status (podIP, Ready).
import t from 'tap';
import type { corev1, discoveryv1 } from '../../../src/api/types.js';
import { endpointSlicesRef } from '../../../src/controllers/endpointslice.js';
import { eventually, startControllerTest } from '../../helpers/controllers.js';

const { client } = await startControllerTest(t, { controllers: ['endpoints', 'endpointslice'] });
const slicesApi = client.resource<discoveryv1.EndpointSlice>(endpointSlicesRef);

const ns = 'svc';
await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

async function setPod(name: string, ip: string, ready: boolean): Promise<void> {
  const pod = await client.pods.get(name, ns);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await client.pods.updateStatus({ ...pod, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: now }] } });
}

async function endpoints(): Promise<corev1.Endpoints | undefined> {
  return client.endpoints.get('web', ns).catch(() => undefined);
}

async function slices(): Promise<discoveryv1.EndpointSlice[]> {
  return (await slicesApi.list({ namespace: ns, labelSelector: 'kubernetes.io/service-name=web' })).items;
}

function sliceState(all: discoveryv1.EndpointSlice[]): string[] {
  return all.flatMap((s) => s.endpoints.map((e) => `${e.addresses[0]} ready=${String(e.conditions?.ready)} port=${String(s.ports?.[0]?.port)}`)).sort();
}

t.test('Endpoints and EndpointSlices follow pods becoming ready, not ready and deleted', async (t) => {
  await client.services.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: ns }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
  for (const name of ['a', 'b']) {
    await client.pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: 'web' } }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox', ports: [{ name: 'http', containerPort: 8080 }] }] } });
  }
  t.ok(await eventually(async () => (await slices()).length === 1 && (await endpoints()) !== undefined), 'an empty slice and Endpoints appear');

  await setPod('a', '10.42.0.11', true);
  await setPod('b', '10.42.0.12', false);
  t.ok(
    await eventually(async () => {
      const ep = await endpoints();
      const s = ep?.subsets?.[0];
      return s?.addresses?.[0]?.ip === '10.42.0.11' && s.notReadyAddresses?.[0]?.ip === '10.42.0.12' && s.ports?.[0]?.port === 8080;
    }),
    'Endpoints list a as ready and b as not ready on port 8080',
  );
  t.ok(await eventually(async () => sliceState(await slices()).join() === ['10.42.0.11 ready=true port=8080', '10.42.0.12 ready=false port=8080'].join()), 'the slice agrees');
  const [slice] = await slices();
  t.match(slice?.metadata, { generateName: 'web-', labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }, ownerReferences: [{ kind: 'Service', name: 'web', controller: true }] });

  await setPod('b', '10.42.0.12', true);
  await setPod('a', '10.42.0.11', false);
  t.ok(await eventually(async () => sliceState(await slices()).join() === ['10.42.0.11 ready=false port=8080', '10.42.0.12 ready=true port=8080'].join()), 'readiness flips in the slice');
  t.ok(await eventually(async () => (await endpoints())?.subsets?.[0]?.addresses?.map((a) => a.ip).join() === '10.42.0.12'), 'and in Endpoints');

  await client.pods.delete('b', { namespace: ns, gracePeriodSeconds: 0 });
  t.ok(await eventually(async () => sliceState(await slices()).join() === '10.42.0.11 ready=false port=8080'), 'a deleted pod leaves the slice');
  t.ok(await eventually(async () => !(await endpoints())?.subsets?.[0]?.addresses && (await endpoints())?.subsets?.[0]?.notReadyAddresses?.length === 1), 'and Endpoints');
  const rv = (await slices())[0]?.metadata?.resourceVersion;
  await new Promise((r) => setTimeout(r, 300));
  t.equal((await slices())[0]?.metadata?.resourceVersion, rv, 'no writes once settled');

  await client.services.delete('web', { namespace: ns });
  t.ok(await eventually(async () => (await slices()).length === 0 && (await endpoints()) === undefined), 'deleting the Service removes both');
});

t.test('the kubernetes Service keeps the apiserver-written Endpoints and EndpointSlice', async (t) => {
  // The test server listens on loopback, so bootstrap wrote none: write them as it would.
  const port = { name: 'https', port: 6443, protocol: 'TCP' };
  const labels = { 'kubernetes.io/service-name': 'kubernetes' };
  const ep = await client.endpoints.create({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.1.2.3' }], ports: [port] }] });
  const slice = await slicesApi.create({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'kubernetes', namespace: 'default', labels }, addressType: 'IPv4', endpoints: [{ addresses: ['10.1.2.3'], conditions: { ready: true } }], ports: [port] });
  const svc = await client.services.get('kubernetes', 'default');
  await client.services.update({ ...svc, metadata: { ...svc.metadata, annotations: { touched: 'yes' } } });
  await new Promise((r) => setTimeout(r, 300));
  t.equal((await client.endpoints.get('kubernetes', 'default')).metadata?.resourceVersion, ep.metadata?.resourceVersion);
  t.equal((await slicesApi.get('kubernetes', 'default')).metadata?.resourceVersion, slice.metadata?.resourceVersion);
  t.equal((await slicesApi.list({ namespace: 'default', labelSelector: 'kubernetes.io/service-name=kubernetes' })).items.length, 1);
});

import t from 'tap';
import { rawClient } from '../../helpers/https.js';
import { startTestApiServer } from '../../helpers/apiserver.js';

// Object rules as upstream: server-set metadata, generation, status split,
// generateName, finalizers and graceful deletion, namespaces, dry run,
// scale, Service allocations.
const api = await startTestApiServer();
t.teardown(() => api.close());
const call = rawClient({ url: api.url, caPem: api.pki.serverCa.ca.certPem, certPem: api.pki.admin.certPem, keyPem: api.pki.admin.keyPem });

type Obj = { metadata: Record<string, unknown> & { name: string; uid: string; resourceVersion: string; generation?: number }; spec?: Record<string, unknown>; status?: Record<string, unknown> };
const json = async (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ code: number; obj: Obj }> => {
  const res = await call(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': contentType } });
  return { code: res.code, obj: res.json as Obj };
};

const deployment = (name: string, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
});

t.test('create sets uid, creationTimestamp, resourceVersion and generation, and defaults', async (t) => {
  const { code, obj } = await json('POST', '/apis/apps/v1/namespaces/default/deployments', { ...deployment('web'), status: { replicas: 9 } });
  t.equal(code, 201);
  t.match(obj.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  t.match(obj.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  t.match(obj.metadata.resourceVersion, /^\d+$/);
  t.equal(obj.metadata.generation, 1);
  t.notOk(obj.status?.replicas, 'status is not set by a create');
  t.match(obj.spec, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
  t.match(obj.spec, { template: { spec: { restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', terminationGracePeriodSeconds: 30, schedulerName: 'default-scheduler', containers: [{ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log' }] } } });
});

t.test('generation moves with spec changes only; status goes through /status', async (t) => {
  const current = (await json('GET', '/apis/apps/v1/namespaces/default/deployments/web')).obj;
  const labelled = await json('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { metadata: { labels: { extra: 'x' } } }, 'application/merge-patch+json');
  t.equal(labelled.obj.metadata.generation, 1, 'a label change is not a spec change');
  t.not(labelled.obj.metadata.resourceVersion, current.metadata.resourceVersion);
  const scaled = await json('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { spec: { replicas: 3 }, status: { replicas: 5 } }, 'application/merge-patch+json');
  t.equal(scaled.obj.metadata.generation, 2);
  t.notOk(scaled.obj.status?.replicas, 'status in a main-resource patch is ignored');
  const status = await json('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/status', { status: { replicas: 5 }, spec: { replicas: 7 } }, 'application/merge-patch+json');
  t.equal(status.code, 200);
  t.equal(status.obj.status?.replicas, 5);
  t.equal(status.obj.spec?.replicas, 3, 'spec in a status patch is ignored');
  t.equal(status.obj.metadata.generation, 2);
});

t.test('a no-op update does not change the resourceVersion', async (t) => {
  const current = (await json('GET', '/apis/apps/v1/namespaces/default/deployments/web')).obj;
  const again = await json('PUT', '/apis/apps/v1/namespaces/default/deployments/web', current);
  t.equal(again.code, 200);
  t.equal(again.obj.metadata.resourceVersion, current.metadata.resourceVersion);
});

t.test('scale reads and writes spec.replicas as an autoscaling/v1 Scale', async (t) => {
  const scale = await json('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale');
  t.match(scale.obj, { kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 3 }, status: { selector: 'app=web' } });
  const patched = await json('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: 5 } }, 'application/merge-patch+json');
  t.equal(patched.code, 200);
  t.match(patched.obj, { spec: { replicas: 5 } });
  t.equal((await json('GET', '/apis/apps/v1/namespaces/default/deployments/web')).obj.spec?.replicas, 5);
});

t.test('the selector is immutable', async (t) => {
  const res = await json('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { spec: { selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'other' } } } } }, 'application/merge-patch+json');
  t.equal(res.code, 422);
  t.match((res.obj as unknown as { message: string }).message, /spec\.selector: Invalid value: .*field is immutable/);
});

t.test('generateName makes a name from the prefix and 5 characters of the alphabet', async (t) => {
  const res = await json('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
  t.equal(res.code, 201);
  t.match(res.obj.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
});

t.test('dryRun=All validates and answers without writing', async (t) => {
  const res = await json('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' } });
  t.equal(res.code, 201);
  t.equal((await json('GET', '/api/v1/namespaces/default/configmaps/dry')).code, 404);
});

t.test('finalizers hold an object after delete until they are removed', async (t) => {
  await json('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
  const del = await json('DELETE', '/api/v1/namespaces/default/configmaps/held');
  t.equal(del.code, 200);
  t.match(del.obj.metadata.deletionTimestamp, /Z$/);
  t.equal((await json('GET', '/api/v1/namespaces/default/configmaps/held')).code, 200, 'still there');
  const released = await json('PATCH', '/api/v1/namespaces/default/configmaps/held', { metadata: { finalizers: null } }, 'application/merge-patch+json');
  t.equal(released.code, 200);
  t.equal((await json('GET', '/api/v1/namespaces/default/configmaps/held')).code, 404, 'gone once the last finalizer is removed');
});

t.test('a delete answers with a Success Status naming the object', async (t) => {
  await json('POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bye' } });
  const res = await json('DELETE', '/api/v1/namespaces/default/configmaps/bye');
  t.match(res.obj, { kind: 'Status', status: 'Success', details: { name: 'bye', kind: 'configmaps' } });
});

t.test('a scheduled pod is deleted gracefully; an unscheduled one at once', async (t) => {
  const pod = (name: string, nodeName?: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] } });
  t.equal((await json('POST', '/api/v1/namespaces/default/pods', pod('loose'))).obj.status?.phase, 'Pending');
  await json('DELETE', '/api/v1/namespaces/default/pods/loose');
  t.equal((await json('GET', '/api/v1/namespaces/default/pods/loose')).code, 404);
  await json('POST', '/api/v1/namespaces/default/pods', pod('placed', 'node-a'));
  const marked = await json('DELETE', '/api/v1/namespaces/default/pods/placed');
  t.equal(marked.obj.metadata.deletionGracePeriodSeconds, 30);
  t.equal((await json('GET', '/api/v1/namespaces/default/pods/placed')).code, 200, 'waits for the kubelet');
  await json('DELETE', '/api/v1/namespaces/default/pods/placed', { gracePeriodSeconds: 0 });
  t.equal((await json('GET', '/api/v1/namespaces/default/pods/placed')).code, 404, 'grace 0 removes it');
});

t.test('pod binding sets the node once', async (t) => {
  await json('POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'bindme' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
  const bound = await json('POST', '/api/v1/namespaces/default/pods/bindme/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bindme' }, target: { kind: 'Node', name: 'node-a' } });
  t.equal(bound.code, 201);
  const pod = (await json('GET', '/api/v1/namespaces/default/pods/bindme')).obj;
  t.equal(pod.spec?.nodeName, 'node-a');
  t.match(pod.status, { conditions: [{ type: 'PodScheduled', status: 'True' }] });
  const again = await json('POST', '/api/v1/namespaces/default/pods/bindme/binding', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bindme' }, target: { kind: 'Node', name: 'node-b' } });
  t.equal(again.code, 409);
});

t.test('a deleted namespace becomes Terminating and refuses new content', async (t) => {
  await json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
  const ns = await json('DELETE', '/api/v1/namespaces/doomed');
  t.equal(ns.code, 200);
  t.match(ns.obj, { status: { phase: 'Terminating' }, spec: { finalizers: ['kubernetes'] } });
  const create = await json('POST', '/api/v1/namespaces/doomed/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
  t.equal(create.code, 403);
  t.match((create.obj as unknown as { message: string }).message, /unable to create new content in namespace doomed because it is being terminated/);
});

t.test('services get unique ClusterIPs and NodePorts, freed on delete', async (t) => {
  const svc = (name: string, type = 'ClusterIP') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type, selector: { app: name }, ports: [{ port: 80 }] } });
  const kubernetes = (await json('GET', '/api/v1/namespaces/default/services/kubernetes')).obj;
  t.equal(kubernetes.spec?.clusterIP, '10.43.0.1');
  const ips = new Set<string>(['10.43.0.1']);
  for (let i = 0; i < 10; i++) {
    const res = await json('POST', '/api/v1/namespaces/default/services', svc(`s${i}`, 'NodePort'));
    t.equal(res.code, 201);
    const spec = res.obj.spec as { clusterIP: string; ports: { nodePort: number; targetPort: number; protocol: string }[]; sessionAffinity: string };
    t.notOk(ips.has(spec.clusterIP), 'unique ClusterIP');
    ips.add(spec.clusterIP);
    t.ok(spec.ports[0]!.nodePort >= 30000 && spec.ports[0]!.nodePort <= 32767);
    t.equal(spec.ports[0]!.targetPort, 80);
    t.equal(spec.sessionAffinity, 'None');
  }
  const taken = await json('POST', '/api/v1/namespaces/default/services', { ...svc('dup'), spec: { ...svc('dup').spec, clusterIP: '10.43.0.1' } });
  t.equal(taken.code, 422);
  const s0 = (await json('GET', '/api/v1/namespaces/default/services/s0')).obj.spec as { clusterIP: string };
  await json('DELETE', '/api/v1/namespaces/default/services/s0');
  const reuse = await json('POST', '/api/v1/namespaces/default/services', { ...svc('reuse'), spec: { ...svc('reuse').spec, clusterIP: s0.clusterIP } });
  t.equal(reuse.code, 201, 'a freed IP can be taken again');
});

t.test('an API bound to loopback gets no kubernetes Endpoints (they may not point at loopback)', async (t) => {
  t.equal((await json('GET', '/api/v1/namespaces/default/endpoints/kubernetes')).code, 404);
});

t.test('a Job gets its generated selector and labels', async (t) => {
  const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } };
  const res = await json('POST', '/apis/batch/v1/namespaces/default/jobs', job);
  t.equal(res.code, 201);
  t.match(res.obj.spec, { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': res.obj.metadata.uid } }, backoffLimit: 6, completions: 1, parallelism: 1 });
  t.match(res.obj.spec, { template: { metadata: { labels: { 'batch.kubernetes.io/job-name': 'once' } } } });
});

t.test('replacing a Service without its ClusterIP keeps the allocation', async (t) => {
  const created = (await json('POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'keep' }, spec: { type: 'NodePort', selector: { a: 'b' }, ports: [{ port: 80 }] } })).obj;
  const spec = created.spec as { clusterIP: string; ports: { nodePort: number }[] };
  const replaced = await json('PUT', '/api/v1/namespaces/default/services/keep', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'keep', resourceVersion: created.metadata.resourceVersion }, spec: { type: 'NodePort', selector: { a: 'c' }, ports: [{ port: 80 }] } });
  t.equal(replaced.code, 200);
  t.match(replaced.obj.spec, { clusterIP: spec.clusterIP, ports: [{ nodePort: spec.ports[0]!.nodePort }], selector: { a: 'c' } });
});

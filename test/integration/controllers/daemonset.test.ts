// The DaemonSet controller against an in-process API server. Nodes are plain
// Node objects; no scheduler or kubelet runs, so the test plays both by
// marking the pods Ready (they stay pinned to their node by affinity).
import t from 'tap';
import type { appsv1, corev1 } from '../../../src/api/types.js';
import { daemonSetsRef } from '../../../src/controllers/daemonset.js';
import { controllerRevisionsRef } from '../../../src/controllers/daemonset-history.js';
import { targetNodeOf } from '../../../src/controllers/daemonset-nodes.js';
import { eventually, startControllerTest } from '../../helpers/controllers.js';

const { client } = await startControllerTest(t, { controllers: ['daemonset'] });
const dsApi = client.resource<appsv1.DaemonSet>(daemonSetsRef);

const ns = 'ds';
await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

async function addNode(name: string, taints?: corev1.Taint[]): Promise<void> {
  await client.nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: taints ? { taints } : {} });
}

async function pods(): Promise<corev1.Pod[]> {
  return (await client.pods.list({ namespace: ns, labelSelector: 'app=agent' })).items.filter((p) => !p.metadata?.deletionTimestamp);
}

async function placement(): Promise<string> {
  return (await pods())
    .map((p) => `${targetNodeOf(p) ?? '?'}:${p.spec?.containers[0]?.image ?? ''}`)
    .sort()
    .join(',');
}

/** The node's part: every pod not Ready becomes Running and Ready. */
async function startPods(): Promise<void> {
  for (const pod of await pods()) {
    if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await client.pods.updateStatus({ ...pod, status: { phase: 'Running', podIP: '10.42.0.9', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } }).catch(() => undefined);
  }
}

/** `kubectl rollout status ds`'s test of a finished rollout. */
function rolledOut(ds: appsv1.DaemonSet): boolean {
  const s = ds.status;
  if (!s) return false;
  return (s.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0) && (s.updatedNumberScheduled ?? 0) >= s.desiredNumberScheduled && (s.numberAvailable ?? 0) >= s.desiredNumberScheduled;
}

t.test('a DaemonSet covers eligible nodes, follows new nodes and rolls out a new template', async (t) => {
  await addNode('n1');
  await addNode('n2');
  await addNode('tainted', [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
  await dsApi.create({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: ns },
    spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent:v1' }] } } },
  });
  t.ok(await eventually(async () => (await placement()) === 'n1:agent:v1,n2:agent:v1'), 'one pod on each untainted node');

  await addNode('n3');
  t.ok(await eventually(async () => (await placement()) === 'n1:agent:v1,n2:agent:v1,n3:agent:v1'), 'a new node gets a pod');

  const ds = await dsApi.get('agent', ns);
  const spec = ds.spec!;
  await dsApi.update({ ...ds, spec: { ...spec, template: { ...spec.template, spec: { ...spec.template.spec!, tolerations: [{ key: 'dedicated', operator: 'Exists' }] } } } });
  t.ok(await eventually(async () => (await placement()).includes('tainted:agent:v1')), 'a tolerated taint admits the node');

  await startPods();
  t.ok(await eventually(async () => rolledOut(await dsApi.get('agent', ns))), 'rollout status sees every pod available');

  const current = await dsApi.get('agent', ns);
  const cs = current.spec!;
  await dsApi.update({ ...current, spec: { ...cs, template: { ...cs.template, spec: { ...cs.template.spec!, containers: [{ name: 'c', image: 'agent:v2' }] } } } });
  const done = await eventually(async () => {
    await startPods();
    const now = await placement();
    const nodes = now.split(',').map((p) => p.split(':')[0]);
    t.ok(new Set(nodes).size === nodes.length, 'never two pods on one node');
    return now === 'n1:agent:v2,n2:agent:v2,n3:agent:v2,tainted:agent:v2' && rolledOut(await dsApi.get('agent', ns));
  }, 15000);
  t.ok(done, 'the rolling update replaces every pod');
  const final = await dsApi.get('agent', ns);
  t.match(final.status, { desiredNumberScheduled: 4, currentNumberScheduled: 4, updatedNumberScheduled: 4, numberAvailable: 4, numberMisscheduled: 0 });
  const revisions = (await client.resource<appsv1.ControllerRevision>(controllerRevisionsRef).list({ namespace: ns })).items;
  t.equal(revisions.length, 3, 'one ControllerRevision per template');
  t.same(revisions.map((r) => r.revision).sort(), [1, 2, 3]);
  const hashes = new Set((await pods()).map((p) => p.metadata?.labels?.['controller-revision-hash']));
  t.equal(hashes.size, 1);
  t.equal((await pods())[0]?.metadata?.labels?.['pod-template-generation'], String(final.metadata?.generation));
});

t.test('with maxSurge and maxUnavailable 0 every node keeps a ready pod through the rollout', async (t) => {
  const current = await dsApi.get('agent', ns);
  const cs = current.spec!;
  await dsApi.update({
    ...current,
    spec: { ...cs, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, template: { ...cs.template, spec: { ...cs.template.spec!, containers: [{ name: 'c', image: 'agent:v3' }] } } },
  });
  let uncovered = 0;
  const done = await eventually(async () => {
    const ready = (await pods()).filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (new Set(ready.map((p) => targetNodeOf(p))).size < 4) uncovered++;
    await startPods();
    return (await placement()) === 'n1:agent:v3,n2:agent:v3,n3:agent:v3,tainted:agent:v3' && rolledOut(await dsApi.get('agent', ns));
  }, 15000);
  t.ok(done, 'the surge rollout replaces every pod');
  t.equal(uncovered, 0, 'no node was without a ready pod');
});

// Garbage collection and namespace deletion against an in-process API
// server with the controllers running.
import t from 'tap';
import type { appsv1 } from '../../../src/api/types.js';
import type { ObjectLike } from '../../../src/client/index.js';
import { isNotFound } from '../../../src/machinery/index.js';
import { eventually, startControllerTest } from '../../helpers/controllers.js';

const { client } = await startControllerTest(t);

const ns = 'gc';
await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

function deployment(name: string, namespace = ns): appsv1.Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  };
}

async function counts(app: string, namespace = ns): Promise<{ rs: number; pods: number }> {
  const rs = (await client.replicaSets.list({ namespace, labelSelector: `app=${app}` })).items.length;
  const pods = (await client.pods.list({ namespace, labelSelector: `app=${app}` })).items.length;
  return { rs, pods };
}

async function gone(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

t.test('background deletion: the ReplicaSet and pods follow the Deployment', async (t) => {
  await client.deployments.create(deployment('bg'));
  t.ok(await eventually(async () => (await counts('bg')).pods === 2));
  await client.deployments.delete('bg', { namespace: ns, propagationPolicy: 'Background' });
  t.ok(await eventually(async () => JSON.stringify(await counts('bg')) === JSON.stringify({ rs: 0, pods: 0 })), 'dependents collected');
});

t.test('orphan deletion: the ReplicaSet stays, without its owner reference', async (t) => {
  await client.deployments.create(deployment('orph'));
  t.ok(await eventually(async () => (await counts('orph')).pods === 2));
  await client.deployments.delete('orph', { namespace: ns, propagationPolicy: 'Orphan' });
  t.ok(await eventually(() => gone(() => client.deployments.get('orph', ns))), 'the Deployment is gone');
  const rss = (await client.replicaSets.list({ namespace: ns, labelSelector: 'app=orph' })).items;
  t.equal(rss.length, 1);
  t.same(rss[0]?.metadata?.ownerReferences ?? [], [], 'orphaned');
  t.equal((await counts('orph')).pods, 2, 'pods kept');
});

t.test('foreground deletion: the Deployment waits for its dependents, then goes', async (t) => {
  await client.deployments.create(deployment('fg'));
  t.ok(await eventually(async () => (await counts('fg')).pods === 2));
  const marked = await client.deployments.delete('fg', { namespace: ns, propagationPolicy: 'Foreground' });
  t.match(marked, { metadata: { finalizers: ['foregroundDeletion'] } }, 'marked, not yet gone');
  t.ok(await eventually(() => gone(() => client.deployments.get('fg', ns))), 'gone in the end');
  t.same(await counts('fg'), { rs: 0, pods: 0 });
});

t.test('deleting a namespace deletes its contents, then the namespace', async (t) => {
  await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
  await client.configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'doomed' }, data: { a: 'b' } });
  await client.deployments.create(deployment('web', 'doomed'));
  t.ok(await eventually(async () => (await counts('web', 'doomed')).pods === 2));
  await client.namespaces.delete('doomed');
  t.ok(await eventually(() => gone(() => client.namespaces.get('doomed')), 20_000), 'the namespace is gone');
});

t.test('custom kinds: a custom owner takes its dependents along, a custom dependent follows its owner', async (t) => {
  const crds = client.resource<ObjectLike & { spec?: unknown }>({ group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false });
  await crds.create({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'gadgets.gc.example.com' },
    spec: {
      group: 'gc.example.com',
      scope: 'Namespaced',
      names: { kind: 'Gadget', plural: 'gadgets', singular: 'gadget', listKind: 'GadgetList' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
    },
  });
  const gadgets = client.resource({ group: 'gc.example.com', version: 'v1', resource: 'gadgets', namespaced: true });
  const owner = await gadgets.create({ apiVersion: 'gc.example.com/v1', kind: 'Gadget', metadata: { name: 'g1', namespace: ns } });
  const ref = { apiVersion: 'gc.example.com/v1', kind: 'Gadget', name: 'g1', uid: owner.metadata?.uid ?? '' };
  await client.configMaps.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owned-by-gadget', namespace: ns, ownerReferences: [ref] } });
  const dep = await client.deployments.create(deployment('gadget-owner'));
  const depRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gadget-owner', uid: dep.metadata?.uid ?? '' };
  await gadgets.create({ apiVersion: 'gc.example.com/v1', kind: 'Gadget', metadata: { name: 'g2', namespace: ns, ownerReferences: [depRef] } });

  await gadgets.delete('g1', { namespace: ns });
  t.ok(await eventually(() => gone(() => client.configMaps.get('owned-by-gadget', ns))), 'the ConfigMap followed its Gadget');
  await client.deployments.delete('gadget-owner', { namespace: ns });
  t.ok(await eventually(() => gone(() => gadgets.get('g2', ns))), 'the Gadget followed its Deployment');
  await crds.delete('gadgets.gc.example.com');
  t.ok(await eventually(() => gone(() => crds.get('gadgets.gc.example.com'))), 'the definition goes');
});

// The StatefulSet controller (with the garbage collector) against an
// in-process API server. No scheduler or kubelet runs: the test plays the
// node by marking pods Running and Ready, and unbound pods vanish at once
// when deleted.
import t from 'tap';
import type { appsv1, corev1 } from '../../../src/api/types.js';
import { controllerRevisionsRef } from '../../../src/controllers/daemonset-history.js';
import { persistentVolumeClaimsRef } from '../../../src/controllers/persistentvolume.js';
import { statefulSetsRef } from '../../../src/controllers/statefulset.js';
import { eventually, startControllerTest } from '../../helpers/controllers.js';

const { client } = await startControllerTest(t, { controllers: ['statefulset', 'garbagecollector'] });
const sets = client.resource<appsv1.StatefulSet>(statefulSetsRef);
const claims = client.resource<corev1.PersistentVolumeClaim>(persistentVolumeClaimsRef);

const ns = 'sts';
await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

async function pods(): Promise<corev1.Pod[]> {
  const items = (await client.pods.list({ namespace: ns, labelSelector: 'app=web' })).items;
  return items.filter((p) => !p.metadata?.deletionTimestamp).sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

async function names(): Promise<string> {
  return (await pods()).map((p) => `${p.metadata?.name ?? ''}:${p.spec?.containers[0]?.image ?? ''}`).join(',');
}

const isReady = (p: corev1.Pod): boolean => Boolean(p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));

async function markReady(name: string): Promise<void> {
  const pod = await client.pods.get(name, ns);
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  await client.pods.updateStatus({ ...pod, status: { phase: 'Running', podIP: '10.42.0.9', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } });
}

/** The node's part: every pod not Ready becomes Running and Ready. */
async function startPods(): Promise<void> {
  for (const pod of await pods()) if (!isReady(pod)) await markReady(pod.metadata?.name ?? '').catch(() => undefined);
}

/** `kubectl rollout status sts`'s test of a finished rollout (RollingUpdate with a partition). */
function rolledOut(set: appsv1.StatefulSet): boolean {
  const s = set.status;
  const replicas = set.spec?.replicas ?? 1;
  const partition = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  if (!s || !s.observedGeneration || (set.metadata?.generation ?? 0) > s.observedGeneration) return false;
  return (s.readyReplicas ?? 0) >= replicas && (s.updatedReplicas ?? 0) >= replicas - partition;
}

const image = (tag: string): string => `busybox:${tag}`;

t.test('OrderedReady creates web-0, web-1, web-2 in turn, each with its claim', async (t) => {
  await sets.create({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 3,
      serviceName: 'web',
      selector: { matchLabels: { app: 'web' } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: image('v1') }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  });
  for (let k = 0; k < 3; k++) {
    const want = Array.from({ length: k + 1 }, (_, i) => `web-${i}:${image('v1')}`).join(',');
    // A status counting k+1 pods comes from a sync that saw web-k not ready and made no more.
    t.ok(await eventually(async () => (await sets.get('web', ns)).status?.replicas === k + 1), `status counts ${k + 1} pods`);
    t.equal(await names(), want, `only web-0..web-${k} exist while web-${k} is not ready`);
    await markReady(`web-${k}`);
  }
  t.ok(await eventually(async () => rolledOut(await sets.get('web', ns))), 'rollout status sees the set ready');
  const pod = await client.pods.get('web-1', ns);
  t.match(pod.spec, { hostname: 'web-1', subdomain: 'web', volumes: [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }] });
  t.match(pod.metadata?.labels, { 'statefulset.kubernetes.io/pod-name': 'web-1', 'apps.kubernetes.io/pod-index': '1' });
  const made = (await claims.list({ namespace: ns })).items;
  t.same(made.map((c) => c.metadata?.name).sort(), ['www-web-0', 'www-web-1', 'www-web-2']);
  t.match(made[0]?.metadata?.ownerReferences, [{ kind: 'StatefulSet', name: 'web' }]);
  const set = await sets.get('web', ns);
  t.match(set.status, { replicas: 3, readyReplicas: 3, availableReplicas: 3, currentReplicas: 3, updatedReplicas: 3, observedGeneration: 1 });
  t.equal(set.status?.currentRevision, set.status?.updateRevision);
  t.equal(pod.metadata?.labels?.['controller-revision-hash'], set.status?.updateRevision);
});

t.test('a deleted pod comes back under the same name', async (t) => {
  const before = (await client.pods.get('web-1', ns)).metadata?.uid;
  await client.pods.delete('web-1', { namespace: ns });
  t.ok(await eventually(async () => (await pods()).some((p) => p.metadata?.name === 'web-1' && p.metadata?.uid !== before)), 'web-1 is made anew');
  await markReady('web-1');
});

t.test('a new template rolls from web-2 down to web-0, and stops at a partition', async (t) => {
  const patch = { spec: { updateStrategy: { rollingUpdate: { partition: 1 } }, template: { spec: { containers: [{ name: 'c', image: image('v2') }] } } } };
  await sets.patch('web', patch, { namespace: ns, type: 'strategic' });
  const seen: string[] = [];
  const partial = await eventually(async () => {
    const now = await names();
    if (seen.at(-1) !== now) seen.push(now);
    await startPods();
    return now === `web-0:${image('v1')},web-1:${image('v2')},web-2:${image('v2')}` && rolledOut(await sets.get('web', ns));
  }, 15_000);
  t.ok(partial, 'web-1 and web-2 updated, web-0 kept by the partition');
  t.notOk(seen.some((s) => s.includes(`web-1:${image('v2')}`) && s.includes(`web-2:${image('v1')}`)), 'web-2 went first');
  const held = await sets.get('web', ns);
  t.not(held.status?.currentRevision, held.status?.updateRevision, 'the current revision stays until every pod is updated');

  await sets.patch('web', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } }, { namespace: ns, type: 'merge' });
  t.ok(
    await eventually(async () => {
      await startPods();
      return (await names()) === [0, 1, 2].map((i) => `web-${i}:${image('v2')}`).join(',') && rolledOut(await sets.get('web', ns));
    }, 15_000),
    'web-0 follows once the partition is lowered',
  );
  const done = await sets.get('web', ns);
  t.equal(done.status?.currentRevision, done.status?.updateRevision);
  const revisions = (await client.resource<appsv1.ControllerRevision>(controllerRevisionsRef).list({ namespace: ns })).items;
  t.same(revisions.map((r) => r.revision).sort(), [1, 2], 'one ControllerRevision per template');
});

t.test('scaling to 1 removes web-2, then web-1; the claims stay (whenScaled Retain)', async (t) => {
  await sets.patch('web', { spec: { replicas: 1 } }, { namespace: ns, subresource: 'scale', type: 'merge' });
  const seen: string[] = [];
  t.ok(
    await eventually(async () => {
      const now = (await pods()).map((p) => p.metadata?.name).join(',');
      if (seen.at(-1) !== now) seen.push(now);
      return now === 'web-0' && (await sets.get('web', ns)).status?.replicas === 1;
    }),
  );
  t.notOk(seen.includes('web-0,web-2'), 'web-1 never went before web-2');
  t.equal((await claims.list({ namespace: ns })).items.length, 3);
});

t.test('deleting the set deletes its pods and, with whenDeleted Delete, its claims', async (t) => {
  await sets.delete('web', { namespace: ns });
  t.ok(await eventually(async () => (await client.pods.list({ namespace: ns })).items.length === 0), 'pods collected');
  t.ok(await eventually(async () => (await claims.list({ namespace: ns })).items.length === 0), 'claims collected');
});

t.test('Parallel makes every pod at once; with whenScaled Delete a scaled-down pod takes its claim along', async (t) => {
  await sets.create({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: ns },
    spec: {
      replicas: 3,
      serviceName: 'db',
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: { app: 'db' } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' },
      template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: image('v1') }] } },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  });
  const dbPods = async (): Promise<string> => (await client.pods.list({ namespace: ns, labelSelector: 'app=db' })).items.map((p) => p.metadata?.name).sort().join(',');
  const dbClaims = async (): Promise<string> => (await claims.list({ namespace: ns, labelSelector: 'app=db' })).items.map((c) => c.metadata?.name).sort().join(',');
  t.ok(await eventually(async () => (await dbPods()) === 'db-0,db-1,db-2'), 'all three pods without waiting for readiness');
  t.equal(await dbClaims(), 'data-db-0,data-db-1,data-db-2');
  t.notOk((await claims.get('data-db-0', ns)).metadata?.ownerReferences?.length, 'a claim in range has no owner');
  await sets.patch('db', { spec: { replicas: 1 } }, { namespace: ns, subresource: 'scale', type: 'merge' });
  t.ok(await eventually(async () => (await dbPods()) === 'db-0'), 'the condemned pods go although no pod is ready');
  t.ok(await eventually(async () => (await dbClaims()) === 'data-db-0'), 'their claims follow them');
});

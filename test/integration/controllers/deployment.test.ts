// The controllers against an in-process API server. No kubelet runs, so the
// test plays the node: it binds pods to a node and marks them Ready by
// writing their status through the client.
import t from 'tap';
import type { appsv1, corev1 } from '../../../src/api/types.js';
import { eventually, startControllerTest } from '../../helpers/controllers.js';

const { client } = await startControllerTest(t);

const ns = 'rollout';
await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

async function pods(): Promise<corev1.Pod[]> {
  return (await client.pods.list({ namespace: ns, labelSelector: 'app=web' })).items.filter((p) => !p.metadata?.deletionTimestamp);
}

/** The node's part: every pod not yet Ready becomes Running and Ready. Returns how many it started. */
async function startPods(): Promise<number> {
  let n = 0;
  for (const pod of await pods()) {
    if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const status: corev1.PodStatus = {
      phase: 'Running',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
        { type: 'Ready', status: 'True', lastTransitionTime: now },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
      ],
      podIP: '10.42.0.10',
      startTime: now,
    };
    await client.pods.updateStatus({ ...pod, status });
    n++;
  }
  return n;
}

async function deployment(): Promise<appsv1.Deployment> {
  return client.deployments.get('web', ns);
}

/** `kubectl rollout status`'s test of a finished rollout. */
function rolledOut(d: appsv1.Deployment): boolean {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  return (
    (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    progressing?.reason !== 'ProgressDeadlineExceeded' &&
    (s.updatedReplicas ?? 0) >= want &&
    (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0)
  );
}

t.test('a Deployment scales up, rolls out a new image within maxSurge/maxUnavailable, and reaches Available', async (t) => {
  await client.deployments.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'busybox:1' }] } },
    },
  });
  t.ok(await eventually(async () => (await pods()).length === 3, 10_000), 'three pods created');
  const first = await pods();
  t.ok(first.every((p) => p.metadata?.ownerReferences?.[0]?.kind === 'ReplicaSet' && p.metadata.ownerReferences[0].controller), 'owned by the ReplicaSet');
  t.ok(first.every((p) => /^web-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(p.metadata?.name ?? '')), 'named <rs>-<5 random>');
  await startPods();
  t.ok(await eventually(async () => rolledOut(await deployment()), 10_000), 'first rollout finishes');
  let d = await deployment();
  t.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
  t.match(d.status, { replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
  t.match(d.status?.conditions?.find((c) => c.type === 'Available'), { status: 'True', reason: 'MinimumReplicasAvailable' });
  t.match(d.status?.conditions?.find((c) => c.type === 'Progressing'), { status: 'True', reason: 'NewReplicaSetAvailable' });

  // Roll out a new image; play the node step by step, checking the bounds.
  await client.deployments.patch('web', { spec: { template: { spec: { containers: [{ name: 'web', image: 'busybox:2' }] } } } }, { namespace: ns, type: 'strategic' });
  let maxSeen = 0;
  let minReady = 3;
  for (let step = 0; step < 40; step++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await pods();
    maxSeen = Math.max(maxSeen, now.length);
    const ready = now.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
    minReady = Math.min(minReady, ready);
    d = await deployment();
    if (rolledOut(d) && now.length === 3 && now.every((p) => p.spec?.containers[0]?.image === 'busybox:2')) break;
    await startPods();
  }
  t.ok(rolledOut(d), 'second rollout finishes');
  t.ok(maxSeen <= 4, `never more than replicas + maxSurge pods (saw ${maxSeen})`);
  t.equal(minReady, 3, 'never fewer than replicas - maxUnavailable ready pods');
  t.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
  t.match(d.status, { observedGeneration: d.metadata?.generation, replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
  const rss = (await client.replicaSets.list({ namespace: ns })).items;
  t.equal(rss.length, 2, 'the old ReplicaSet is kept as history');
  const old = rss.find((rs) => rs.metadata?.annotations?.['deployment.kubernetes.io/revision'] === '1');
  t.equal(old?.spec?.replicas, 0, 'scaled to zero');

  // Undo (what `kubectl rollout undo` does: put the previous template back): the old ReplicaSet returns as revision 3.
  const previous = old!.spec!.template!;
  const labels = { ...previous.metadata?.labels };
  delete labels['pod-template-hash'];
  await client.deployments.patch('web', { spec: { template: { ...previous, metadata: { ...previous.metadata, labels } } } }, { namespace: ns });
  for (let step = 0; step < 40; step++) {
    await new Promise((r) => setTimeout(r, 100));
    d = await deployment();
    const now = await pods();
    if (rolledOut(d) && now.length === 3 && now.every((p) => p.spec?.containers[0]?.image === 'busybox:1')) break;
    await startPods();
  }
  t.ok(rolledOut(d), 'undo finishes');
  t.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
  const reused = await client.replicaSets.get(old!.metadata!.name!, ns);
  t.equal(reused.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3', 'the old ReplicaSet is reused with the next revision');
  t.equal(reused.spec?.replicas, 3);
  t.equal((await client.replicaSets.list({ namespace: ns })).items.length, 2, 'no third ReplicaSet');

  // Scale.
  await client.deployments.patch('web', { spec: { replicas: 5 } }, { namespace: ns });
  t.ok(await eventually(async () => (await pods()).length === 5, 10_000), 'scaled to five');
  await startPods();
  t.ok(await eventually(async () => rolledOut(await deployment()) && (await deployment()).status?.availableReplicas === 5, 10_000), 'five available');
  const events = (await client.events.list({ namespace: ns })).items;
  t.ok(events.some((e) => e.reason === 'ScalingReplicaSet' && e.source?.component === 'deployment-controller'), 'ScalingReplicaSet events recorded');
  t.ok(events.some((e) => e.reason === 'SuccessfulCreate' && e.source?.component === 'replicaset-controller'), 'SuccessfulCreate events recorded');
});

t.test('a deleted pod is replaced', async (t) => {
  const before = await pods();
  const victim = before[0]!;
  await client.pods.delete(victim.metadata!.name!, { namespace: ns, gracePeriodSeconds: 0 });
  t.ok(
    await eventually(async () => {
      const now = await pods();
      return now.length === before.length && !now.some((p) => p.metadata?.name === victim.metadata?.name);
    }, 10_000),
    'back to full size',
  );
});

t.test('every namespace gets a default ServiceAccount', async (t) => {
  await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sa-test' } });
  t.ok(await eventually(async () => (await client.serviceAccounts.list({ namespace: 'sa-test' })).items.some((s) => s.metadata?.name === 'default'), 10_000));
});

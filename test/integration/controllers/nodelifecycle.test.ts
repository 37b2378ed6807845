// Node lifecycle, taint-based eviction and pod GC against an in-process API
// server with those controllers running (short grace periods). The nodes
// are API objects with no kubelet: the test renews their Leases and posts
// their status, or stops doing so.
import t from 'tap';
import type { corev1 } from '../../../src/api/types.js';
import { isNotFound } from '../../../src/machinery/index.js';
import { eventually, startControllerTest } from '../../helpers/controllers.js';

const { client } = await startControllerTest(t, {
  controllers: ['nodelifecycle', 'taint-eviction-controller', 'podgc', 'serviceaccount'],
  tunables: { nodeLifecycle: { gracePeriodMs: 2_500, monitorPeriodMs: 100 }, podGC: { periodMs: 100, quarantineMs: 300, terminatedPodThreshold: 2 } },
});

const ns = 'default';

function stamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Registers a node the way a kubelet does: the Node, its Ready status and its Lease. */
async function registerNode(name: string): Promise<void> {
  const node = await client.nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
  await postStatus(node);
  await client.leases.create({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: 'kube-node-lease' },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date().toISOString() },
  });
}

async function postStatus(node: corev1.Node): Promise<void> {
  const now = stamp();
  const condition = (type: string, status: string, reason: string): corev1.NodeCondition => ({ type, status, reason, message: reason, lastHeartbeatTime: now, lastTransitionTime: now });
  await client.nodes.updateStatus({
    ...node,
    status: {
      conditions: [
        condition('Ready', 'True', 'KubeletReady'),
        condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory'),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID'),
      ],
    },
  });
}

async function boundPod(name: string, nodeName: string, tolerations: corev1.Toleration[] = []): Promise<void> {
  await client.pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { nodeName, tolerations, containers: [{ name: 'c', image: 'busybox' }] } });
}

const unreachableFor = (seconds?: number): corev1.Toleration => ({ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', ...(seconds === undefined ? {} : { tolerationSeconds: seconds }) });

t.test('a node that stops renewing goes Unknown, is tainted unreachable, and its pods go after their tolerationSeconds', async (t) => {
  await registerNode('silent');
  await boundPod('short', 'silent', [unreachableFor(1)]);
  await boundPod('forever', 'silent', [unreachableFor()]);
  const unknown = await eventually(async () => {
    const node = await client.nodes.get('silent');
    return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'Unknown';
  });
  t.ok(unknown, 'Ready went Unknown');
  const node = await client.nodes.get('silent');
  t.match(node.status?.conditions?.find((c) => c.type === 'Ready'), { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
  t.ok(await eventually(async () => ((await client.nodes.get('silent')).spec?.taints ?? []).length === 2), 'tainted');
  t.match((await client.nodes.get('silent')).spec?.taints, [
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: String },
  ]);
  t.ok(await eventually(async () => Boolean((await client.pods.get('short', ns)).metadata?.deletionTimestamp)), 'the pod tolerating 1 s was evicted');
  const evicted = await client.pods.get('short', ns);
  t.match(evicted.status?.conditions?.find((c) => c.type === 'DisruptionTarget'), { status: 'True', reason: 'DeletionByTaintManager' });
  const kept = await client.pods.get('forever', ns);
  t.notOk(kept.metadata?.deletionTimestamp, 'the pod tolerating for good stays');
  t.ok(await eventually(async () => (await client.events.list({ namespace: ns })).items.some((e) => e.reason === 'TaintManagerEviction' && e.involvedObject.name === 'short')), 'eviction event');
});

t.test('a node that posts status again loses the taints', async (t) => {
  await registerNode('flaky');
  t.ok(await eventually(async () => ((await client.nodes.get('flaky')).spec?.taints ?? []).some((x) => x.key === 'node.kubernetes.io/unreachable')));
  const lease = await client.leases.get('flaky', 'kube-node-lease');
  await client.leases.update({ ...lease, spec: { ...lease.spec, renewTime: new Date().toISOString() } });
  await postStatus(await client.nodes.get('flaky'));
  const recovered = await eventually(async () => {
    const node = await client.nodes.get('flaky');
    return (node.spec?.taints ?? []).length === 0 && node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  });
  t.ok(recovered, 'Ready again and the taints removed');
});

t.test('pod GC: pods of a deleted node go after the quarantine; terminated pods over the threshold go oldest first', async (t) => {
  await registerNode('doomed');
  await boundPod('orphan', 'doomed', [unreachableFor()]);
  await client.nodes.delete('doomed');
  t.ok(
    await eventually(async () => {
      try {
        await client.pods.get('orphan', ns);
        return false;
      } catch (err) {
        if (isNotFound(err)) return true;
        throw err;
      }
    }),
    'the orphaned pod is gone',
  );

  await registerNode('worker');
  for (const name of ['done-1', 'done-2', 'done-3']) {
    await boundPod(name, 'worker', [unreachableFor()]);
    const pod = await client.pods.get(name, ns);
    await client.pods.updateStatus({ ...pod, status: { ...pod.status, phase: 'Succeeded' } });
    await new Promise((r) => setTimeout(r, 1_100)); // distinct creationTimestamps (second precision)
  }
  t.ok(await eventually(async () => (await client.pods.list({ namespace: ns })).items.filter((p) => p.metadata?.name?.startsWith('done-')).length === 2), 'down to the threshold');
  const left = (await client.pods.list({ namespace: ns })).items.map((p) => p.metadata?.name).filter((n) => n?.startsWith('done-'));
  t.same(left.sort(), ['done-2', 'done-3'], 'the oldest went');
});

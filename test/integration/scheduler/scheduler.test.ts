import t from 'tap';
import type { schedulingv1, corev1 } from '../../../src/api/types.js';
import { Client } from '../../../src/client/index.js';
import { silentLogger } from '../../../src/log/logger.js';
import { startScheduler } from '../../../src/scheduler/index.js';
import { startTestApiServer } from '../../helpers/apiserver.js';

const api = await startTestApiServer();
t.teardown(() => api.close());
const client = new Client(api.inProcess());
t.teardown(() => client.close());

const controlPlaneTaint = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

function node(name: string, cpu: string, memory: string, extra: { labels?: Record<string, string>; taints?: corev1.Taint[] } = {}): corev1.Node {
  const resources = { cpu, memory, pods: '110', 'ephemeral-storage': '20Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...extra.labels } },
    spec: { taints: extra.taints },
    status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function pod(ns: string, name: string, requests: Record<string, string>, spec: Partial<corev1.PodSpec> = {}): corev1.Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests } }], ...spec },
  };
}

async function nodeOf(ns: string, name: string): Promise<string | undefined> {
  return (await client.pods.get(name, ns)).spec?.nodeName;
}

async function waitBound(ns: string, name: string): Promise<string> {
  let found: string | undefined;
  for (let i = 0; i < 100 && !found; i++) {
    found = await nodeOf(ns, name);
    if (!found) await new Promise((r) => setTimeout(r, 50));
  }
  return found ?? '';
}

// Three nodes without kubelets: a tainted control plane, a small worker and a big worker with a disk label.
await client.nodes.create(node('cp', '4', '8Gi', { taints: [controlPlaneTaint], labels: { 'node-role.kubernetes.io/control-plane': 'true' } }));
await client.nodes.create(node('small', '1', '2Gi', { labels: { disk: 'hdd' } }));
await client.nodes.create(node('big', '4', '8Gi', { labels: { disk: 'ssd' } }));
await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sched' } });

const controller = new AbortController();
const scheduler = startScheduler(
  { client, logger: silentLogger, queue: { initialBackoffMs: 100, maxBackoffMs: 200, flushIntervalMs: 50 } },
  controller.signal,
);
t.teardown(async () => {
  controller.abort();
  await scheduler.stopped;
});
await scheduler.ready;

t.test('pods go to the nodes their selectors, tolerations and requests allow', async (t) => {
  await client.pods.create(pod('sched', 'wants-ssd', { cpu: '100m' }, { nodeSelector: { disk: 'ssd' } }));
  await client.pods.create(pod('sched', 'wants-hdd', { cpu: '100m' }, { nodeSelector: { disk: 'hdd' } }));
  await client.pods.create(
    pod('sched', 'control-plane-only', { cpu: '100m' }, {
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      nodeSelector: { 'node-role.kubernetes.io/control-plane': 'true' },
    }),
  );
  await client.pods.create(pod('sched', 'other-scheduler', {}, { schedulerName: 'someone-else' }));
  t.equal(await waitBound('sched', 'wants-ssd'), 'big');
  t.equal(await waitBound('sched', 'wants-hdd'), 'small');
  t.equal(await waitBound('sched', 'control-plane-only'), 'cp');
  const bound = await client.pods.get('wants-ssd', 'sched');
  t.equal(bound.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
  let events: corev1.Event[] = [];
  for (let i = 0; i < 50; i++) {
    events = (await client.events.list({ namespace: 'sched' })).items.filter((e) => e.involvedObject.name === 'wants-ssd');
    if (events.length > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  t.match(events[0], { type: 'Normal', reason: 'Scheduled', action: 'Binding', message: 'Successfully assigned sched/wants-ssd to big', source: { component: 'default-scheduler' } });
  t.equal(await nodeOf('sched', 'other-scheduler'), undefined, 'a pod for another scheduler is left alone');
  for (const name of ['wants-ssd', 'wants-hdd', 'control-plane-only', 'other-scheduler']) await client.pods.delete(name, { namespace: 'sched', gracePeriodSeconds: 0 });
});

t.test('an impossible pod is Unschedulable with upstream message, then placed once a node fits', async (t) => {
  await client.pods.create(pod('sched', 'huge', { cpu: '3' }, { nodeSelector: { disk: 'hdd' } }));
  await client.pods.create(pod('sched', 'hungry', { cpu: '2' }));
  // Not "nodeSelector" above: hungry fits big only, huge fits nothing.
  t.equal(await waitBound('sched', 'hungry'), 'big');
  let cond: corev1.PodCondition | undefined;
  for (let i = 0; i < 100 && !cond; i++) {
    cond = (await client.pods.get('huge', 'sched')).status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (!cond) await new Promise((r) => setTimeout(r, 50));
  }
  const message =
    "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, " +
    '1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. ' +
    'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.';
  t.match(cond, { status: 'False', reason: 'Unschedulable', message });
  const events = (await client.events.list({ namespace: 'sched' })).items.filter((e) => e.involvedObject.name === 'huge');
  t.match(events[0], { type: 'Warning', reason: 'FailedScheduling', action: 'Scheduling', message, source: { component: 'default-scheduler' } });

  await client.nodes.create(node('small-2', '4', '8Gi', { labels: { disk: 'hdd' } }));
  t.equal(await waitBound('sched', 'huge'), 'small-2', 'a new node that fits wakes the pod');
  for (const name of ['huge', 'hungry']) await client.pods.delete(name, { namespace: 'sched', gracePeriodSeconds: 0 });
  await client.nodes.delete('small-2');
});

t.test('consecutive pods spread over the workers by least allocation', async (t) => {
  const names = Array.from({ length: 6 }, (_, i) => `spread-${i}`);
  for (const n of names) await client.pods.create(pod('sched', n, { cpu: '100m', memory: '128Mi' }));
  const placed = await Promise.all(names.map((n) => waitBound('sched', n)));
  const counts: Record<string, number> = {};
  for (const n of placed) counts[n] = (counts[n] ?? 0) + 1;
  t.notOk(counts['cp'], 'nothing on the tainted node');
  t.ok((counts['big'] ?? 0) > (counts['small'] ?? 0), `the bigger node takes more (${JSON.stringify(counts)})`);
  t.ok((counts['small'] ?? 0) >= 1, `the smaller node takes some (${JSON.stringify(counts)})`);
  for (const n of names) await client.pods.delete(n, { namespace: 'sched', gracePeriodSeconds: 0 });
});

t.test('a high-priority pod preempts a lower-priority one and takes its place', async (t) => {
  await client.nodes.patch('big', { spec: { taints: [{ key: 'maintenance', effect: 'NoSchedule' }] } });
  t.teardown(() => client.nodes.patch('big', { spec: { taints: null } }));
  const classes = client.resource<schedulingv1.PriorityClass>({ group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', namespaced: false });
  await classes.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low' }, value: 1 });
  await classes.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'vip' }, value: 1000 });
  await client.pods.create(pod('sched', 'filler', { cpu: '800m' }, { priorityClassName: 'low' }));
  t.equal(await waitBound('sched', 'filler'), 'small');
  await client.pods.create(pod('sched', 'vip', { cpu: '800m' }, { priorityClassName: 'vip' }));
  let terminating = false;
  for (let i = 0; i < 100 && !terminating; i++) {
    terminating = (await client.pods.get('filler', 'sched')).metadata?.deletionTimestamp !== undefined;
    if (!terminating) await new Promise((r) => setTimeout(r, 50));
  }
  t.ok(terminating, 'the victim is being deleted');
  t.equal((await client.pods.get('vip', 'sched')).status?.nominatedNodeName, 'small', 'the preemptor is nominated');
  // No kubelet here: finish the graceful deletion as it would.
  await client.pods.delete('filler', { namespace: 'sched', gracePeriodSeconds: 0 });
  t.equal(await waitBound('sched', 'vip'), 'small', 'placed once the victim is gone');
  const events = (await client.events.list({ namespace: 'sched' })).items;
  t.ok(events.some((e) => e.involvedObject.name === 'filler' && e.reason === 'Preempted'));
  await client.pods.delete('vip', { namespace: 'sched', gracePeriodSeconds: 0 });
});

t.test('repeated failures bump one FailedScheduling event', async (t) => {
  await client.pods.create(pod('sched', 'never', { cpu: '64' }));
  let events: corev1.Event[] = [];
  for (let i = 0; i < 100; i++) {
    events = (await client.events.list({ namespace: 'sched' })).items.filter((e) => e.involvedObject.name === 'never');
    if ((events[0]?.count ?? 0) >= 2) break;
    await client.nodes.patch('small', { metadata: { labels: { poke: String(i) } } });
    await new Promise((r) => setTimeout(r, 100));
  }
  t.equal(events.length, 1);
  t.ok((events[0]?.count ?? 0) >= 2, `count ${events[0]?.count}`);
  await client.pods.delete('never', { namespace: 'sched', gracePeriodSeconds: 0 });
});

t.test('a WaitForFirstConsumer claim is provisioned on the chosen node before the pod binds', async (t) => {
  const claims = client.resource<corev1.PersistentVolumeClaim>({ group: '', version: 'v1', resource: 'persistentvolumeclaims', namespaced: true });
  const volumes = client.resource<corev1.PersistentVolume>({ group: '', version: 'v1', resource: 'persistentvolumes', namespaced: false });
  // The cluster's default class `local-path` (WaitForFirstConsumer) exists from the start.
  await claims.create({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'sched' },
    spec: { storageClassName: 'local-path', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
  });
  await client.pods.create(pod('sched', 'stateful', { cpu: '100m' }, { nodeSelector: { disk: 'hdd' }, volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] }));

  // Play the provisioner: wait for the scheduler's choice, make a volume there, bind the claim.
  let selected: string | undefined;
  for (let i = 0; i < 100 && !selected; i++) {
    selected = (await claims.get('data', 'sched')).metadata?.annotations?.['volume.kubernetes.io/selected-node'];
    if (!selected) await new Promise((r) => setTimeout(r, 50));
  }
  t.equal(selected, 'small', 'the claim is annotated with the chosen node');
  t.equal(await nodeOf('sched', 'stateful'), undefined, 'the pod waits for its volume');
  await volumes.create({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'pv-data' },
    spec: {
      storageClassName: 'local-path',
      capacity: { storage: '1Gi' },
      accessModes: ['ReadWriteOnce'],
      hostPath: { path: '/var/lib/tsk8s/storage/pv-data' },
      claimRef: { namespace: 'sched', name: 'data' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['small'] }] }] } },
    },
  });
  const c = await claims.get('data', 'sched');
  await claims.update({ ...c, spec: { ...c.spec, volumeName: 'pv-data' } });
  const c2 = await claims.get('data', 'sched');
  await claims.updateStatus({ ...c2, status: { phase: 'Bound' } });
  t.equal(await waitBound('sched', 'stateful'), 'small');
  await client.pods.delete('stateful', { namespace: 'sched', gracePeriodSeconds: 0 });
});

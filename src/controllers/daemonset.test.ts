import t from 'tap';
import type { appsv1, corev1 } from '../api/types.js';
import { DaemonSetController, daemonPod } from './daemonset.js';
import { templateHash } from './daemonset-history.js';
import { FakeLister, FakeRecorder, makePod, recordingClient } from './testing.fixture.js';

function makeDaemonSet(name: string, opts: { tolerations?: corev1.Toleration[]; nodeSelector?: Record<string, string>; image?: string; strategy?: appsv1.DaemonSetUpdateStrategy } = {}): appsv1.DaemonSet {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace: 'default', uid: `ds-${name}`, generation: 1, resourceVersion: '1' },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: opts.image ?? 'busybox' }], ...(opts.tolerations ? { tolerations: opts.tolerations } : {}), ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector } : {}) } },
      ...(opts.strategy ? { updateStrategy: opts.strategy } : {}),
    },
  };
}

function makeNode(name: string, opts: { labels?: Record<string, string>; taints?: corev1.Taint[] } = {}): corev1.Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } }, spec: opts.taints ? { taints: opts.taints } : {} };
}

/** A pod the DaemonSet made for `node`, as stored. */
function dsPod(ds: appsv1.DaemonSet, node: string, name: string, opts: { ready?: boolean; hash?: string } = {}): corev1.Pod {
  const want = daemonPod(ds, node, opts.hash ?? templateHash(ds.spec?.template));
  const base = makePod(name, { labels: want.metadata?.labels, ready: opts.ready });
  return { ...base, metadata: { ...base.metadata, ownerReferences: want.metadata?.ownerReferences }, spec: want.spec };
}

function setup(dss: appsv1.DaemonSet[], nodes: corev1.Node[], pods: corev1.Pod[] = []) {
  const { client, transport } = recordingClient();
  const recorder = new FakeRecorder();
  const controller = new DaemonSetController({ client, daemonSets: new FakeLister(dss), pods: new FakeLister(pods), nodes: new FakeLister(nodes), revisions: new FakeLister(), recorder });
  return { controller, transport, recorder };
}

const noSchedule: corev1.Taint = { key: 'dedicated', value: 'db', effect: 'NoSchedule' };

t.test('one pod per eligible node, pinned by node affinity, with revision labels and default tolerations', async (t) => {
  const ds = makeDaemonSet('agent', { nodeSelector: { role: 'worker' } });
  const nodes = [makeNode('n1', { labels: { role: 'worker' } }), makeNode('n2', { labels: { role: 'worker' }, taints: [noSchedule] }), makeNode('n3'), makeNode('n4', { labels: { role: 'worker' }, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] })];
  const { controller, transport, recorder } = setup([ds], nodes);
  await controller.sync('default/agent');
  t.same(transport.summary(), ['create controllerrevisions', 'create pods', 'create pods', 'update daemonsets/agent/status']);
  const pods = transport.bodies<corev1.Pod>('create', 'pods');
  const pinned = pods.map((p) => p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0]).sort();
  t.same(pinned, ['n1', 'n4'], 'the tainted and unlabelled nodes are skipped; unschedulable is tolerated by default');
  const hash = templateHash(ds.spec?.template);
  t.same(pods[0]?.metadata?.labels, { app: 'agent', 'controller-revision-hash': hash, 'pod-template-generation': '1' });
  t.equal(pods[0]?.metadata?.generateName, 'agent-');
  t.match(pods[0]?.metadata?.ownerReferences, [{ kind: 'DaemonSet', name: 'agent', uid: 'ds-agent', controller: true }]);
  t.same(pods[0]?.spec?.tolerations?.map((x) => `${x.key}:${x.effect}`), ['not-ready:NoExecute', 'unreachable:NoExecute', 'disk-pressure:NoSchedule', 'memory-pressure:NoSchedule', 'pid-pressure:NoSchedule', 'unschedulable:NoSchedule'].map((x) => `node.kubernetes.io/${x}`));
  const [rev] = transport.bodies<appsv1.ControllerRevision>('create', 'controllerrevisions');
  t.equal(rev?.metadata?.name, `agent-${hash}`);
  t.equal(rev?.revision, 1);
  const [status] = transport.bodies<appsv1.DaemonSet>('update', 'daemonsets/agent/status');
  t.match(status?.status, { desiredNumberScheduled: 2, currentNumberScheduled: 0, numberMisscheduled: 0, numberUnavailable: 2, observedGeneration: 1 });
  t.equal(recorder.events.filter((e) => e.startsWith('Normal SuccessfulCreate')).length, 2);
});

t.test('a tolerated taint lets the pod run there', async (t) => {
  const ds = makeDaemonSet('agent', { tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] });
  const { controller, transport } = setup([ds], [makeNode('n1', { taints: [noSchedule] })]);
  await controller.sync('default/agent');
  t.equal(transport.bodies('create', 'pods').length, 1);
});

t.test('pods on nodes that no longer qualify and extra pods are deleted; status counts them', async (t) => {
  const ds = makeDaemonSet('agent', { nodeSelector: { role: 'worker' } });
  const nodes = [makeNode('n1', { labels: { role: 'worker' } }), makeNode('n2')];
  const pods = [dsPod(ds, 'n1', 'a', { ready: true }), { ...dsPod(ds, 'n1', 'b', { ready: true }), metadata: { ...dsPod(ds, 'n1', 'b').metadata, creationTimestamp: '2026-02-01T00:00:00Z' } }, dsPod(ds, 'n2', 'c', { ready: true })];
  const { controller, transport } = setup([ds], nodes, pods);
  await controller.sync('default/agent');
  t.same(transport.summary().filter((a) => a.startsWith('delete')).sort(), ['delete pods/b', 'delete pods/c']);
  const [status] = transport.bodies<appsv1.DaemonSet>('update', 'daemonsets/agent/status');
  t.match(status?.status, { desiredNumberScheduled: 1, currentNumberScheduled: 1, numberMisscheduled: 1, numberReady: 1, numberAvailable: 1, updatedNumberScheduled: 1 });
});

t.test('a rolling update deletes old pods within maxUnavailable; OnDelete deletes none', async (t) => {
  const old = makeDaemonSet('agent', { image: 'v1' });
  const ds = { ...makeDaemonSet('agent', { image: 'v2' }), metadata: { ...old.metadata, generation: 2 } };
  const nodes = [makeNode('n1'), makeNode('n2'), makeNode('n3')];
  const pods = ['n1', 'n2', 'n3'].map((n) => dsPod(old, n, `p-${n}`, { ready: true }));
  const rolling = setup([ds], nodes, pods);
  await rolling.controller.sync('default/agent');
  t.equal(rolling.transport.summary().filter((a) => a.startsWith('delete pods')).length, 1, 'maxUnavailable defaults to 1');
  const [status] = rolling.transport.bodies<appsv1.DaemonSet>('update', 'daemonsets/agent/status');
  t.match(status?.status, { updatedNumberScheduled: 0, observedGeneration: 2 });
  const onDelete = setup([{ ...ds, spec: { ...ds.spec!, updateStrategy: { type: 'OnDelete' } } }], nodes, pods);
  await onDelete.controller.sync('default/agent');
  t.same(onDelete.transport.summary().filter((a) => a.startsWith('delete pods')), []);
  const percent = setup([{ ...ds, spec: { ...ds.spec!, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '100%' } } } }], nodes, pods);
  await percent.controller.sync('default/agent');
  t.equal(percent.transport.summary().filter((a) => a.startsWith('delete pods')).length, 3);
});

t.test('expectations stop a second sync from creating again', async (t) => {
  const { controller, transport } = setup([makeDaemonSet('agent')], [makeNode('n1')]);
  await controller.sync('default/agent');
  await controller.sync('default/agent');
  t.equal(transport.bodies('create', 'pods').length, 1);
  controller.queue.shutDown();
});

t.test('maxSurge starts a new pod beside an old one and deletes the old one once the new is available', async (t) => {
  const old = makeDaemonSet('agent', { image: 'v1' });
  const strategy: appsv1.DaemonSetUpdateStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
  const ds = { ...makeDaemonSet('agent', { image: 'v2', strategy }), metadata: { ...old.metadata, generation: 2 } };
  const nodes = [makeNode('n1'), makeNode('n2')];
  const oldPods = ['n1', 'n2'].map((n) => dsPod(old, n, `old-${n}`, { ready: true }));
  const start = setup([ds], nodes, oldPods);
  await start.controller.sync('default/agent');
  t.same(start.transport.summary().filter((a) => !a.includes('status') && !a.includes('revisions')), ['create pods'], 'one surge pod, no deletion');
  const fresh = { ...dsPod(ds, 'n1', 'new-n1', { ready: true }), metadata: { ...dsPod(ds, 'n1', 'new-n1').metadata, creationTimestamp: '2026-03-01T00:00:00Z' } };
  const next = setup([ds], nodes, [...oldPods, fresh]);
  await next.controller.sync('default/agent');
  t.same(next.transport.summary().filter((a) => !a.includes('status') && !a.includes('revisions')).sort(), ['create pods', 'delete pods/old-n1']);
  const [status] = next.transport.bodies<appsv1.DaemonSet>('update', 'daemonsets/agent/status');
  t.match(status?.status, { desiredNumberScheduled: 2, currentNumberScheduled: 2, updatedNumberScheduled: 1, numberAvailable: 2 });
});

import t from 'tap';
import type { appsv1, corev1 } from '../api/types.js';
import { templateHash } from './daemonset-history.js';
import { claimOwners } from './statefulset-claims.js';
import { StatefulSetController } from './statefulset.js';
import { statefulPod } from './statefulset-pods.js';
import { FakeLister, FakeRecorder, makePod, recordingClient } from './testing.fixture.js';

type StatefulSet = appsv1.StatefulSet;
type Revision = appsv1.ControllerRevision;

interface SetOpts {
  replicas?: number;
  image?: string;
  parallel?: boolean;
  strategy?: appsv1.StatefulSetUpdateStrategy;
  claims?: string[];
  retention?: appsv1.StatefulSetPersistentVolumeClaimRetentionPolicy;
  currentRevision?: string;
  generation?: number;
}

function makeSet(opts: SetOpts = {}): StatefulSet {
  const labels = { app: 'web' };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default', uid: 'sts-web', generation: opts.generation ?? 1, resourceVersion: '1' },
    spec: {
      replicas: opts.replicas ?? 3,
      serviceName: 'nginx',
      selector: { matchLabels: labels },
      podManagementPolicy: opts.parallel ? 'Parallel' : 'OrderedReady',
      updateStrategy: opts.strategy ?? { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: opts.retention ?? { whenDeleted: 'Retain', whenScaled: 'Retain' },
      template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: opts.image ?? 'busybox:v1' }] } },
      ...(opts.claims ? { volumeClaimTemplates: opts.claims.map((name) => ({ metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } })) } : {}),
    },
    ...(opts.currentRevision ? { status: { replicas: 3, currentRevision: opts.currentRevision, updateRevision: opts.currentRevision } } : {}),
  };
}

/** The revision the controller records for `set`'s template. */
function revisionOf(set: StatefulSet, revision = 1): Revision {
  const hash = templateHash(set.spec?.template);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name: `web-${hash}`, namespace: 'default', uid: `rev-${hash}`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'sts-web', controller: true }] },
    data: { spec: { template: { ...set.spec?.template, $patch: 'replace' } } },
    revision,
  };
}

/** Pod `web-<ordinal>` as the controller made it from `set` at revision `rev`. */
function setPod(set: StatefulSet, ordinal: number, opts: { ready?: boolean; deleting?: boolean; phase?: string; rev?: Revision } = {}): corev1.Pod {
  const rev = opts.rev ?? revisionOf(set);
  const want = statefulPod(set, set.spec?.template ?? {}, rev.metadata?.name ?? '', ordinal);
  const base = makePod(want.metadata?.name ?? '', { ready: opts.ready, deleting: opts.deleting, phase: opts.phase });
  return { ...base, metadata: { ...base.metadata, labels: want.metadata?.labels, ownerReferences: want.metadata?.ownerReferences }, spec: want.spec };
}

function setup(set: StatefulSet, pods: corev1.Pod[] = [], revisions: Revision[] = [], claims: corev1.PersistentVolumeClaim[] = []) {
  const { client, transport } = recordingClient();
  const recorder = new FakeRecorder();
  const controller = new StatefulSetController({ client, statefulSets: new FakeLister([set]), pods: new FakeLister(pods), revisions: new FakeLister(revisions), claims: new FakeLister(claims), recorder });
  return { controller, transport, recorder };
}

/** Pod and claim writes only. */
function podActions(transport: ReturnType<typeof recordingClient>['transport']): string[] {
  return transport.summary().filter((a) => a.includes('pods') || a.includes('persistentvolumeclaims'));
}

function lastStatus(transport: ReturnType<typeof recordingClient>['transport']): appsv1.StatefulSetStatus | undefined {
  return transport.bodies<StatefulSet>('update', 'statefulsets/web/status').pop()?.status;
}

t.test('OrderedReady creates web-0 first, with its identity, and waits for it to be Running and Ready', async (t) => {
  const set = makeSet();
  const first = setup(set);
  await first.controller.sync('default/web');
  t.same(first.transport.summary(), ['create controllerrevisions', 'create pods', 'update statefulsets/web/status']);
  const [pod] = first.transport.bodies<corev1.Pod>('create', 'pods');
  const hash = templateHash(set.spec?.template);
  t.equal(pod?.metadata?.name, 'web-0');
  t.same(pod?.metadata?.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0', 'controller-revision-hash': `web-${hash}` });
  t.match(pod?.spec, { hostname: 'web-0', subdomain: 'nginx' });
  t.match(pod?.metadata?.ownerReferences, [{ kind: 'StatefulSet', name: 'web', uid: 'sts-web', controller: true }]);
  t.same(first.recorder.events, ['Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful']);
  t.match(lastStatus(first.transport), { replicas: 0, readyReplicas: 0, currentRevision: `web-${hash}`, updateRevision: `web-${hash}`, observedGeneration: 1, collisionCount: 0 });

  const waiting = setup(set, [setPod(set, 0, { ready: false })], [revisionOf(set)]);
  await waiting.controller.sync('default/web');
  t.same(podActions(waiting.transport), [], 'web-1 waits for web-0');

  const next = setup(set, [setPod(set, 0, { ready: true })], [revisionOf(set)]);
  await next.controller.sync('default/web');
  t.same(podActions(next.transport), ['create pods']);
  t.equal(next.transport.bodies<corev1.Pod>('create', 'pods')[0]?.metadata?.name, 'web-1');
  t.match(lastStatus(next.transport), { replicas: 1, readyReplicas: 1, availableReplicas: 1, currentReplicas: 1, updatedReplicas: 1 });
});

t.test('Parallel creates every missing pod at once', async (t) => {
  const set = makeSet({ parallel: true });
  const { controller, transport } = setup(set, [setPod(set, 1, { ready: false })]);
  await controller.sync('default/web');
  t.same(transport.bodies<corev1.Pod>('create', 'pods').map((p) => p.metadata?.name), ['web-0', 'web-2']);
});

t.test('a failed pod is deleted to be made anew under the same name', async (t) => {
  const set = makeSet({ replicas: 1 });
  const { controller, transport, recorder } = setup(set, [setPod(set, 0, { phase: 'Failed' })], [revisionOf(set)]);
  await controller.sync('default/web');
  t.same(podActions(transport), ['delete pods/web-0']);
  t.same(recorder.events, ['Warning RecreatingFailedPod StatefulSet default/web is recreating failed Pod web-0', 'Normal SuccessfulDelete delete Pod web-0 in StatefulSet web successful']);
});

t.test('scaling down removes the highest ordinal first, one at a time with OrderedReady', async (t) => {
  const set = makeSet({ replicas: 1 });
  const pods = [0, 1, 2].map((i) => setPod(set, i, { ready: true }));
  const first = setup(set, pods, [revisionOf(set)]);
  await first.controller.sync('default/web');
  t.same(podActions(first.transport), ['delete pods/web-2']);
  t.match(lastStatus(first.transport), { replicas: 3 });

  const terminating = setup(set, [pods[0]!, pods[1]!, setPod(set, 2, { ready: true, deleting: true })], [revisionOf(set)]);
  await terminating.controller.sync('default/web');
  t.same(podActions(terminating.transport), [], 'web-1 waits until web-2 is gone');

  const then = setup(set, [pods[0]!, pods[1]!], [revisionOf(set)]);
  await then.controller.sync('default/web');
  t.same(podActions(then.transport), ['delete pods/web-1']);

  const parallel = makeSet({ replicas: 1, parallel: true });
  const all = setup(parallel, pods, [revisionOf(parallel)]);
  await all.controller.sync('default/web');
  t.same(podActions(all.transport), ['delete pods/web-2', 'delete pods/web-1']);
});

t.test('a rolling update replaces pods from the highest ordinal, down to the partition', async (t) => {
  const old = makeSet({ image: 'busybox:v1' });
  const oldRev = revisionOf(old);
  const fresh = makeSet({ image: 'busybox:v2', generation: 2, currentRevision: oldRev.metadata?.name });
  const newRev = revisionOf(fresh, 2);
  const oldPods = [0, 1, 2].map((i) => setPod(old, i, { ready: true }));

  const start = setup(fresh, oldPods, [oldRev]);
  await start.controller.sync('default/web');
  t.same(start.transport.summary().filter((a) => !a.includes('status')), ['create controllerrevisions', 'delete pods/web-2']);
  t.match(lastStatus(start.transport), { currentRevision: oldRev.metadata?.name, updateRevision: newRev.metadata?.name, currentReplicas: 3, updatedReplicas: 0, observedGeneration: 2 });

  const recreate = setup(fresh, oldPods.slice(0, 2), [oldRev, newRev]);
  await recreate.controller.sync('default/web');
  const [made] = recreate.transport.bodies<corev1.Pod>('create', 'pods');
  t.equal(made?.metadata?.name, 'web-2');
  t.equal(made?.spec?.containers[0]?.image, 'busybox:v2', 'web-2 comes back at the update revision');

  const notReady = setup(fresh, [...oldPods.slice(0, 2), setPod(fresh, 2, { ready: false, rev: newRev })], [oldRev, newRev]);
  await notReady.controller.sync('default/web');
  t.same(podActions(notReady.transport), [], 'web-1 waits for the new web-2');

  const next = setup(fresh, [...oldPods.slice(0, 2), setPod(fresh, 2, { ready: true, rev: newRev })], [oldRev, newRev]);
  await next.controller.sync('default/web');
  t.same(podActions(next.transport), ['delete pods/web-1']);

  const partitioned = makeSet({ image: 'busybox:v2', generation: 2, currentRevision: oldRev.metadata?.name, strategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } });
  const held = setup(partitioned, [...oldPods.slice(0, 2), setPod(fresh, 2, { ready: true, rev: newRev })], [oldRev, newRev]);
  await held.controller.sync('default/web');
  t.same(podActions(held.transport), [], 'ordinals below the partition keep the current revision');
  t.match(lastStatus(held.transport), { currentRevision: oldRev.metadata?.name, currentReplicas: 2, updatedReplicas: 1 });

  const below = setup(partitioned, [oldPods[0]!, setPod(fresh, 2, { ready: true, rev: newRev })], [oldRev, newRev]);
  await below.controller.sync('default/web');
  const [remade] = below.transport.bodies<corev1.Pod>('create', 'pods');
  t.equal(remade?.spec?.containers[0]?.image, 'busybox:v1', 'a pod below the partition is remade from the current revision');
  t.equal(remade?.metadata?.labels?.['controller-revision-hash'], oldRev.metadata?.name);

  const done = setup(fresh, [0, 1, 2].map((i) => setPod(fresh, i, { ready: true, rev: newRev })), [oldRev, newRev]);
  await done.controller.sync('default/web');
  t.match(lastStatus(done.transport), { currentRevision: newRev.metadata?.name, updateRevision: newRev.metadata?.name, currentReplicas: 3, updatedReplicas: 3, readyReplicas: 3 });
});

t.test('OnDelete deletes nothing and makes deleted pods anew at the update revision', async (t) => {
  const old = makeSet({ image: 'busybox:v1' });
  const oldRev = revisionOf(old);
  const fresh = makeSet({ image: 'busybox:v2', generation: 2, currentRevision: oldRev.metadata?.name, strategy: { type: 'OnDelete' } });
  const pods = [0, 2].map((i) => setPod(old, i, { ready: true }));
  const { controller, transport } = setup(fresh, pods, [oldRev, revisionOf(fresh, 2)]);
  await controller.sync('default/web');
  t.same(podActions(transport), ['create pods']);
  const [made] = transport.bodies<corev1.Pod>('create', 'pods');
  t.equal(made?.metadata?.name, 'web-1');
  t.equal(made?.spec?.containers[0]?.image, 'busybox:v2');
});

t.test('claims from volumeClaimTemplates are created before the pod and mounted by it', async (t) => {
  const set = makeSet({ claims: ['www'], retention: { whenDeleted: 'Delete', whenScaled: 'Retain' } });
  const { controller, transport, recorder } = setup(set);
  await controller.sync('default/web');
  t.same(podActions(transport), ['create persistentvolumeclaims', 'create pods']);
  const [claim] = transport.bodies<corev1.PersistentVolumeClaim>('create', 'persistentvolumeclaims');
  t.equal(claim?.metadata?.name, 'www-web-0');
  t.same(claim?.metadata?.labels, { app: 'web' });
  t.same(claim?.spec?.resources?.requests, { storage: '1Gi' });
  t.same(claim?.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'sts-web' }], 'whenDeleted Delete: owned by the set');
  const [pod] = transport.bodies<corev1.Pod>('create', 'pods');
  t.same(pod?.spec?.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }]);
  t.equal(recorder.events[0], 'Normal SuccessfulCreate create Claim www-web-0 Pod web-0 in StatefulSet web success');

  const retained = setup(makeSet({ claims: ['www'] }));
  await retained.controller.sync('default/web');
  t.notOk(retained.transport.bodies<corev1.PersistentVolumeClaim>('create', 'persistentvolumeclaims')[0]?.metadata?.ownerReferences, 'Retain: no owner');
});

t.test('whenScaled Delete hands a scaled-down pod\'s claim to the pod before deleting it', async (t) => {
  const set = makeSet({ replicas: 1, claims: ['www'], retention: { whenDeleted: 'Delete', whenScaled: 'Delete' } });
  const setRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'sts-web' };
  const claim = (ordinal: number): corev1.PersistentVolumeClaim => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: `www-web-${ordinal}`, namespace: 'default', resourceVersion: '1', ownerReferences: [setRef] }, spec: {} });
  const pods = [0, 1].map((i) => setPod(set, i, { ready: true }));
  const { controller, transport } = setup(set, pods, [revisionOf(set)], [claim(0), claim(1)]);
  await controller.sync('default/web');
  t.same(podActions(transport), ['update persistentvolumeclaims/www-web-1', 'delete pods/web-1']);
  const [updated] = transport.bodies<corev1.PersistentVolumeClaim>('update', 'persistentvolumeclaims/www-web-1');
  t.same(updated?.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: 'pod-web-1' }]);

  t.same(claimOwners(makeSet({ retention: { whenDeleted: 'Retain', whenScaled: 'Retain' } }), false), { set: false, pod: false });
  t.same(claimOwners(makeSet({ retention: { whenDeleted: 'Retain', whenScaled: 'Delete' } }), true), { set: false, pod: false });
  t.same(claimOwners(makeSet({ retention: { whenDeleted: 'Retain', whenScaled: 'Delete' } }), false), { set: false, pod: true });
  t.same(claimOwners(makeSet({ retention: { whenDeleted: 'Delete', whenScaled: 'Retain' } }), false), { set: true, pod: false });
});

t.test('old revisions beyond revisionHistoryLimit that no pod uses are pruned', async (t) => {
  const base = makeSet({ image: 'busybox:v9' });
  const set = { ...base, spec: { ...base.spec!, revisionHistoryLimit: 1 } };
  const old = [1, 2, 3].map((n) => revisionOf(makeSet({ image: `busybox:v${n}` }), n));
  const { controller, transport } = setup(set, [], old);
  await controller.sync('default/web');
  t.same(transport.summary().filter((a) => a.includes('controllerrevisions')), ['create controllerrevisions', `delete controllerrevisions/${old[0]?.metadata?.name}`, `delete controllerrevisions/${old[1]?.metadata?.name}`]);
});

t.test('an orphan named as a member is adopted and given its identity labels; others are left alone', async (t) => {
  const set = makeSet({ replicas: 2 });
  const orphan = makePod('web-0', { labels: { app: 'web' }, ready: true });
  const stranger = makePod('db-0', { labels: { app: 'web' }, ready: true });
  const { controller, transport, recorder } = setup(set, [orphan, stranger], [revisionOf(set)]);
  transport.objects.set('statefulsets/default/web', set);
  transport.objects.set('pods/default/web-0', orphan);
  await controller.sync('default/web');
  t.same(podActions(transport), ['patch pods/web-0', 'patch pods/web-0', 'create pods']);
  const [adopt, identity] = transport.bodies<corev1.Pod>('patch', 'pods/web-0');
  t.match(adopt?.metadata?.ownerReferences, [{ kind: 'StatefulSet', uid: 'sts-web', controller: true }]);
  t.same(identity?.metadata?.labels, { 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0' });
  t.ok(recorder.events.includes('Normal SuccessfulUpdate update Pod web-0 in StatefulSet web successful'));
  t.equal(transport.bodies<corev1.Pod>('create', 'pods')[0]?.metadata?.name, 'web-1');
});

t.test('going back to an older template reuses its revision, renumbered as the newest', async (t) => {
  const v1 = revisionOf(makeSet({ image: 'busybox:v1' }), 1);
  const v2 = revisionOf(makeSet({ image: 'busybox:v2' }), 2);
  const set = makeSet({ image: 'busybox:v1', generation: 3, currentRevision: v2.metadata?.name });
  const { controller, transport } = setup(set, [0, 1, 2].map((i) => setPod(makeSet({ image: 'busybox:v2' }), i, { ready: true, rev: v2 })), [v1, v2]);
  await controller.sync('default/web');
  t.same(transport.summary().filter((a) => !a.includes('status')), [`update controllerrevisions/${v1.metadata?.name}`, 'delete pods/web-2']);
  t.equal(transport.bodies<Revision>('update', `controllerrevisions/${v1.metadata?.name}`)[0]?.revision, 3);
  t.match(lastStatus(transport), { currentRevision: v2.metadata?.name, updateRevision: v1.metadata?.name });
});

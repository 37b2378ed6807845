import t from 'tap';
import type { corev1, storagev1 } from '../api/types.js';
import { PersistentVolumeController } from './persistentvolume.js';
import { makeClaim, makeClass, makeVolume, refTo } from './persistentvolume.fixture.js';
import { FakeLister, FakeRecorder, recordingClient } from './testing.fixture.js';

type Claim = corev1.PersistentVolumeClaim;
type Volume = corev1.PersistentVolume;

function setup(claims: Claim[], volumes: Volume[], classes: storagev1.StorageClass[] = []) {
  const { client, transport } = recordingClient();
  const recorder = new FakeRecorder();
  const controller = new PersistentVolumeController({ client, claims: new FakeLister(claims), volumes: new FakeLister(volumes), classes: new FakeLister(classes), recorder });
  return { controller, transport, recorder };
}

const bindActions = (pv: string, claim: string): string[] => [
  `update persistentvolumes/${pv}`,
  `update persistentvolumes/${pv}/status`,
  `update persistentvolumeclaims/${claim}`,
  `update persistentvolumeclaims/${claim}/status`,
];

t.test('an unbound claim binds to the smallest matching available volume', async (t) => {
  const claim = makeClaim('data', { storage: '1Gi' });
  const volumes = [
    makeVolume('big', { storage: '10Gi' }),
    makeVolume('fits', { storage: '2Gi' }),
    makeVolume('small', { storage: '500Mi' }),
    makeVolume('other-class', { storage: '1Gi', className: 'fast' }),
    makeVolume('rwx-only', { storage: '1Gi', modes: ['ReadWriteMany'] }),
    makeVolume('taken', { storage: '1Gi', phase: 'Bound', claimRef: { namespace: 'default', name: 'x', uid: 'x' } }),
  ];
  const { controller, transport, recorder } = setup([claim], volumes);
  await controller.sync('default/data');
  t.same(transport.summary(), bindActions('fits', 'data'));
  const [pv] = transport.bodies<Volume>('update', 'persistentvolumes/fits');
  t.match(pv?.spec?.claimRef, { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'uid-data', resourceVersion: '3' });
  t.equal(pv?.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'yes');
  t.equal(transport.bodies<Volume>('update', 'persistentvolumes/fits/status')[0]?.status?.phase, 'Bound');
  const [bound] = transport.bodies<Claim>('update', 'persistentvolumeclaims/data');
  t.equal(bound?.spec?.volumeName, 'fits');
  t.match(bound?.metadata?.annotations, { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
  t.same(transport.bodies<Claim>('update', 'persistentvolumeclaims/data/status')[0]?.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } });
  t.same(recorder.events, []);
});

t.test('a claim selector and a pre-bound volume decide the match', async (t) => {
  const claim = makeClaim('data', { selector: { matchLabels: { tier: 'db' } } });
  const labelled = setup([claim], [makeVolume('plain'), makeVolume('db', { labels: { tier: 'db' } })]);
  await labelled.controller.sync('default/data');
  t.equal(labelled.transport.bodies<Claim>('update', 'persistentvolumeclaims/data')[0]?.spec?.volumeName, 'db');

  const plain = makeClaim('data');
  const prebound = setup([plain], [makeVolume('free'), makeVolume('mine', { storage: '5Gi', claimRef: refTo(plain, false) })]);
  await prebound.controller.sync('default/data');
  t.equal(prebound.transport.bodies<Claim>('update', 'persistentvolumeclaims/data')[0]?.spec?.volumeName, 'mine', 'the volume pre-bound to the claim wins');
  const [pv] = prebound.transport.bodies<Volume>('update', 'persistentvolumes/mine');
  t.equal(pv?.spec?.claimRef?.uid, 'uid-data', 'the pre-binding gets the claim uid');
  t.notOk(pv?.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'a user pre-binding is not marked as the controller\'s');
});

t.test('claims without a match wait: no class, WaitForFirstConsumer, missing class', async (t) => {
  const none = setup([makeClaim('data', { className: '' })], [makeVolume('fast', { className: 'fast' })]);
  await none.controller.sync('default/data');
  t.same(none.transport.summary(), []);
  t.same(none.recorder.events, ['Normal FailedBinding no persistent volumes available for this claim and no storage class is set']);

  const wffc = setup([makeClaim('data', { className: 'local-path' })], [makeVolume('lp', { className: 'local-path' })], [makeClass('local-path')]);
  await wffc.controller.sync('default/data');
  t.same(wffc.transport.summary(), [], 'a WaitForFirstConsumer claim takes no volume without the scheduler');
  t.same(wffc.recorder.events, ['Normal WaitForFirstConsumer waiting for first consumer to be created before binding']);

  const missing = setup([makeClaim('data', { className: 'gone', phase: 'Lost' })], []);
  await missing.controller.sync('default/data');
  t.same(missing.transport.summary(), ['update persistentvolumeclaims/data/status']);
  t.same(missing.recorder.events, ['Warning ProvisioningFailed storageclass.storage.k8s.io "gone" not found']);
});

t.test('a claim with a selected node asks the class provisioner', async (t) => {
  const claim = makeClaim('data', { className: 'local-path', annotations: { 'volume.kubernetes.io/selected-node': 'n1' } });
  const { controller, transport, recorder } = setup([claim], [], [makeClass('local-path')]);
  await controller.sync('default/data');
  t.same(transport.summary(), ['update persistentvolumeclaims/data']);
  t.match(transport.bodies<Claim>('update', 'persistentvolumeclaims/data')[0]?.metadata?.annotations, {
    'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
    'volume.beta.kubernetes.io/storage-provisioner': 'rancher.io/local-path',
    'volume.kubernetes.io/selected-node': 'n1',
  });
  t.match(recorder.events, [/^Normal ExternalProvisioning Waiting for a volume to be created either by the external provisioner 'rancher.io\/local-path'/]);
});

t.test('a provisioned volume pre-bound with the claim uid completes the binding', async (t) => {
  const claim = makeClaim('data', { className: 'local-path', annotations: { 'volume.kubernetes.io/selected-node': 'n1' } });
  const pv = makeVolume('pvc-uid-data', { className: 'local-path', phase: 'Pending', claimRef: refTo(claim), reclaim: 'Delete' });
  const { controller, transport } = setup([claim], [pv], [makeClass('local-path')]);
  await controller.sync('default/data');
  t.same(transport.summary(), bindActions('pvc-uid-data', 'data').slice(1), 'the claimRef is already right');
  await controller.sync('pvc-uid-data');
  t.same(transport.summary(), bindActions('pvc-uid-data', 'data').slice(1), 'the volume sync leaves the unbound claim to the claim sync');
  t.same(controller.queue.length, 1);
});

t.test('a claim asking for a volume by name', async (t) => {
  const claim = makeClaim('data', { volumeName: 'pv1' });
  const theirs = setup([claim], [makeVolume('pv1', { phase: 'Bound', claimRef: { namespace: 'default', name: 'other', uid: 'o' } })]);
  await theirs.controller.sync('default/data');
  t.same(theirs.transport.summary(), []);
  t.same(theirs.recorder.events, ['Warning FailedBinding volume "pv1" already bound to a different claim.']);

  const tooSmall = setup([claim], [makeVolume('pv1', { storage: '100Mi' })]);
  await tooSmall.controller.sync('default/data');
  t.same(tooSmall.recorder.events, ['Warning VolumeMismatch Cannot bind to requested volume "pv1": requested PV is too small']);

  const free = setup([claim], [makeVolume('pv1')]);
  await free.controller.sync('default/data');
  t.same(free.transport.summary(), bindActions('pv1', 'data'));
  t.notOk(free.transport.bodies<Claim>('update', 'persistentvolumeclaims/data')[0]?.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller'], 'the user chose the volume');
});

t.test('a bound claim whose volume is gone is Lost; a bound pair is left alone', async (t) => {
  const bound = makeClaim('data', { volumeName: 'pv1', phase: 'Bound', annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } });
  const lost = setup([bound], []);
  await lost.controller.sync('default/data');
  t.same(lost.transport.summary(), ['update persistentvolumeclaims/data/status']);
  t.equal(lost.transport.bodies<Claim>('update', 'persistentvolumeclaims/data/status')[0]?.status?.phase, 'Lost');
  t.same(lost.recorder.events, ['Warning ClaimLost Bound claim has lost its PersistentVolume. Data on the volume is lost!']);

  const settled = { ...bound, status: { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } };
  const pair = setup([settled], [makeVolume('pv1', { phase: 'Bound', claimRef: refTo(bound) })]);
  await pair.controller.sync('default/data');
  await pair.controller.sync('pv1');
  t.same(pair.transport.summary(), []);
});

t.test('volumes: unclaimed ones become Available; released ones follow their reclaim policy', async (t) => {
  const fresh = setup([], [makeVolume('pv1', { phase: 'Pending' })]);
  await fresh.controller.sync('pv1');
  t.same(fresh.transport.summary(), ['update persistentvolumes/pv1/status']);
  t.equal(fresh.transport.bodies<Volume>('update', 'persistentvolumes/pv1/status')[0]?.status?.phase, 'Available');

  const ref = { namespace: 'default', name: 'gone', uid: 'uid-gone' };
  const retain = setup([], [makeVolume('pv1', { phase: 'Bound', claimRef: ref, reclaim: 'Retain' })]);
  await retain.controller.sync('pv1');
  t.same(retain.transport.summary(), ['update persistentvolumes/pv1/status']);
  t.equal(retain.transport.bodies<Volume>('update', 'persistentvolumes/pv1/status')[0]?.status?.phase, 'Released');
  t.ok(retain.transport.actions.some((a) => a.verb === 'get' && a.target === 'persistentvolumeclaims/gone'), 'the API is asked before the volume is released');

  const provisioned = setup([], [makeVolume('pv1', { phase: 'Bound', claimRef: ref, reclaim: 'Delete', annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' } })]);
  await provisioned.controller.sync('pv1');
  t.same(provisioned.transport.summary(), ['update persistentvolumes/pv1/status', 'delete persistentvolumes/pv1']);

  const manual = setup([], [makeVolume('pv1', { phase: 'Bound', claimRef: ref, reclaim: 'Delete' })]);
  await manual.controller.sync('pv1');
  t.same(manual.transport.summary(), ['update persistentvolumes/pv1/status', 'update persistentvolumes/pv1/status']);
  t.equal(manual.transport.bodies<Volume>('update', 'persistentvolumes/pv1/status')[1]?.status?.phase, 'Failed');
  t.same(manual.recorder.events, ['Warning VolumeFailedDelete error getting deleter volume plugin for volume "pv1": no deletable volume plugin matched']);

  const recreated = makeClaim('gone');
  const newClaim = { ...recreated, metadata: { ...recreated.metadata, uid: 'new-uid' } };
  const stale = setup([newClaim], [makeVolume('pv1', { phase: 'Bound', claimRef: ref, reclaim: 'Retain' })]);
  await stale.controller.sync('pv1');
  t.equal(stale.transport.bodies<Volume>('update', 'persistentvolumes/pv1/status')[0]?.status?.phase, 'Released', 'a new claim of the same name does not own the volume');
});

t.test('a volume bound by the controller to a claim that went elsewhere is freed', async (t) => {
  const claim = makeClaim('data', { volumeName: 'pv2', phase: 'Bound', annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } });
  const { controller, transport } = setup([claim], [makeVolume('pv1', { phase: 'Bound', claimRef: refTo(claim), annotations: { 'pv.kubernetes.io/bound-by-controller': 'yes' } })]);
  await controller.sync('pv1');
  t.same(transport.summary(), ['update persistentvolumes/pv1', 'update persistentvolumes/pv1/status']);
  const [pv] = transport.bodies<Volume>('update', 'persistentvolumes/pv1');
  t.notOk(pv?.spec?.claimRef);
  t.notOk(pv?.metadata?.annotations?.['pv.kubernetes.io/bound-by-controller']);
});

t.test('claim and volume events enqueue both sides', async (t) => {
  const claims = new FakeLister<Claim>([]);
  const volumes = new FakeLister<Volume>([]);
  const { client } = recordingClient();
  const controller = new PersistentVolumeController({ client, claims, volumes, classes: new FakeLister(), recorder: new FakeRecorder() });
  const claim = makeClaim('data', { volumeName: 'pv1' });
  volumes.handlers[0]?.onAdd?.(makeVolume('pv1', { claimRef: refTo(claim) }), false);
  claims.handlers[0]?.onDelete?.(claim);
  const keys = new Set<string>();
  while (controller.queue.length > 0) {
    const key = await controller.queue.get();
    if (key) keys.add(key);
  }
  t.same([...keys].sort(), ['default/data', 'pv1']);
  controller.queue.shutDown();
});

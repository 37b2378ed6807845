import t from 'tap';
import type { corev1, storagev1 } from '../api/types.js';
import { LocalPathProvisioner } from './localpath.js';
import { makeClaim, makeClass, makeVolume } from './persistentvolume.fixture.js';
import { FakeLister, FakeRecorder, recordingClient } from './testing.fixture.js';

type Volume = corev1.PersistentVolume;

const node: corev1.Node = { metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'host-1' } } };
const selected = { 'volume.kubernetes.io/selected-node': 'n1' };

function setup(claims: corev1.PersistentVolumeClaim[], classes: storagev1.StorageClass[], volumes: Volume[] = [], storageDir: string | null = '/var/lib/tsk8s/storage') {
  const { client, transport } = recordingClient();
  const recorder = new FakeRecorder();
  const controller = new LocalPathProvisioner({
    client,
    claims: new FakeLister(claims),
    volumes: new FakeLister(volumes),
    classes: new FakeLister(classes),
    nodes: new FakeLister([node]),
    ...(storageDir ? { storageDir } : {}),
    recorder,
  });
  return { controller, transport, recorder };
}

t.test('a claim with a selected node gets a hostPath volume named and placed as k3s does', async (t) => {
  const claim = makeClaim('data', { className: 'local-path', storage: '2Gi', annotations: selected });
  const { controller, transport, recorder } = setup([claim], [makeClass('local-path')]);
  await controller.sync('default/data');
  t.same(transport.summary(), ['create persistentvolumes']);
  const [pv] = transport.bodies<Volume>('create', 'persistentvolumes');
  t.same(pv, {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: 'pvc-uid-data',
      annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path', 'local.path.provisioner/selected-node': 'n1' },
      finalizers: ['tsk8s.io/local-path-cleanup'],
    },
    spec: {
      capacity: { storage: '2Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: 'local-path',
      volumeMode: 'Filesystem',
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'uid-data', resourceVersion: '3' },
      hostPath: { path: '/var/lib/tsk8s/storage/pvc-uid-data_default_data', type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['host-1'] }] }] } },
    },
  });
  t.same(recorder.events, ['Normal Provisioning External provisioner is provisioning volume for claim "default/data"', 'Normal ProvisioningSucceeded Successfully provisioned volume pvc-uid-data']);
});

t.test('Retain classes get no clean-up finalizer; a class nodePath overrides the storage dir', async (t) => {
  const claim = makeClaim('data', { className: 'kept', annotations: selected });
  const { controller, transport } = setup([claim], [makeClass('kept', { reclaim: 'Retain', parameters: { nodePath: '/data/lp' } })], [], null);
  await controller.sync('default/data');
  const [pv] = transport.bodies<Volume>('create', 'persistentvolumes');
  t.notOk(pv?.metadata?.finalizers);
  t.equal(pv?.spec?.persistentVolumeReclaimPolicy, 'Retain');
  t.equal(pv?.spec?.hostPath?.path, '/data/lp/pvc-uid-data_default_data');
});

t.test('claims the provisioner leaves alone or refuses', async (t) => {
  const waiting = setup([makeClaim('data', { className: 'local-path' })], [makeClass('local-path')]);
  await waiting.controller.sync('default/data');
  t.same(waiting.transport.summary(), [], 'no node chosen yet');
  t.same(waiting.recorder.events, []);

  const other = setup([makeClaim('data', { className: 'nfs', annotations: selected })], [makeClass('nfs', { provisioner: 'example.com/nfs' })]);
  await other.controller.sync('default/data');
  t.same(other.transport.summary(), [], 'another provisioner\'s class');

  const done = setup([makeClaim('data', { className: 'local-path', annotations: selected })], [makeClass('local-path')], [makeVolume('pvc-uid-data')]);
  await done.controller.sync('default/data');
  t.same(done.transport.summary(), [], 'already provisioned');

  const rwx = setup([makeClaim('data', { className: 'local-path', modes: ['ReadWriteMany'], annotations: selected })], [makeClass('local-path')]);
  await rwx.controller.sync('default/data');
  t.same(rwx.transport.summary(), []);
  t.same(rwx.recorder.events, ['Warning ProvisioningFailed failed to provision volume with StorageClass "local-path": Only support ReadWriteOnce access mode']);

  const immediate = setup([makeClaim('data', { className: 'lp-now' })], [makeClass('lp-now', { mode: 'Immediate' })]);
  await immediate.controller.sync('default/data');
  t.same(immediate.recorder.events, ['Warning ProvisioningFailed failed to provision volume with StorageClass "lp-now": configuration error, no node was specified']);

  const noDir = setup([makeClaim('data', { className: 'local-path', annotations: selected })], [makeClass('local-path')], [], null);
  await noDir.controller.sync('default/data');
  t.same(noDir.transport.summary(), []);
  t.match(noDir.recorder.events, [/no storage directory is configured/]);
});

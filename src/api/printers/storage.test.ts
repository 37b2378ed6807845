import t from 'tap';
import type { corev1 } from '../types.js';
import { ago, cellsOf, day, now, second } from './builders.fixture.js';
import { accessModes, persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from './storage.js';

t.test('access modes are abbreviated in a fixed order', async (t) => {
  t.equal(accessModes(['ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOnce']), 'RWO,RWX');
  t.equal(accessModes(['ReadWriteOncePod', 'ReadOnlyMany']), 'ROX,RWOP');
  t.equal(accessModes(undefined), '');
});

t.test('persistent volume row', async (t) => {
  const pv: corev1.PersistentVolume = {
    metadata: { name: 'pv-1', creationTimestamp: ago(day) },
    spec: {
      capacity: { storage: '10Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      claimRef: { namespace: 'default', name: 'data' },
      storageClassName: 'local-path',
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Bound' },
  };
  t.same(cellsOf(persistentVolumePrinter, pv), ['pv-1', '10Gi', 'RWO', 'Delete', 'Bound', 'default/data', 'local-path', '<unset>', '', '24h', 'Filesystem']);
  const deleting = { ...pv, metadata: { ...pv.metadata, deletionTimestamp: ago(second) } };
  t.equal(cellsOf(persistentVolumePrinter, deleting)[4], 'Terminating');
  const legacy = { ...pv, metadata: { ...pv.metadata, annotations: { 'volume.beta.kubernetes.io/storage-class': 'old' } } };
  t.equal(cellsOf(persistentVolumePrinter, legacy)[6], 'old', 'the beta annotation wins');
});

t.test('claims show capacity and modes only once bound', async (t) => {
  const pending: corev1.PersistentVolumeClaim = {
    metadata: { name: 'data', creationTimestamp: ago(day) },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: 'local-path' },
    status: { phase: 'Pending' },
  };
  t.same(cellsOf(persistentVolumeClaimPrinter, pending), ['data', 'Pending', '', '', '', 'local-path', '<unset>', '24h', '<unset>']);
  const bound: corev1.PersistentVolumeClaim = {
    ...pending,
    spec: { ...pending.spec, volumeName: 'pv-1', volumeMode: 'Filesystem' },
    status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] },
  };
  t.same(cellsOf(persistentVolumeClaimPrinter, bound), ['data', 'Bound', 'pv-1', '1Gi', 'RWO', 'local-path', '<unset>', '24h', 'Filesystem']);
});

t.test('storage classes mark the default and fill defaults', async (t) => {
  const sc = {
    metadata: { name: 'local-path', creationTimestamp: ago(day), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
  t.same(cellsOf(storageClassPrinter, sc), ['local-path (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '24h']);
  const plain = { metadata: { name: 'fast' }, provisioner: 'x', reclaimPolicy: 'Retain', allowVolumeExpansion: true };
  t.same(cellsOf(storageClassPrinter, plain).slice(0, 5), ['fast', 'x', 'Retain', 'Immediate', true]);
});

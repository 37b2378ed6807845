// The PersistentVolume binder and the local-path provisioner against an
// in-process API server, with the node's clean-up loop of the kubelet. No
// scheduler runs: the test plays it by annotating a claim with the node it
// chose, as VolumeBinding's PreBind does.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { corev1, storagev1 } from '../../../src/api/types.js';
import { SharedInformerFactory } from '../../../src/client/index.js';
import { persistentVolumeClaimsRef, persistentVolumesRef, storageClassesRef } from '../../../src/controllers/persistentvolume.js';
import { LocalPathCleaner } from '../../../src/kubelet/volumes/cleanup.js';
import { silentLogger } from '../../../src/log/logger.js';
import { eventually, startControllerTest } from '../../helpers/controllers.js';

const root = mkdtempSync(join(tmpdir(), 'tsk8s-pv-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const storageDir = join(root, 'storage');

const { client } = await startControllerTest(t, { storageDir, controllers: ['persistentvolume-binder', 'local-path-provisioner'] });
const claims = client.resource<corev1.PersistentVolumeClaim>(persistentVolumeClaimsRef);
const volumes = client.resource<corev1.PersistentVolume>(persistentVolumesRef);
const classes = client.resource<storagev1.StorageClass>(storageClassesRef);
// The node's half: the kubelet's clean-up loop on its own informer.
const nodeStop = new AbortController();
const nodeInformers = new SharedInformerFactory(client, { logger: silentLogger });
const cleaner = new LocalPathCleaner({
  client,
  volumes: nodeInformers.informerFor<corev1.PersistentVolume>(persistentVolumesRef),
  node: () => client.nodes.get('n1'),
  storageDir,
  claimInUse: () => false,
  logger: silentLogger,
});
nodeInformers.start(nodeStop.signal);
const cleaning = cleaner.run(nodeStop.signal);
t.teardown(async () => {
  nodeStop.abort();
  await Promise.all([cleaning, nodeInformers.stop()]);
});
await client.nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1-host' } } });

const claimOf = (name: string, className?: string): corev1.PersistentVolumeClaim => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...(className !== undefined ? { storageClassName: className } : {}) },
});

async function reasons(name: string): Promise<string[]> {
  const events = await client.events.list({ namespace: 'default', fieldSelector: `involvedObject.name=${name}` });
  return events.items.map((e) => e.reason ?? '');
}

t.test('the cluster starts with local-path as its default class; class-less claims get it', async (t) => {
  const sc = await classes.get('local-path');
  t.match(sc, {
    provisioner: 'rancher.io/local-path',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  });
  const made = await claims.create(claimOf('defaulted'));
  t.equal(made.spec?.storageClassName, 'local-path');
  const none = await claims.create(claimOf('classless', ''));
  t.equal(none.spec?.storageClassName, '', 'an empty class name means no class and is kept');
  await claims.delete('defaulted', { namespace: 'default' });
  await claims.delete('classless', { namespace: 'default' });
});

t.test('dynamic provisioning: wait for a node, provision, bind; deleting the claim removes volume and directory', async (t) => {
  const claim = await claims.create(claimOf('data'));
  t.ok(await eventually(async () => (await reasons('data')).includes('WaitForFirstConsumer')), 'the binder waits for the first consumer');
  t.same((await volumes.list()).items, [], 'nothing is provisioned before the node is chosen');

  await claims.patch('data', { metadata: { annotations: { 'volume.kubernetes.io/selected-node': 'n1' } } }, { namespace: 'default' });
  const pvName = `pvc-${claim.metadata?.uid ?? ''}`;
  t.ok(await eventually(async () => (await claims.get('data', 'default')).status?.phase === 'Bound'), 'the claim is Bound');
  const bound = await claims.get('data', 'default');
  t.equal(bound.spec?.volumeName, pvName);
  t.same(bound.status?.capacity, { storage: '1Gi' });
  t.match(bound.metadata?.annotations, { 'pv.kubernetes.io/bind-completed': 'yes', 'volume.kubernetes.io/storage-provisioner': 'rancher.io/local-path' });
  const pv = await volumes.get(pvName);
  const dir = join(storageDir, `${pvName}_default_data`);
  t.match(pv, {
    metadata: { annotations: { 'pv.kubernetes.io/provisioned-by': 'rancher.io/local-path' }, finalizers: ['tsk8s.io/local-path-cleanup'] },
    spec: { hostPath: { path: dir, type: 'DirectoryOrCreate' }, persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'local-path', claimRef: { name: 'data', uid: claim.metadata?.uid } },
    status: { phase: 'Bound' },
  });
  t.same(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms, [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1-host'] }] }]);
  t.ok((await reasons('data')).includes('ProvisioningSucceeded'));

  // What a pod's mount would have made on the node.
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'file'), 'data');
  await claims.delete('data', { namespace: 'default' });
  t.ok(
    await eventually(async () => (await volumes.list()).items.length === 0),
    'the released volume is deleted once the node removed its directory',
  );
  t.notOk(existsSync(dir), 'the directory is gone');
});

t.test('static binding: an available volume binds; Retain keeps it Released', async (t) => {
  await volumes.create({
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: 'manual-1' },
    spec: { capacity: { storage: '2Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: join(root, 'manual') } },
  });
  t.ok(await eventually(async () => (await volumes.get('manual-1')).status?.phase === 'Available'), 'a new volume becomes Available');
  await claims.create(claimOf('static', 'manual'));
  t.ok(await eventually(async () => (await claims.get('static', 'default')).status?.phase === 'Bound'), 'the claim binds');
  t.equal((await claims.get('static', 'default')).spec?.volumeName, 'manual-1');
  t.equal((await volumes.get('manual-1')).status?.phase, 'Bound');
  await claims.delete('static', { namespace: 'default' });
  t.ok(await eventually(async () => (await volumes.get('manual-1')).status?.phase === 'Released'), 'the volume is Released and kept');
});

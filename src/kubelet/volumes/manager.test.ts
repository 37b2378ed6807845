import { existsSync, lstatSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { corev1 } from '../../api/types.js';
import { writeAtomically } from './atomic.js';
import { HostVolumeManager } from './manager.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function setup(t: Test) {
  const root = mkdtempSync(join(tmpdir(), 'tsk8s-volumes-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const configMaps = new Map<string, corev1.ConfigMap>([['conf', { metadata: { name: 'conf' }, data: { 'app.yaml': 'a: 1\n', other: 'x' }, binaryData: { 'blob.bin': b64('\u0001\u0002') } }]]);
  const secrets = new Map<string, corev1.Secret>([['sec', { metadata: { name: 'sec' }, data: { token: b64('t0k3n') } }]]);
  const claims = new Map<string, corev1.PersistentVolumeClaim>();
  const volumes = new Map<string, corev1.PersistentVolume>();
  const m = new HostVolumeManager({
    rootDir: root,
    configMap: async (_ns, name) => configMaps.get(name),
    secret: async (_ns, name) => secrets.get(name),
    claim: async (ns, name) => claims.get(`${ns}/${name}`),
    persistentVolume: async (name) => volumes.get(name),
    token: async (pod, src) => `token-for-${pod.metadata?.name}-${src.audience ?? ''}`,
    nodeAllocatable: { cpuMilli: 2000, memoryBytes: 2 ** 30, ephemeralStorageBytes: 2 ** 32 },
  });
  return { root, m, configMaps, secrets, claims, volumes };
}

const pod = (volumes: corev1.Volume[]): corev1.Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'uid1', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', resources: { limits: { memory: '64Mi' } } }], volumes } });

t.test('emptyDir and hostPath', async (t) => {
  const { root, m } = setup(t);
  const host = join(root, 'host', 'made');
  const vols = await m.setUp(pod([{ name: 'scratch', emptyDir: {} }, { name: 'h', hostPath: { path: host, type: 'DirectoryOrCreate' } }]));
  const scratch = vols.get('scratch')!;
  t.same(scratch, { hostPath: join(root, 'pods', 'uid1', 'volumes', 'kubernetes.io~empty-dir', 'scratch'), readOnly: false });
  t.equal(statSync(scratch.hostPath).mode & 0o777, 0o777);
  t.same(vols.get('h'), { hostPath: host, readOnly: false });
  t.ok(statSync(host).isDirectory());
  await t.rejects(m.setUp(pod([{ name: 'bad', hostPath: { path: join(root, 'absent'), type: 'Directory' } }])), {
    code: 'volume',
    message: `MountVolume.SetUp failed for volume "bad" : hostPath type check failed: ${join(root, 'absent')} is not a directory`,
  });
  await t.rejects(m.setUp(pod([{ name: 'n', nfs: { server: 's', path: '/' } }])), { message: /volume type nfs is not supported/ });
  await m.tearDown('uid1');
  t.notOk(existsSync(join(root, 'pods', 'uid1', 'volumes')));
  t.ok(existsSync(host), 'hostPath contents are never removed');
});

t.test('configMap and secret volumes: files, items, modes, updates', async (t) => {
  const { m, configMaps } = setup(t);
  const vols = await m.setUp(
    pod([
      { name: 'all', configMap: { name: 'conf' } },
      { name: 'some', configMap: { name: 'conf', items: [{ key: 'app.yaml', path: 'cfg/app.yaml', mode: 0o600 }] } },
      { name: 's', secret: { secretName: 'sec', defaultMode: 0o400 } },
      { name: 'opt', configMap: { name: 'missing', optional: true } },
    ]),
  );
  const all = vols.get('all')!;
  t.equal(all.readOnly, true);
  t.equal(readFileSync(join(all.hostPath, 'app.yaml'), 'utf8'), 'a: 1\n');
  t.same([...readFileSync(join(all.hostPath, 'blob.bin'))], [1, 2]);
  t.ok(lstatSync(join(all.hostPath, 'app.yaml')).isSymbolicLink(), 'user-visible names are links into ..data');
  t.equal(readlinkSync(join(all.hostPath, 'app.yaml')), '..data/app.yaml');
  const some = vols.get('some')!;
  t.equal(readFileSync(join(some.hostPath, 'cfg', 'app.yaml'), 'utf8'), 'a: 1\n');
  t.equal(statSync(join(some.hostPath, 'cfg', 'app.yaml')).mode & 0o777, 0o600);
  t.notOk(existsSync(join(some.hostPath, 'other')));
  t.equal(readFileSync(join(vols.get('s')!.hostPath, 'token'), 'utf8'), 't0k3n');
  t.equal(statSync(join(vols.get('s')!.hostPath, 'token')).mode & 0o777, 0o400);

  const before = readlinkSync(join(all.hostPath, '..data'));
  await m.setUp(pod([{ name: 'all', configMap: { name: 'conf' } }]));
  t.equal(readlinkSync(join(all.hostPath, '..data')), before, 'unchanged content is not rewritten');
  configMaps.set('conf', { metadata: { name: 'conf' }, data: { 'app.yaml': 'a: 2\n' } });
  await m.setUp(pod([{ name: 'all', configMap: { name: 'conf' } }]));
  t.equal(readFileSync(join(all.hostPath, 'app.yaml'), 'utf8'), 'a: 2\n', 'an update is visible');
  t.notOk(existsSync(join(all.hostPath, 'other')), 'a removed key disappears');
  t.notOk(existsSync(join(all.hostPath, before)), 'the old generation is removed');

  await t.rejects(m.setUp(pod([{ name: 'x', configMap: { name: 'missing' } }])), { message: 'MountVolume.SetUp failed for volume "x" : configmap "missing" not found' });
  await t.rejects(m.setUp(pod([{ name: 'x', secret: { secretName: 'sec', items: [{ key: 'nope', path: 'n' }] } }])), { message: /references non-existent secret key: nope/ });
});

t.test('downwardAPI and projected volumes', async (t) => {
  const { m } = setup(t);
  const vols = await m.setUp(
    pod([
      { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } }] } },
      {
        name: 'proj',
        projected: {
          sources: [
            { serviceAccountToken: { path: 'token', audience: 'api' } },
            { configMap: { name: 'conf', items: [{ key: 'other', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
          ],
        },
      },
    ]),
  );
  const info = vols.get('info')!.hostPath;
  t.equal(readFileSync(join(info, 'labels'), 'utf8'), 'app="x"');
  t.equal(readFileSync(join(info, 'mem'), 'utf8'), '64');
  const proj = vols.get('proj')!.hostPath;
  t.same(['token', 'ca.crt', 'namespace'].map((f) => readFileSync(join(proj, f), 'utf8')), ['token-for-p-api', 'x', 'ns']);
});

t.test('atomic writer rejects paths that escape', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-atomic-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  for (const bad of ['../x', '/abs', '..data', 'a/../b', 'a//b']) t.throws(() => writeAtomically(dir, new Map([[bad, { data: Buffer.from('x'), mode: 0o644 }]])), { code: 'volume' }, bad);
  writeFileSync(join(dir, 'user-file'), 'kept');
  writeAtomically(dir, new Map([['a', { data: Buffer.from('1'), mode: 0o644 }]]));
  t.equal(readFileSync(join(dir, 'user-file'), 'utf8'), 'kept', 'regular files are not touched');
});

t.test('persistentVolumeClaim volumes mount the bound volume; unbound claims fail until bound', async (t) => {
  const { root, m, claims, volumes } = setup(t);
  const dir = join(root, 'storage', 'pvc-u1_ns_data');
  const claim: corev1.PersistentVolumeClaim = { metadata: { name: 'data', namespace: 'ns', uid: 'u1' }, spec: { accessModes: ['ReadWriteOnce'] }, status: { phase: 'Pending' } };
  const vol = [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }];
  await t.rejects(m.setUp(pod(vol)), { code: 'volume', message: 'MountVolume.SetUp failed for volume "data" : error processing PVC ns/data: failed to fetch PVC from API server: persistentvolumeclaims "data" not found' });
  claims.set('ns/data', claim);
  await t.rejects(m.setUp(pod(vol)), { message: /error processing PVC ns\/data: PVC is not bound/ });
  claims.set('ns/data', { ...claim, spec: { ...claim.spec, volumeName: 'pvc-u1' }, status: { phase: 'Bound' } });
  await t.rejects(m.setUp(pod(vol)), { message: /failed to fetch PV pvc-u1 from API server/ });
  const pv: corev1.PersistentVolume = {
    metadata: { name: 'pvc-u1' },
    spec: { claimRef: { namespace: 'ns', name: 'data', uid: 'other' }, hostPath: { path: dir, type: 'DirectoryOrCreate' } },
  };
  volumes.set('pvc-u1', pv);
  await t.rejects(m.setUp(pod(vol)), { message: /PV pvc-u1 is not bound to the claim/ }, 'a volume bound to an older claim of that name is refused');
  volumes.set('pvc-u1', { ...pv, spec: { ...pv.spec, claimRef: { namespace: 'ns', name: 'data', uid: 'u1' } } });
  const mounted = await m.setUp(pod(vol));
  t.same(mounted.get('data'), { hostPath: dir, readOnly: false });
  t.ok(statSync(dir).isDirectory(), 'DirectoryOrCreate made the directory on this node');
  const ro = await m.setUp(pod([{ name: 'data', persistentVolumeClaim: { claimName: 'data', readOnly: true } }]));
  t.same(ro.get('data'), { hostPath: dir, readOnly: true }, 'readOnly of the pod volume is kept');
  await m.tearDown('uid1');
  t.ok(existsSync(dir), 'tear-down leaves the volume data');
  volumes.set('pvc-u1', { ...pv, spec: { claimRef: { uid: 'u1' }, local: { path: join(root, 'absent') } } });
  await t.rejects(m.setUp(pod(vol)), { message: /local volume pvc-u1 does not exist/ });
  volumes.set('pvc-u1', { ...pv, spec: { claimRef: { uid: 'u1' }, nfs: { server: 's', path: '/' } } });
  await t.rejects(m.setUp(pod(vol)), { message: /volume type nfs of PV pvc-u1 is not supported/ });
});

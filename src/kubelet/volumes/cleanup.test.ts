import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import type { corev1 } from '../../api/types.js';
import { Client, type ClientRequest, type ClientResponse, type ClientWatch, type InformerHandlers, type Transport } from '../../client/index.js';
import { silentLogger } from '../../log/logger.js';
import { affinityMatchesNode, isInside, LocalPathCleaner, podUsesClaim } from './cleanup.js';

type Volume = corev1.PersistentVolume;

/** Records writes as `METHOD path body`. */
class PatchRecorder implements Transport {
  readonly writes: string[] = [];
  async request(req: ClientRequest): Promise<ClientResponse> {
    this.writes.push(`${req.method} ${req.path} ${JSON.stringify(req.body)}`);
    return { code: 200, body: req.body ?? {} };
  }
  watch(): ClientWatch {
    throw new Error('not watched');
  }
  async close(): Promise<void> {}
}

const self: corev1.Node = { metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'host-1' } } };
const onHost = (host: string): corev1.VolumeNodeAffinity => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [host] }] }] } });

function volume(name: string, path: string, opts: { host?: string; reclaim?: string; deleting?: boolean; finalizers?: string[] } = {}): Volume {
  return {
    metadata: {
      name,
      resourceVersion: '9',
      finalizers: opts.finalizers ?? ['kubernetes.io/pv-protection', 'tsk8s.io/local-path-cleanup'],
      ...(opts.deleting === false ? {} : { deletionTimestamp: '2026-01-01T00:00:00Z' }),
    },
    spec: {
      claimRef: { namespace: 'default', name: `claim-${name}` },
      persistentVolumeReclaimPolicy: opts.reclaim ?? 'Delete', hostPath: { path, type: 'DirectoryOrCreate' },
      nodeAffinity: onHost(opts.host ?? 'host-1'),
    },
  };
}

function setup(t: Test, volumes: Volume[]) {
  const root = mkdtempSync(join(tmpdir(), 'tsk8s-cleanup-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const storageDir = join(root, 'storage');
  const transport = new PatchRecorder();
  const handlers: InformerHandlers<Volume>[] = [];
  const byName = new Map(volumes.map((v) => [v.metadata?.name ?? '', v]));
  const inUse = new Set<string>();
  const cleaner = new LocalPathCleaner({
    client: new Client(transport),
    volumes: { get: (name) => byName.get(name), addEventHandler: (h) => (handlers.push(h), () => undefined) },
    node: async () => self,
    storageDir,
    claimInUse: (ns, claim) => inUse.has(`${ns}/${claim}`),
    inUseRetryMs: 60_000,
    logger: silentLogger,
  });
  const made = (name: string): string => {
    const dir = join(storageDir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'data'), 'x');
    return dir;
  };
  return { root, storageDir, transport, handlers, cleaner, made, byName, inUse };
}

t.test('a terminating volume of this node: directory removed, then the finalizer', async (t) => {
  const s = setup(t, []);
  const dir = s.made('pvc-1_default_data');
  s.byName.set('pvc-1', volume('pvc-1', dir));
  await s.cleaner.sync('pvc-1');
  t.notOk(existsSync(dir));
  t.ok(existsSync(s.storageDir), 'the storage dir itself stays');
  t.same(s.transport.writes, ['PATCH /api/v1/persistentvolumes/pvc-1 {"metadata":{"finalizers":["kubernetes.io/pv-protection"],"resourceVersion":"9"}}']);
});

t.test('what the kubelet leaves alone', async (t) => {
  const s = setup(t, []);
  const dir = s.made('pvc-2_default_data');
  s.byName.set('alive', volume('alive', dir, { deleting: false }));
  s.byName.set('elsewhere', volume('elsewhere', dir, { host: 'host-2' }));
  s.byName.set('foreign', volume('foreign', dir, { finalizers: ['kubernetes.io/pv-protection'] }));
  const outside = join(s.root, 'outside');
  mkdirSync(outside);
  s.byName.set('outside', volume('outside', outside));
  s.byName.set('escape', volume('escape', join(s.storageDir, '..', 'outside')));
  for (const name of ['alive', 'elsewhere', 'foreign', 'outside', 'escape', 'missing']) await s.cleaner.sync(name);
  t.ok(existsSync(dir) && existsSync(outside));
  t.same(s.transport.writes, []);

  s.byName.set('kept', volume('kept', dir, { reclaim: 'Retain' }));
  await s.cleaner.sync('kept');
  t.ok(existsSync(dir), 'a volume whose policy became Retain keeps its data');
  t.equal(s.transport.writes.length, 1, 'but loses the finalizer');
});

t.test('a volume whose claim a pod of this node still mounts waits', async (t) => {
  const s = setup(t, []);
  const dir = s.made('pvc-3_default_data');
  s.byName.set('pvc-3', volume('pvc-3', dir));
  s.inUse.add('default/claim-pvc-3');
  await s.cleaner.sync('pvc-3');
  t.ok(existsSync(dir));
  t.same(s.transport.writes, []);
  s.inUse.clear();
  await s.cleaner.sync('pvc-3');
  t.notOk(existsSync(dir), 'removed once no pod uses it');
  s.cleaner.queue.shutDown();

  const pod = (phase: string): corev1.Pod => ({
    metadata: { name: 'p' },
    spec: { containers: [], volumes: [{ name: 'a', persistentVolumeClaim: { claimName: 'data' } }, { name: 'tmp', ephemeral: {} }] },
    status: { phase },
  });
  t.ok(podUsesClaim(pod('Running'), 'data'));
  t.ok(podUsesClaim(pod('Pending'), 'p-tmp'), 'generic ephemeral volumes name their claim <pod>-<volume>');
  t.notOk(podUsesClaim(pod('Running'), 'other'));
  t.notOk(podUsesClaim(pod('Succeeded'), 'data'), 'a finished pod uses nothing');
});

t.test('only terminating volumes with the finalizer are queued', async (t) => {
  const s = setup(t, []);
  const [h] = s.handlers;
  h?.onAdd?.(volume('a', '/x', { deleting: false }), false);
  h?.onUpdate?.(volume('b', '/x', { deleting: false }), volume('b', '/x'));
  h?.onAdd?.(volume('c', '/x', { finalizers: [] }), false);
  t.equal(s.cleaner.queue.length, 1);
  t.equal(await s.cleaner.queue.get(), 'b');
  s.cleaner.queue.shutDown();
});

t.test('node affinity and containment helpers', async (t) => {
  t.ok(affinityMatchesNode(volume('v', '/x'), self));
  t.notOk(affinityMatchesNode(volume('v', '/x', { host: 'other' }), self));
  const byName: Volume = { spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] } } } };
  t.ok(affinityMatchesNode(byName, self));
  t.notOk(affinityMatchesNode({ spec: {} }, self), 'no affinity is no claim on this node');
  t.ok(isInside('/s', '/s/pvc-1'));
  t.notOk(isInside('/s', '/s'));
  t.notOk(isInside('/s', '/s/../etc'));
  t.notOk(isInside('/s', '/st/x'));
  t.notOk(isInside('/s', ''));
});

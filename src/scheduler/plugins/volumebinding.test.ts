import t from 'tap';
import type { corev1, storagev1 } from '../../api/types.js';
import { Code } from '../framework/status.js';
import { cycleContext, makeNode, makePod, nodeInfo } from '../testing.fixture.js';
import { selectedNodeAnnotation, volumeBinding, type VolumeAccess } from './volumebinding.js';

function claim(name: string, storageClassName: string, volumeName?: string): corev1.PersistentVolumeClaim {
  return { metadata: { name, namespace: 'default' }, spec: { storageClassName, volumeName, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
}

function localVolume(name: string, node: string, size = '2Gi', storageClassName = 'manual'): corev1.PersistentVolume {
  return {
    metadata: { name },
    spec: {
      storageClassName,
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce'],
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } },
    },
    status: { phase: 'Available' },
  };
}

const classes: Record<string, storagev1.StorageClass> = {
  'local-path': { metadata: { name: 'local-path' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' },
  manual: { metadata: { name: 'manual' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' },
  immediate: { metadata: { name: 'immediate' }, provisioner: 'example.com/x', volumeBindingMode: 'Immediate' },
};

function fakeAccess(claims: corev1.PersistentVolumeClaim[], volumes: corev1.PersistentVolume[], log: string[] = []): VolumeAccess {
  return {
    claim: (_ns, name) => claims.find((c) => c.metadata?.name === name),
    volume: (name) => volumes.find((v) => v.metadata?.name === name),
    volumes: () => volumes,
    storageClass: (name) => classes[name],
    bindVolume: async (pv, c) => void log.push(`bind ${pv.metadata?.name} to ${c.metadata?.name}`),
    selectNode: async (c, node) => void log.push(`annotate ${c.metadata?.name} ${selectedNodeAnnotation}=${node}`),
    waitBound: async (cs) => void log.push(`wait ${cs.map((c) => c.metadata?.name).join(',')}`),
  };
}

const withClaim = (name: string) => {
  const p = makePod();
  p.obj.spec!.volumes = [{ name: 'data', persistentVolumeClaim: { claimName: name } }];
  return p;
};

const nodes = [nodeInfo(makeNode('a')), nodeInfo(makeNode('b'))];

const cases = [
  { name: 'no claims: skipped', pod: makePod(), claims: [], volumes: [], pre: Code.Skip, want: {} },
  { name: 'missing claim', pod: withClaim('nope'), claims: [], volumes: [], pre: 'persistentvolumeclaim "nope" not found', want: {} },
  { name: 'unbound Immediate claim waits', pod: withClaim('c'), claims: [claim('c', 'immediate')], volumes: [], pre: 'pod has unbound immediate PersistentVolumeClaims', want: {} },
  {
    name: 'bound claim follows its volume node affinity',
    pod: withClaim('c'),
    claims: [claim('c', 'manual', 'pv-b')],
    volumes: [localVolume('pv-b', 'b')],
    pre: Code.Success,
    want: { a: 'node(s) had volume node affinity conflict', b: Code.Success },
  },
  {
    name: 'WaitForFirstConsumer without a provisioner needs an available volume on the node',
    pod: withClaim('c'),
    claims: [claim('c', 'manual')],
    volumes: [localVolume('pv-a', 'a'), localVolume('small-b', 'b', '100Mi')],
    pre: Code.Success,
    want: { a: Code.Success, b: "node(s) didn't find available persistent volumes to bind" },
  },
  { name: 'WaitForFirstConsumer with a provisioner fits anywhere', pod: withClaim('c'), claims: [claim('c', 'local-path')], volumes: [], pre: Code.Success, want: { a: Code.Success, b: Code.Success } },
];

for (const c of cases) {
  t.test(c.name, async (t) => {
    const plugin = volumeBinding(fakeAccess(c.claims, c.volumes));
    const ctx = cycleContext(c.pod, nodes);
    const pre = plugin.preFilter(ctx);
    if (pre.code === Code.Skip || pre.code === Code.Success) t.equal(pre.code, c.pre);
    else t.same(pre.reasons, [c.pre]);
    for (const [node, want] of Object.entries(c.want)) {
      const s = plugin.filter(ctx, nodes.find((n) => n.name === node)!);
      if (want === Code.Success) t.equal(s.code, Code.Success, node);
      else t.same(s.reasons, [want], node);
    }
  });
}

t.test('PreBind binds a static volume or asks for provisioning, then waits', async (t) => {
  const log: string[] = [];
  const plugin = volumeBinding(fakeAccess([claim('static', 'manual'), claim('dynamic', 'local-path')], [localVolume('pv-a', 'a')], log));
  const pod = makePod();
  pod.obj.spec!.volumes = [
    { name: 'x', persistentVolumeClaim: { claimName: 'static' } },
    { name: 'y', persistentVolumeClaim: { claimName: 'dynamic' } },
  ];
  t.equal((await plugin.preBind(pod.obj, makeNode('a').obj)).code, Code.Success);
  t.same(log, ['bind pv-a to static', `annotate dynamic ${selectedNodeAnnotation}=a`, 'wait static,dynamic']);
});

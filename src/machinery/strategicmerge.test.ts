import t from 'tap';
import { patchMetaFor, type PatchMeta } from '../api/patchmeta/index.js';
import { applyStrategicMergePatch } from './strategicmerge.js';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function metaOf(group: string, kind: string): PatchMeta {
  const meta = patchMetaFor(group, kind);
  if (meta === undefined) throw new Error(`no patch metadata for ${group}/${kind}`);
  return meta;
}

/** Applies with frozen inputs, so any attempt to modify them throws. */
function apply(group: string, kind: string, original: unknown, patch: unknown): unknown {
  return applyStrategicMergePatch(deepFreeze(original), deepFreeze(patch), metaOf(group, kind));
}

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'fe' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'nginx',
            image: 'nginx:1.25',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [
              { name: 'A', value: '1' },
              { name: 'B', value: '2' },
            ],
          },
          { name: 'sidecar', image: 'busybox', args: ['sleep', '3600'] },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
  },
});

type Deployment = ReturnType<typeof deployment>;
const podSpec = (obj: unknown) => (obj as Deployment).spec.template.spec;

t.test('kubectl set image: merges the container by name and keeps its other fields', async (t) => {
  const patch = {
    spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ image: 'nginx:1.27', name: 'nginx' }] } } },
  };
  const out = apply('apps', 'Deployment', deployment(), patch);
  const want = deployment();
  want.spec.template.spec.containers[0]!.image = 'nginx:1.27';
  t.same(out, want);
});

t.test('kubectl rollout restart: adds a template annotation', async (t) => {
  const at = '2025-01-01T00:00:00Z';
  const out = apply('apps', 'Deployment', deployment(), {
    spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } },
  });
  t.same((out as Deployment).spec.template.metadata, { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': at } });
  t.same(podSpec(out), deployment().spec.template.spec);
});

t.test('kubectl patch: a scalar replaces, maps merge, null deletes a key', async (t) => {
  const out = apply('apps', 'Deployment', deployment(), { spec: { replicas: 5 }, metadata: { labels: { tier: null, team: 'x' } } }) as Deployment;
  t.equal(out.spec.replicas, 5);
  t.same(out.metadata.labels, { app: 'web', team: 'x' });
  t.same(out.spec.template, deployment().spec.template);
});

t.test('env merges by name, new entries appended', async (t) => {
  const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }] }] } } } };
  const out = apply('apps', 'Deployment', deployment(), patch);
  t.same(podSpec(out).containers[0]!.env, [
    { name: 'A', value: '1' },
    { name: 'B', value: 'two' },
    { name: 'C', value: '3' },
  ]);
  t.same(podSpec(out).containers[0]!.ports, [{ containerPort: 80, protocol: 'TCP' }], 'ports untouched');
});

t.test('the patch order wins over the server order for the elements it names', async (t) => {
  // An unnamed server element goes after a patch element it did not precede on the server.
  const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'D', value: '4' }, { name: 'B', value: 'two' }] }] } } } };
  const out = apply('apps', 'Deployment', deployment(), patch);
  t.same(podSpec(out).containers[0]!.env?.map((e) => e.name), ['D', 'A', 'B']);
});

t.test('ports merge by containerPort', async (t) => {
  const patch = { spec: { template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443 }] }] } } } };
  const out = apply('apps', 'Deployment', deployment(), patch);
  t.same(podSpec(out).containers[0]!.ports, [{ containerPort: 80, protocol: 'TCP', name: 'http' }, { containerPort: 443 }]);
});

t.test('$patch: delete removes list elements by key', async (t) => {
  const patch = {
    spec: {
      template: {
        spec: {
          containers: [
            { name: 'sidecar', $patch: 'delete' },
            { name: 'nginx', env: [{ name: 'A', $patch: 'delete' }] },
          ],
        },
      },
    },
  };
  const out = apply('apps', 'Deployment', deployment(), patch);
  t.same(podSpec(out).containers.map((c) => c.name), ['nginx']);
  t.same(podSpec(out).containers[0]!.env, [{ name: 'B', value: '2' }]);
});

t.test('$setElementOrder reorders a merged list', async (t) => {
  const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'nginx' }] } } } };
  const out = apply('apps', 'Deployment', deployment(), patch);
  t.same(podSpec(out).containers.map((c) => c.name), ['sidecar', 'nginx']);
  t.same(podSpec(out).containers[1], deployment().spec.template.spec.containers[0]);
});

t.test('$setElementOrder with a deletion and an addition (client-side apply)', async (t) => {
  const patch = {
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'cache' }],
          containers: [{ name: 'cache', image: 'redis' }, { name: 'sidecar', $patch: 'delete' }],
        },
      },
    },
  };
  const out = apply('apps', 'Deployment', deployment(), patch);
  t.same(podSpec(out).containers.map((c) => [c.name, c.image]), [
    ['nginx', 'nginx:1.25'],
    ['cache', 'redis'],
  ]);
});

t.test('kubectl apply: a three-way patch with nested order lists and deletions', async (t) => {
  const lastApplied = '{"kind":"Deployment"}';
  const patch = {
    metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied } },
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }],
          containers: [
            { '$setElementOrder/env': [{ name: 'A' }], env: [{ $patch: 'delete', name: 'B' }], image: 'nginx:1.27', name: 'nginx' },
            { '$deleteFromPrimitiveList/args': ['3600'], name: 'sidecar' },
          ],
        },
      },
    },
  };
  const out = apply('apps', 'Deployment', deployment(), patch) as Deployment & { metadata: { annotations: unknown } };
  t.same(out.metadata.annotations, { 'kubectl.kubernetes.io/last-applied-configuration': lastApplied });
  t.same(podSpec(out).containers, [
    { name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] },
    { name: 'sidecar', image: 'busybox', args: ['sleep'] },
  ]);
});

t.test('server-only elements keep their place relative to the ordered ones', async (t) => {
  const original = { spec: { containers: [{ name: 'a' }, { name: 'server' }, { name: 'b' }] } };
  const patch = { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }, { name: 'c' }], containers: [{ name: 'c' }] } };
  const out = apply('', 'Pod', original, patch) as { spec: { containers: { name: string }[] } };
  t.same(out.spec.containers.map((c) => c.name), ['a', 'server', 'b', 'c']);
});

t.test('$retainKeys on a volume switches its source', async (t) => {
  const patch = {
    spec: {
      template: {
        spec: {
          '$setElementOrder/volumes': [{ name: 'data' }],
          volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'settings' }, emptyDir: null, name: 'data' }],
        },
      },
    },
  };
  const out = apply('apps', 'Deployment', deployment(), patch);
  t.same(podSpec(out).volumes, [{ name: 'data', configMap: { name: 'settings' } }]);
});

t.test('$retainKeys on the deployment strategy drops rollingUpdate when switching to Recreate', async (t) => {
  const out = apply('apps', 'Deployment', deployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } }) as Deployment;
  t.same(out.spec.strategy, { type: 'Recreate' });
  const without = apply('apps', 'Deployment', deployment(), { spec: { strategy: { type: 'Recreate' } } }) as Deployment;
  t.same(without.spec.strategy.rollingUpdate, { maxSurge: '25%', maxUnavailable: '25%' }, 'without the directive nothing is dropped');
});

t.test('finalizers: merged as an ordered set, removed with $deleteFromPrimitiveList', async (t) => {
  const original = { metadata: { name: 'cm', finalizers: ['a', 'b', 'c'] } };
  t.same(apply('', 'ConfigMap', original, { metadata: { finalizers: ['c', 'd'] } }), { metadata: { name: 'cm', finalizers: ['a', 'b', 'c', 'd'] } });
  t.same(apply('', 'ConfigMap', original, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'x'] } }), { metadata: { name: 'cm', finalizers: ['a', 'c'] } });
  const ordered = { metadata: { '$setElementOrder/finalizers': ['c', 'a'], '$deleteFromPrimitiveList/finalizers': ['b'] } };
  t.same(apply('', 'ConfigMap', original, ordered), { metadata: { name: 'cm', finalizers: ['c', 'a'] } });
  t.same(apply('', 'ConfigMap', { metadata: { name: 'cm' } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }), { metadata: { name: 'cm' } }, 'no list is created');
});

t.test('ownerReferences merge by uid', async (t) => {
  const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1', controller: true };
  const original = { metadata: { name: 'p', ownerReferences: [owner] } };
  const out = apply('', 'Pod', original, { metadata: { ownerReferences: [{ uid: 'u1', blockOwnerDeletion: true }, { uid: 'u2', kind: 'Job', name: 'j', apiVersion: 'batch/v1' }] } });
  t.same((out as { metadata: { ownerReferences: unknown[] } }).metadata.ownerReferences, [
    { ...owner, blockOwnerDeletion: true },
    { uid: 'u2', kind: 'Job', name: 'j', apiVersion: 'batch/v1' },
  ]);
});

t.test('pod status conditions merge by type', async (t) => {
  const original = {
    status: {
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'ContainersNotReady' },
      ],
    },
  };
  const out = apply('', 'Pod', original, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', reason: null }] } });
  t.same(out, { status: { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'True' }] } });
});

t.test('lists without a strategy are replaced', async (t) => {
  const original = { spec: { tolerations: [{ key: 'a' }, { key: 'b' }], containers: [{ name: 'c', args: ['x', 'y'] }] } };
  const out = apply('', 'Pod', original, { spec: { tolerations: [{ key: 'c' }], containers: [{ name: 'c', args: ['z'] }] } });
  t.same(out, { spec: { tolerations: [{ key: 'c' }], containers: [{ name: 'c', args: ['z'] }] } });
});

t.test('service ports merge by port, node podCIDRs as a set', async (t) => {
  const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
  t.same(apply('', 'Service', svc, { spec: { ports: [{ port: 80, name: 'http' }] } }), { spec: { ports: [{ port: 80, targetPort: 8080, name: 'http' }, { port: 443 }] } });
  t.same(apply('', 'Node', { spec: { podCIDRs: ['10.42.0.0/24'] } }, { spec: { podCIDRs: ['10.42.0.0/24', 'fd00::/64'] } }), { spec: { podCIDRs: ['10.42.0.0/24', 'fd00::/64'] } });
});

t.test('the disruption budget selector is replaced whole', async (t) => {
  const pdb = { spec: { minAvailable: 1, selector: { matchLabels: { app: 'web', tier: 'fe' } } } };
  t.same(apply('policy', 'PodDisruptionBudget', pdb, { spec: { selector: { matchLabels: { app: 'api' } } } }), { spec: { minAvailable: 1, selector: { matchLabels: { app: 'api' } } } });
  t.same(apply('apps', 'Deployment', { spec: { selector: { matchLabels: { app: 'web' } } } }, { spec: { selector: { matchLabels: { x: 'y' } } } }), { spec: { selector: { matchLabels: { app: 'web', x: 'y' } } } }, 'other selectors merge');
});

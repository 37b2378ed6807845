import t from 'tap';
import type { appsv1 } from '../api/types.js';
import { DeploymentController } from './deployment.js';
import { computeTemplateHash, revisionAnnotation, templateHashLabel } from './deployment-revisions.js';
import { FakeLister, FakeRecorder, recordingClient } from './testing.fixture.js';

type Deployment = appsv1.Deployment;
type ReplicaSet = appsv1.ReplicaSet;

function makeDeployment(replicas: number, image: string, strategy: appsv1.DeploymentStrategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'd-web', generation: 2, resourceVersion: '5' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } },
      strategy,
      progressDeadlineSeconds: 600,
      revisionHistoryLimit: 10,
    },
  };
}

/** The ReplicaSet the controller would have made for `d`'s template, sized and with status. */
function rsFor(d: Deployment, image: string, opts: { replicas: number; available?: number; revision: number; created?: string }): ReplicaSet {
  const template = structuredClone(d.spec!.template);
  template.spec!.containers[0]!.image = image;
  const hash = computeTemplateHash(template);
  template.metadata = { labels: { app: 'web', [templateHashLabel]: hash } };
  const available = opts.available ?? opts.replicas;
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `web-${hash}`,
      namespace: 'default',
      uid: `rs-${image}`,
      generation: 1,
      resourceVersion: '3',
      creationTimestamp: opts.created ?? `2026-01-0${opts.revision}T00:00:00Z`,
      labels: template.metadata.labels,
      annotations: { [revisionAnnotation]: String(opts.revision), 'deployment.kubernetes.io/desired-replicas': String(d.spec!.replicas), 'deployment.kubernetes.io/max-replicas': String((d.spec!.replicas ?? 0) + 1) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd-web', controller: true }],
    },
    spec: { replicas: opts.replicas, selector: { matchLabels: { app: 'web', [templateHashLabel]: hash } }, template },
    status: { replicas: opts.replicas, readyReplicas: available, availableReplicas: available, observedGeneration: 1 },
  };
}

function setup(d: Deployment, rss: ReplicaSet[]) {
  const { client, transport } = recordingClient();
  const recorder = new FakeRecorder();
  transport.objects.set('deployments/default/web', d);
  const controller = new DeploymentController({ client, deployments: new FakeLister([d]), replicaSets: new FakeLister(rss), pods: new FakeLister([]), recorder, now: () => new Date('2026-06-01T00:00:00Z') });
  return { controller, transport, recorder };
}

t.test('a new Deployment creates its first ReplicaSet named <deployment>-<hash> at full size, revision 1', async (t) => {
  const d = makeDeployment(3, 'nginx:1');
  const { controller, transport, recorder } = setup(d, []);
  await controller.sync('default/web');
  const hash = computeTemplateHash(d.spec!.template);
  t.same(transport.summary(), ['create replicasets', 'patch deployments/web', 'update deployments/web/status']);
  const [rs] = transport.bodies<ReplicaSet>('create', 'replicasets');
  t.equal(rs?.metadata?.name, `web-${hash}`);
  t.equal(rs?.spec?.replicas, 3);
  t.same(rs?.spec?.selector?.matchLabels, { app: 'web', [templateHashLabel]: hash });
  t.equal(rs?.spec?.template?.metadata?.labels?.[templateHashLabel], hash);
  t.equal(rs?.metadata?.annotations?.[revisionAnnotation], '1');
  t.match(rs?.metadata?.ownerReferences, [{ kind: 'Deployment', name: 'web', uid: 'd-web', controller: true }]);
  t.same(transport.bodies('patch', 'deployments/web'), [{ metadata: { annotations: { [revisionAnnotation]: '1' } } }]);
  const [status] = transport.bodies<Deployment>('update', 'deployments/web/status');
  t.match(status?.status?.conditions, [{ type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated' }, { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }]);
  t.same(recorder.events, [`Normal ScalingReplicaSet Scaled up replica set web-${hash} from 0 to 3`]);
});

t.test('rolling update with maxSurge 1, maxUnavailable 0: surge one new pod, then shrink old only as new ones become available', async (t) => {
  const strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } };
  const d = makeDeployment(3, 'nginx:2', strategy);
  d.metadata!.annotations = { [revisionAnnotation]: '1' };
  const old = rsFor(d, 'nginx:1', { replicas: 3, revision: 1 });

  // Step 1: new ReplicaSet created with one replica (3 + 1 surge = 4 total).
  let s = setup(d, [old]);
  await s.controller.sync('default/web');
  t.same(s.transport.summary(), ['create replicasets', 'patch deployments/web', 'update deployments/web/status']);
  const [created] = s.transport.bodies<ReplicaSet>('create', 'replicasets');
  t.equal(created?.spec?.replicas, 1);
  t.equal(created?.metadata?.annotations?.[revisionAnnotation], '2');

  // Step 2: the new pod is not available yet: nothing may be scaled down.
  const fresh = rsFor(d, 'nginx:2', { replicas: 1, available: 0, revision: 2 });
  d.metadata!.annotations = { [revisionAnnotation]: '2' };
  s = setup(d, [old, fresh]);
  await s.controller.sync('default/web');
  t.same(s.transport.summary(), ['update deployments/web/status'], 'no scaling while the surge pod is unavailable');

  // Step 3: it became available: the old ReplicaSet shrinks by one.
  const ready = rsFor(d, 'nginx:2', { replicas: 1, available: 1, revision: 2 });
  s = setup(d, [old, ready]);
  await s.controller.sync('default/web');
  t.same(s.transport.summary(), [`update replicasets/${old.metadata!.name}`, 'update deployments/web/status']);
  t.equal(s.transport.bodies<ReplicaSet>('update', `replicasets/${old.metadata!.name}`)[0]?.spec?.replicas, 2);
  t.ok(s.recorder.events.includes(`Normal ScalingReplicaSet Scaled down replica set ${old.metadata!.name} from 3 to 2`));

  // Step 4: old at 2, new at 1 available: the new one grows to 2 (total 4).
  const old2 = rsFor(d, 'nginx:1', { replicas: 2, revision: 1 });
  s = setup(d, [old2, ready]);
  await s.controller.sync('default/web');
  t.same(s.transport.summary(), [`update replicasets/${ready.metadata!.name}`, 'update deployments/web/status']);
  t.equal(s.transport.bodies<ReplicaSet>('update', `replicasets/${ready.metadata!.name}`)[0]?.spec?.replicas, 2);
});

t.test('maxUnavailable lets old pods go before new ones exist', async (t) => {
  const d = makeDeployment(4, 'nginx:2', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 2 } });
  d.metadata!.annotations = { [revisionAnnotation]: '2' };
  const old = rsFor(d, 'nginx:1', { replicas: 4, revision: 1 });
  const fresh = rsFor(d, 'nginx:2', { replicas: 0, available: 0, revision: 2 });
  const s = setup(d, [old, fresh]);
  await s.controller.sync('default/web');
  t.same(s.transport.summary(), [`update replicasets/${old.metadata!.name}`, 'update deployments/web/status']);
  t.equal(s.transport.bodies<ReplicaSet>('update', `replicasets/${old.metadata!.name}`)[0]?.spec?.replicas, 2, 'down by maxUnavailable');
});

t.test('a complete rollout reports NewReplicaSetAvailable and MinimumReplicasAvailable', async (t) => {
  const d = makeDeployment(3, 'nginx:2');
  d.metadata!.annotations = { [revisionAnnotation]: '2' };
  const old = rsFor(d, 'nginx:1', { replicas: 0, revision: 1 });
  const fresh = rsFor(d, 'nginx:2', { replicas: 3, revision: 2 });
  const s = setup(d, [old, fresh]);
  await s.controller.sync('default/web');
  t.same(s.transport.summary(), ['update deployments/web/status']);
  const [status] = s.transport.bodies<Deployment>('update', 'deployments/web/status');
  t.match(status?.status, {
    observedGeneration: 2,
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 3,
    availableReplicas: 3,
    unavailableReplicas: 0,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${fresh.metadata!.name}" has successfully progressed.` },
    ],
  });
});

t.test('Recreate scales every old ReplicaSet to zero before creating the new one', async (t) => {
  const d = makeDeployment(2, 'nginx:2', { type: 'Recreate' });
  d.metadata!.annotations = { [revisionAnnotation]: '1' };
  const old = rsFor(d, 'nginx:1', { replicas: 2, revision: 1 });
  let s = setup(d, [old]);
  await s.controller.sync('default/web');
  t.same(s.transport.summary(), [`update replicasets/${old.metadata!.name}`, 'update deployments/web/status']);
  t.equal(s.transport.bodies<ReplicaSet>('update', `replicasets/${old.metadata!.name}`)[0]?.spec?.replicas, 0);

  const drained: ReplicaSet = { ...rsFor(d, 'nginx:1', { replicas: 0, revision: 1 }), status: { replicas: 1, availableReplicas: 0 } };
  s = setup(d, [drained]);
  await s.controller.sync('default/web');
  t.notOk(s.transport.summary().includes('create replicasets'), 'waits while an old pod remains');

  s = setup(d, [rsFor(d, 'nginx:1', { replicas: 0, revision: 1 })]);
  await s.controller.sync('default/web');
  t.same(s.transport.summary().slice(0, 2), ['create replicasets', 'patch deployments/web']);
  t.equal(s.transport.bodies<ReplicaSet>('create', 'replicasets')[0]?.spec?.replicas, 2);
});

t.test('scaling a settled Deployment resizes its only active ReplicaSet', async (t) => {
  const d = makeDeployment(5, 'nginx:1');
  d.metadata!.annotations = { [revisionAnnotation]: '1' };
  const rs = rsFor(d, 'nginx:1', { replicas: 3, revision: 1 });
  rs.metadata!.annotations!['deployment.kubernetes.io/desired-replicas'] = '3';
  const s = setup(d, [rs]);
  await s.controller.sync('default/web');
  t.same(s.transport.summary(), [`update replicasets/${rs.metadata!.name}`, 'update deployments/web/status']);
  const [update] = s.transport.bodies<ReplicaSet>('update', `replicasets/${rs.metadata!.name}`);
  t.equal(update?.spec?.replicas, 5);
  t.equal(update?.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '5');
});

t.test('old ReplicaSets beyond revisionHistoryLimit are deleted, oldest first', async (t) => {
  const d = makeDeployment(1, 'nginx:4');
  d.spec!.revisionHistoryLimit = 1;
  d.metadata!.annotations = { [revisionAnnotation]: '4' };
  const rss = [rsFor(d, 'nginx:1', { replicas: 0, revision: 1 }), rsFor(d, 'nginx:2', { replicas: 0, revision: 2 }), rsFor(d, 'nginx:3', { replicas: 0, revision: 3 }), rsFor(d, 'nginx:4', { replicas: 1, revision: 4 })];
  const s = setup(d, rss);
  await s.controller.sync('default/web');
  t.same(s.transport.summary(), [`delete replicasets/${rss[0]!.metadata!.name}`, `delete replicasets/${rss[1]!.metadata!.name}`, 'update deployments/web/status']);
});

t.test('a paused Deployment does not roll out', async (t) => {
  const d = makeDeployment(2, 'nginx:2');
  d.spec!.paused = true;
  d.metadata!.annotations = { [revisionAnnotation]: '1' };
  const old = rsFor(d, 'nginx:1', { replicas: 2, revision: 1 });
  old.metadata!.annotations!['deployment.kubernetes.io/max-replicas'] = '3';
  const s = setup(d, [old]);
  await s.controller.sync('default/web');
  t.notOk(s.transport.summary().includes('create replicasets'));
  const statuses = s.transport.bodies<Deployment>('update', 'deployments/web/status');
  t.match(statuses[0]?.status?.conditions, [{ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused' }]);
});

t.test('scaling mid-rollout spreads the new replicas over old and new ReplicaSets in proportion', async (t) => {
  const d = makeDeployment(15, 'nginx:2');
  d.metadata!.annotations = { [revisionAnnotation]: '2' };
  const mark = (rs: ReplicaSet): ReplicaSet => ({
    ...rs,
    metadata: { ...rs.metadata, annotations: { ...rs.metadata!.annotations, 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': '13' } },
  });
  const old = mark(rsFor(d, 'nginx:1', { replicas: 8, revision: 1 }));
  const fresh = mark(rsFor(d, 'nginx:2', { replicas: 4, available: 0, revision: 2 }));
  const s = setup(d, [old, fresh]);
  await s.controller.sync('default/web');
  const oldTo = s.transport.bodies<ReplicaSet>('update', `replicasets/${old.metadata!.name}`)[0]?.spec?.replicas ?? 8;
  const newTo = s.transport.bodies<ReplicaSet>('update', `replicasets/${fresh.metadata!.name}`)[0]?.spec?.replicas ?? 4;
  t.equal(oldTo + newTo, 19, 'replicas + maxSurge in all');
  t.ok(oldTo > 8 && newTo > 4, `both grow (old ${oldTo}, new ${newTo})`);
  t.notOk(s.transport.summary().includes('create replicasets'));
});

import t from 'tap';
import type { appsv1 } from '../types.js';
import { ago, cellsOf, hour, now } from './builders.fixture.js';
import { controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, podTemplatePrinter, replicaSetPrinter, replicationControllerPrinter, statefulSetPrinter } from './workloads.js';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } };
const meta = { name: 'web', namespace: 'default', creationTimestamp: ago(3 * hour) };

function deployment(replicas: number | undefined, status: appsv1.DeploymentStatus): appsv1.Deployment {
  return { metadata: meta, spec: { ...(replicas === undefined ? {} : { replicas }), selector: { matchLabels: { app: 'web' } }, template }, status };
}

t.test('deployment Ready is ready/desired', async (t) => {
  const cases: [string, appsv1.Deployment, unknown[]][] = [
    ['2 of 3 ready', deployment(3, { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 }), ['web', '2/3', 3, 2, '3h']],
    ['nothing ready yet', deployment(3, {}), ['web', '0/3', 0, 0, '3h']],
    ['replicas defaults to 1', deployment(undefined, { readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 }), ['web', '1/1', 1, 1, '3h']],
    ['scaled to zero', deployment(0, {}), ['web', '0/0', 0, 0, '3h']],
  ];
  for (const [name, obj, want] of cases) t.same(cellsOf(deploymentPrinter, obj).slice(0, 5), want, name);
  t.same(cellsOf(deploymentPrinter, deployment(3, {})).slice(5), ['app,log', 'nginx:1.27,busybox', 'app=web']);
  t.same(
    deploymentPrinter.columns.map((c) => `${c.name}:${c.priority}`),
    ['Name:0', 'Ready:0', 'Up-to-date:0', 'Available:0', 'Age:0', 'Containers:1', 'Images:1', 'Selector:1'],
  );
});

t.test('replica sets and replication controllers count desired, current, ready', async (t) => {
  const rs: appsv1.ReplicaSet = { metadata: meta, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }, status: { replicas: 3, readyReplicas: 1 } };
  t.same(cellsOf(replicaSetPrinter, rs), ['web', 3, 3, 1, '3h', 'app,log', 'nginx:1.27,busybox', 'app=web']);
  const rc = { metadata: meta, spec: { replicas: 2, selector: { app: 'web' }, template }, status: { replicas: 2, readyReplicas: 2 } };
  t.same(cellsOf(replicationControllerPrinter, rc), ['web', 2, 2, 2, '3h', 'app,log', 'nginx:1.27,busybox', 'app=web']);
});

t.test('stateful sets and daemon sets', async (t) => {
  const sts = { metadata: meta, spec: { replicas: 3, selector: {}, serviceName: 'web', template }, status: { replicas: 3, readyReplicas: 3 } };
  t.same(cellsOf(statefulSetPrinter, sts), ['web', '3/3', '3h', 'app,log', 'nginx:1.27,busybox']);
  const ds: appsv1.DaemonSet = {
    metadata: meta,
    spec: { selector: { matchLabels: { app: 'web' } }, template: { ...template, spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
    status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1, numberMisscheduled: 0 },
  };
  t.same(cellsOf(daemonSetPrinter, ds), ['web', 2, 2, 1, 2, 1, 'kubernetes.io/os=linux', '3h', 'app,log', 'nginx:1.27,busybox', 'app=web']);
});

t.test('pod templates and controller revisions', async (t) => {
  t.same(cellsOf(podTemplatePrinter, { metadata: meta, template }), ['web', 'app,log', 'nginx:1.27,busybox', 'app=web']);
  const rev: appsv1.ControllerRevision = {
    metadata: { ...meta, name: 'web-7d9f', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u', controller: true }] },
    revision: 2,
  };
  t.same(cellsOf(controllerRevisionPrinter, rev), ['web-7d9f', 'statefulset.apps/web', 2, '3h']);
  t.same(cellsOf(controllerRevisionPrinter, { metadata: meta, revision: 1 }), ['web', '<none>', 1, '3h']);
});

import t from 'tap';
import type { appsv1, corev1, policyv1 } from '../api/types.js';
import { DisruptionController, scaledValue } from './disruption.js';
import { FakeLister, FakeRecorder, recordingClient } from './testing.fixture.js';

const now = new Date('2026-01-02T03:04:05Z');

function pod(name: string, ready: boolean, opts: { owner?: { kind: string; name: string; uid: string }; deleting?: boolean } = {}): corev1.Pod {
  return {
    metadata: {
      name,
      namespace: 'ns',
      labels: { app: 'web' },
      ...(opts.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', ...opts.owner, controller: true }] } : {}),
      ...(opts.deleting ? { deletionTimestamp: '2026-01-02T03:04:00Z' } : {}),
    },
    spec: { containers: [{ name: 'c' }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function budget(spec: policyv1.PodDisruptionBudgetSpec, status?: Partial<policyv1.PodDisruptionBudgetStatus>): policyv1.PodDisruptionBudget {
  return {
    metadata: { name: 'pdb', namespace: 'ns', generation: 2 },
    spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
    ...(status ? { status: { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0, ...status } } : {}),
  };
}

async function syncOnce(b: policyv1.PodDisruptionBudget, pods: corev1.Pod[], objects: Record<string, unknown> = {}) {
  const { client, transport } = recordingClient();
  for (const [k, v] of Object.entries(objects)) transport.objects.set(k, v);
  const recorder = new FakeRecorder();
  const c = new DisruptionController({ client, budgets: new FakeLister([b]), pods: new FakeLister(pods), recorder, now: () => now });
  let error = '';
  await c.sync('ns/pdb').catch((err: unknown) => (error = String(err)));
  const status = transport.bodies<policyv1.PodDisruptionBudget>('update', 'poddisruptionbudgets/pdb/status')[0]?.status;
  return { status, actions: transport.summary(), events: recorder.events, error };
}

t.test('percentages round up', async (t) => {
  t.equal(scaledValue('50%', 3), 2);
  t.equal(scaledValue('10%', 10), 1);
  t.equal(scaledValue(2, 10), 2);
});

t.test('status from minAvailable as a number counts the matching pods', async (t) => {
  const { status } = await syncOnce(budget({ minAvailable: 1 }), [pod('a', true), pod('b', true), pod('c', false), pod('d', true, { deleting: true })]);
  t.match(status, { currentHealthy: 2, desiredHealthy: 1, expectedPods: 4, disruptionsAllowed: 1, observedGeneration: 2 });
  t.match(status?.conditions, [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', observedGeneration: 2 }]);
});

t.test('no disruption allowed below the budget', async (t) => {
  const { status } = await syncOnce(budget({ minAvailable: 2 }), [pod('a', true), pod('b', false)]);
  t.match(status, { currentHealthy: 1, desiredHealthy: 2, disruptionsAllowed: 0 });
  t.match(status?.conditions, [{ status: 'False', reason: 'InsufficientPods' }]);
});

t.test('maxUnavailable and percentages use the owning controller scale', async (t) => {
  const rs: appsv1.ReplicaSet = { metadata: { name: 'web-1', namespace: 'ns', uid: 'rs1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1', controller: true }] }, spec: { replicas: 3, selector: {} } };
  const dep: appsv1.Deployment = { metadata: { name: 'web', namespace: 'ns', uid: 'd1' }, spec: { replicas: 4, selector: {}, template: {} } };
  const owner = { kind: 'ReplicaSet', name: 'web-1', uid: 'rs1' };
  const pods = [pod('a', true, { owner }), pod('b', true, { owner }), pod('c', true, { owner })];
  const objects = { 'replicasets/ns/web-1': rs, 'deployments/ns/web': dep };
  const byMax = await syncOnce(budget({ maxUnavailable: '25%' }), pods, objects);
  t.match(byMax.status, { expectedPods: 4, desiredHealthy: 3, currentHealthy: 3, disruptionsAllowed: 0 });
  const byMin = await syncOnce(budget({ minAvailable: '50%' }), pods, objects);
  t.match(byMin.status, { expectedPods: 4, desiredHealthy: 2, disruptionsAllowed: 1 });
});

t.test('a controller that cannot be found fails the sync safely', async (t) => {
  const { status, error } = await syncOnce(budget({ maxUnavailable: 1 }), [pod('a', true, { owner: { kind: 'ReplicaSet', name: 'gone', uid: 'x' } })]);
  t.match(error, /found no controllers for pod "a"/);
  t.match(status, { disruptionsAllowed: 0, conditions: [{ status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "a"' }] });
});

t.test('evicted pods stay out of the healthy count until the deletion timeout', async (t) => {
  const recent = '2026-01-02T03:03:05Z';
  const stale = '2026-01-02T02:00:00Z';
  const { status } = await syncOnce(budget({ minAvailable: 1 }, { disruptedPods: { a: recent, b: stale, gone: recent } }), [pod('a', true), pod('b', true), pod('c', true)]);
  t.match(status, { currentHealthy: 2, disruptionsAllowed: 1, disruptedPods: { a: recent } });
  t.notOk(status?.disruptedPods?.b, 'stale entry dropped');
  t.notOk(status?.disruptedPods?.gone, 'entry of a deleted pod dropped');
});

t.test('an unchanged status is not written', async (t) => {
  const first = await syncOnce(budget({ minAvailable: 1 }), [pod('a', true)]);
  const again = await syncOnce({ ...budget({ minAvailable: 1 }), status: first.status }, [pod('a', true)]);
  t.same(again.actions, []);
});

// The eviction API and PodDisruptionBudget status, against an in-process
// API server with the disruption controller running. No kubelet runs: the
// test marks pods Running and Ready itself.
import t from 'tap';
import type { corev1, policyv1 } from '../../../src/api/types.js';
import { podDisruptionBudgetsRef } from '../../../src/controllers/disruption.js';
import { eventually, startControllerTest } from '../../helpers/controllers.js';
import { rawClient } from '../../helpers/https.js';

const { api, client } = await startControllerTest(t, { controllers: ['disruption'] });
const call = rawClient({ url: api.url, caPem: api.pki.serverCa.ca.certPem, certPem: api.pki.admin.certPem, keyPem: api.pki.admin.keyPem });
const budgets = client.resource<policyv1.PodDisruptionBudget>(podDisruptionBudgetsRef);

const ns = 'evict';
await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

async function runningPod(name: string, ready = true): Promise<void> {
  const p = await client.pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await client.pods.updateStatus({ ...p, status: { ...p.status, phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } });
}

async function evict(name: string, version = 'v1', query = ''): Promise<{ code: number; body: { reason?: string; message?: string; details?: { causes?: { reason?: string; message?: string }[] } } }> {
  const body = { apiVersion: `policy/${version}`, kind: 'Eviction', metadata: { name, namespace: ns } };
  const res = await call('POST', `/api/v1/namespaces/${ns}/pods/${name}/eviction${query}`, { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  return { code: res.code, body: res.json as never };
}

const exists = async (name: string) => (await client.pods.list({ namespace: ns })).items.some((p) => p.metadata?.name === name);
const status = async () => (await budgets.get('pdb', ns)).status;

await runningPod('a');
await runningPod('b');
await runningPod('sick', false);
await budgets.create({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'pdb', namespace: ns }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } } });

t.test('the disruption controller computes the budget status', async (t) => {
  t.ok(await eventually(async () => (await status())?.observedGeneration === 1));
  t.match(await status(), { currentHealthy: 2, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 0, conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' }] });
});

t.test('an eviction the budget forbids is a 429 naming the budget', async (t) => {
  const res = await evict('a');
  t.equal(res.code, 429);
  t.match(res.body, { reason: 'TooManyRequests', message: "Cannot evict pod as it would violate the pod's disruption budget." });
  t.same(res.body.details?.causes, [{ reason: 'DisruptionBudget', message: 'The disruption budget pdb needs 2 healthy pods and has 2 currently' }]);
  t.ok(await exists('a'), 'the pod stays');
});

t.test('an unready pod may go while the budget is met', async (t) => {
  const res = await evict('sick');
  t.equal(res.code, 201);
  t.notOk(await exists('sick'));
});

t.test('an allowed eviction takes a disruption and deletes the pod', async (t) => {
  const current = await budgets.get('pdb', ns);
  await budgets.update({ ...current, spec: { ...current.spec, minAvailable: 1 } });
  t.ok(await eventually(async () => (await status())?.disruptionsAllowed === 1 && (await status())?.observedGeneration === 2));
  const dry = await evict('a', 'v1', '?dryRun=All');
  t.equal(dry.code, 201);
  t.ok(await exists('a'), 'a dry run deletes nothing');
  t.equal((await status())?.disruptionsAllowed, 1, 'and takes nothing');
  const res = await evict('a', 'v1beta1');
  t.equal(res.code, 201);
  t.notOk(await exists('a'));
  t.ok(await eventually(async () => (await status())?.currentHealthy === 1));
  t.match(await status(), { disruptionsAllowed: 0, desiredHealthy: 1 });
  t.equal((await evict('b')).code, 429, 'the last healthy pod is protected');
});

t.test('pending pods ignore budgets; a missing pod is 404', async (t) => {
  await client.pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pending', namespace: ns, labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  t.equal((await evict('pending')).code, 201);
  const missing = await evict('nothing');
  t.equal(missing.code, 404);
  t.equal(missing.body.message, 'pods "nothing" not found');
});

import t from 'tap';
import type { corev1 } from '../api/types.js';
import type { ObjectLike } from '../client/index.js';
import { ResourceQuotaController } from './resourcequota.js';
import { FakeLister, recordingClient } from './testing.fixture.js';

const now = new Date('2026-01-02T03:04:05Z');

function pod(name: string, requests: Record<string, string>, phase = 'Running'): corev1.Pod {
  return { metadata: { name, namespace: 'ns' }, spec: { containers: [{ name: 'c', resources: { requests } }] }, status: { phase } };
}

function quota(hard: Record<string, string>, status?: corev1.ResourceQuotaStatus, scopes?: string[]): corev1.ResourceQuota {
  return { metadata: { name: 'q', namespace: 'ns' }, spec: { hard, ...(scopes ? { scopes } : {}) }, ...(status ? { status } : {}) };
}

async function syncOnce(q: corev1.ResourceQuota, watched: Record<string, ObjectLike[]>) {
  const { client, transport } = recordingClient();
  const c = new ResourceQuotaController({
    client,
    quotas: new FakeLister([q]),
    watched: Object.entries(watched).map(([gr, objects]) => ({ gr, lister: new FakeLister(objects) })),
    now: () => now,
  });
  await c.sync('ns/q');
  return { status: transport.bodies<corev1.ResourceQuota>('update', 'resourcequotas/q/status')[0]?.status, actions: transport.summary() };
}

t.test('recounts usage of the tracked objects and copies hard into status', async (t) => {
  const hard = { pods: '10', 'count/pods': '10', 'requests.cpu': '2', 'requests.memory': '1Gi', configmaps: '5', services: '2' };
  const { status } = await syncOnce(quota(hard), {
    pods: [pod('a', { cpu: '500m', memory: '128Mi' }), pod('b', { cpu: '250m' }), pod('done', { cpu: '1' }, 'Succeeded')],
    configmaps: [{ metadata: { name: 'x', namespace: 'ns' } }],
    services: [],
  });
  t.same(status, { hard, used: { pods: '2', 'count/pods': '3', 'requests.cpu': '750m', 'requests.memory': '128Mi', configmaps: '1', services: '0' } });
});

t.test('scoped quotas count only matching pods', async (t) => {
  const { status } = await syncOnce(quota({ pods: '5' }, undefined, ['BestEffort']), { pods: [pod('a', {}), pod('b', { cpu: '1' })] });
  t.same(status?.used, { pods: '1' });
});

t.test('an up-to-date status is not written', async (t) => {
  const { actions } = await syncOnce(quota({ pods: '5' }, { hard: { pods: '5' }, used: { pods: '1' } }), { pods: [pod('a', {})] });
  t.same(actions, []);
});

t.test('count/<resource>.<group> lists the resource through the API', async (t) => {
  const { client, transport } = recordingClient();
  const c = new ResourceQuotaController({ client, quotas: new FakeLister([quota({ 'count/deployments.apps': '2' })]), watched: [], now: () => now });
  await c.sync('ns/q').catch(() => undefined);
  t.ok(transport.actions.some((a) => a.verb === 'list' && a.target === 'deployments'), 'deployments listed');
});

// Admission against an in-process API server with the resource quota
// controller running: priority from PriorityClasses, default tolerations,
// LimitRange defaults and limits, and quota refusals and accounting.
import t from 'tap';
import type { corev1, schedulingv1 } from '../../../src/api/types.js';
import { resourceQuotasRef } from '../../../src/controllers/resourcequota.js';
import { ApiError } from '../../../src/machinery/index.js';
import { eventually, startControllerTest } from '../../helpers/controllers.js';

/** The Status of a refused call, or undefined when it succeeded. */
async function refusal(p: Promise<unknown>): Promise<{ code?: number; reason?: string; message?: string } | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    if (err instanceof ApiError) return err.status;
    throw err;
  }
}

const { client } = await startControllerTest(t, { controllers: ['resourcequota'] });
const classes = client.resource<schedulingv1.PriorityClass>({ group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', namespaced: false });
const limitRanges = client.resource<corev1.LimitRange>({ group: '', version: 'v1', resource: 'limitranges', namespaced: true });
const quotas = client.resource<corev1.ResourceQuota>(resourceQuotasRef);

const pod = (name: string, namespace: string, spec: Partial<corev1.PodSpec> = {}, resources?: corev1.ResourceRequirements): corev1.Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace },
  spec: { containers: [{ name: 'c', image: 'nginx', ...(resources ? { resources } : {}) }], ...spec },
});

for (const name of ['prio', 'limits', 'quota']) await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

t.test('the system priority classes exist', async (t) => {
  t.equal((await classes.get('system-node-critical')).value, 2000001000);
  t.equal((await classes.get('system-cluster-critical')).value, 2000000000);
});

t.test('pods get their priority from priorityClassName and default tolerations', async (t) => {
  await classes.create({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000, preemptionPolicy: 'Never' });
  const high = await client.pods.create(pod('high', 'prio', { priorityClassName: 'high' }));
  t.equal(high.spec?.priority, 1000);
  t.equal(high.spec?.preemptionPolicy, 'Never');
  t.same(
    high.spec?.tolerations?.map((x) => `${x.key}:${x.effect}:${x.tolerationSeconds}`),
    ['node.kubernetes.io/not-ready:NoExecute:300', 'node.kubernetes.io/unreachable:NoExecute:300'],
  );
  const plain = await client.pods.create(pod('plain', 'prio'));
  t.equal(plain.spec?.priority, 0);
  t.equal(plain.spec?.preemptionPolicy, 'PreemptLowerPriority');
  const critical = await client.pods.create(pod('critical', 'prio', { priorityClassName: 'system-node-critical' }));
  t.equal(critical.spec?.priority, 2000001000);
  t.match(await refusal(client.pods.create(pod('nope', 'prio', { priorityClassName: 'missing' }))), { code: 403, reason: 'Forbidden', message: 'pods "nope" is forbidden: no PriorityClass with name missing was found' });
  t.match(await refusal(client.pods.create(pod('own', 'prio', { priorityClassName: 'high', priority: 7 }))), { code: 403, message: /must not be provided in pod spec; priority admission controller computed 1000/ });
  const replaced = await client.pods.update({ ...high, spec: { ...high.spec!, priority: undefined, activeDeadlineSeconds: 60 } } as corev1.Pod);
  t.equal(replaced.spec?.priority, 1000, 'an update without spec.priority keeps it');
});

t.test('PriorityClass rules: reserved names, user maximum, one global default', async (t) => {
  const pc = (name: string, value: number, globalDefault = false): schedulingv1.PriorityClass => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, globalDefault });
  t.match(await refusal(classes.create(pc('too-high', 2000000000))), { code: 422, message: /maximum allowed value of a user defined priority is 1000000000/ });
  t.match(await refusal(classes.create(pc('system-mine', 1))), { code: 422, message: /reserved for system use only/ });
  await classes.create(pc('default-one', 10, true));
  t.match(await refusal(classes.create(pc('default-two', 20, true))), { code: 403, message: 'priorityclasses.scheduling.k8s.io "default-two" is forbidden: PriorityClass default-one is already marked as default. Only one default can exist' });
  const defaulted = await client.pods.create(pod('defaulted', 'prio'));
  t.equal(defaulted.spec?.priorityClassName, 'default-one');
  t.equal(defaulted.spec?.priority, 10);
  await classes.delete('default-one');
});

t.test('LimitRange defaults resources and refuses pods outside it', async (t) => {
  await limitRanges.create({
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'lr', namespace: 'limits' },
    spec: { limits: [{ type: 'Container', max: { cpu: '1' }, default: { cpu: '500m', memory: '64Mi' }, defaultRequest: { cpu: '500m', memory: '64Mi' } }] },
  });
  const p = await client.pods.create(pod('p', 'limits'));
  t.same(p.spec?.containers[0]?.resources, { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '500m', memory: '64Mi' } });
  t.equal(p.metadata?.annotations?.['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c');
  t.equal(p.status?.qosClass, 'Guaranteed', 'the QoS class follows the defaults');
  const refused = await refusal(client.pods.create(pod('big', 'limits', {}, { limits: { cpu: '2' } })));
  t.match(refused, { code: 403, reason: 'Forbidden', message: 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2' });
  const dry = await client.pods.create(pod('dry', 'limits'), { dryRun: true });
  t.equal(dry.spec?.containers[0]?.resources?.limits?.cpu, '500m', 'a dry run shows the defaults');
});

t.test('ResourceQuota counts, refuses and recounts', async (t) => {
  await quotas.create({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'quota' }, spec: { hard: { pods: '2', 'requests.cpu': '1', configmaps: '10' } } });
  const used = async () => (await quotas.get('q', 'quota')).status?.used;
  t.ok(await eventually(async () => (await used())?.pods === '0'), 'the controller fills in status');
  const cpu = { requests: { cpu: '400m' }, limits: { cpu: '400m' } };
  t.match(await refusal(client.pods.create(pod('bare', 'quota'))), { code: 403, message: 'pods "bare" is forbidden: failed quota: q: must specify requests.cpu for: c' });
  await client.pods.create(pod('a', 'quota', {}, cpu));
  t.match(await used(), { pods: '1', 'requests.cpu': '400m' }, 'admission charges the quota with the write');
  t.match(await refusal(client.pods.create(pod('big', 'quota', {}, { requests: { cpu: '700m' } }))), {
    code: 403,
    message: 'pods "big" is forbidden: exceeded quota: q, requested: requests.cpu=700m, used: requests.cpu=400m, limited: requests.cpu=1',
  });
  await client.pods.create(pod('b', 'quota', {}, cpu));
  t.match(await refusal(client.pods.create(pod('c', 'quota', {}, { requests: { cpu: '100m' } }))), {
    code: 403,
    message: 'pods "c" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2',
  });
  await client.pods.delete('a', { namespace: 'quota' });
  t.ok(await eventually(async () => (await used())?.pods === '1'), 'deletion is recounted');
  t.match(await used(), { 'requests.cpu': '400m' });
  await client.pods.create(pod('c', 'quota', {}, { requests: { cpu: '100m' } }), { dryRun: true });
  t.match(await used(), { pods: '1' }, 'a dry run charges nothing');
});

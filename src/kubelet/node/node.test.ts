// Registration, status reporting and the lease against an in-process API server.
import t from 'tap';
import { Client } from '../../client/index.js';
import { silentLogger } from '../../log/logger.js';
import { startTestApiServer } from '../../../test/helpers/apiserver.js';
import { ManualClock } from '../clock.fixture.js';
import { FakeRuntime } from '../cri/fake.js';
import { EventRecorder } from '../events.js';
import { makeDirs, testMachine } from '../harness.fixture.js';
import { resolveOptions } from '../options.js';
import { NodeLease } from './lease.js';
import { NodeManager } from './manager.js';

const api = await startTestApiServer();
t.teardown(() => api.close());
const client = new Client(api.inProcess());

function manager(nodeName: string, over: { labels?: Record<string, string>; runtime?: FakeRuntime; clock?: ManualClock } = {}) {
  const clock = over.clock ?? new ManualClock();
  const dirs = makeDirs();
  const config = resolveOptions({
    client,
    runtime: over.runtime ?? new FakeRuntime({ images: ['localhost/test/busybox:1'] }),
    nodeName,
    nodeIps: ['192.0.2.20'],
    hostname: nodeName.toUpperCase(),
    podCidr: '10.42.3.0/24',
    labels: over.labels ?? { role: 'test' },
    taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }],
    rootDir: dirs.rootDir,
    podLogDir: dirs.podLogDir,
    clusterDns: [],
    clusterDomain: 'cluster.local',
    sandboxImage: 'pause',
    kubeletVersion: 'v1.32.0',
    logger: silentLogger,
    clock,
  });
  const events = new EventRecorder({ client, host: nodeName, clock, logger: silentLogger });
  return { m: new NodeManager(config, testMachine, events), clock, config, events };
}

t.test('registration creates the node with labels, taints and pod CIDR', async (t) => {
  const { m, events } = manager('reg-new');
  await m.start(new AbortController().signal);
  const node = await client.nodes.get('reg-new');
  t.same(node.metadata?.labels, {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': 'reg-new',
    'kubernetes.io/os': 'linux',
    role: 'test',
  });
  t.same(node.spec?.taints, [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]);
  t.same([node.spec?.podCIDR, node.spec?.podCIDRs], ['10.42.3.0/24', ['10.42.3.0/24']]);
  t.match(node.status, { capacity: { cpu: '4', pods: '110' }, nodeInfo: { containerRuntimeVersion: 'fake://0.0.0' }, daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } });
  t.ok(node.status?.images?.some((i) => i.names?.includes('localhost/test/busybox:1')));
  await events.flush();
  const list = await client.events.list({ namespace: 'default', fieldSelector: 'involvedObject.name=reg-new' });
  t.same(list.items.map((e) => e.reason).sort(), ['NodeHasNoDiskPressure', 'NodeHasSufficientMemory', 'NodeHasSufficientPID', 'NodeReady']);
  t.equal(list.items.find((e) => e.reason === 'NodeReady')?.message, 'Node reg-new status is now: NodeReady');
});

t.test('an existing node is adopted: labels added, its taints and CIDR kept', async (t) => {
  await client.nodes.create({ metadata: { name: 'reg-old', labels: { keep: 'me' } }, spec: { podCIDR: '10.42.9.0/24', podCIDRs: ['10.42.9.0/24'] } });
  const { m } = manager('reg-old', { labels: { added: 'yes' } });
  await m.start(new AbortController().signal);
  const node = await client.nodes.get('reg-old');
  t.match(node.metadata?.labels, { keep: 'me', added: 'yes', 'kubernetes.io/hostname': 'reg-old' });
  t.equal(node.spec?.podCIDR, '10.42.9.0/24');
  t.same(node.spec?.taints, undefined, 'taints are only set at registration');
});

t.test('status is patched when it changes and at least every minute', async (t) => {
  const runtime = new FakeRuntime();
  const { m, clock } = manager('reg-status', { runtime });
  await m.start(new AbortController().signal);
  t.notOk(await m.syncStatus(), 'nothing changed: no write');
  clock.advance(30_000);
  t.notOk(await m.syncStatus());
  clock.advance(30_000);
  t.ok(await m.syncStatus(), 'a minute passed: a heartbeat write');
  const status = runtime.status.bind(runtime);
  runtime.status = async () => ({ ...(await status()), conditions: [{ type: 'RuntimeReady', status: true, reason: '', message: '' }, { type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'cni plugin not initialized' }] });
  clock.advance(10_000);
  t.ok(await m.syncStatus(), 'a change is written at once');
  const node = await client.nodes.get('reg-status');
  t.match(node.status?.conditions?.find((c) => c.type === 'Ready'), { status: 'False', lastTransitionTime: new Date(clock.now()).toISOString().replace('.000Z', 'Z') });
  t.match(m.networkError(), /^container runtime network not ready: NetworkReady=false/);
});

t.test('the lease is created, owned by the node and renewed', async (t) => {
  const { m, clock } = manager('lease-node');
  await m.start(new AbortController().signal);
  const lease = new NodeLease({ client, clock, logger: silentLogger, renewMs: 10_000, node: () => m.current() });
  const first = await lease.renew();
  t.match(first, {
    metadata: { name: 'lease-node', namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'lease-node', uid: m.current().metadata?.uid }] },
    spec: { holderIdentity: 'lease-node', leaseDurationSeconds: 40, renewTime: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/ },
  });
  clock.advance(10_000);
  const second = await lease.renew();
  t.not(second.spec?.renewTime, first.spec?.renewTime);
  // Someone else writes it: the next renewal fails once, then reads it afresh.
  await client.leases.update({ ...second, spec: { ...second.spec, holderIdentity: 'intruder' } });
  await t.rejects(lease.renew(), { message: /modified/ });
  const third = await lease.renew();
  t.equal(third.spec?.holderIdentity, 'lease-node');
});

t.test('the lease loop renews on the clock', async (t) => {
  const { m, clock } = manager('lease-loop');
  await m.start(new AbortController().signal);
  const controller = new AbortController();
  const done = m.run(controller.signal);
  const renewTime = async (): Promise<string | undefined> => (await client.leases.get('lease-loop', 'kube-node-lease').catch(() => undefined))?.spec?.renewTime;
  for (let i = 0; i < 50 && !(await renewTime()); i++) await new Promise((r) => setTimeout(r, 10));
  const first = await renewTime();
  t.ok(first);
  clock.advance(10_000);
  let second = first;
  for (let i = 0; i < 50 && second === first; i++) {
    await new Promise((r) => setTimeout(r, 10));
    second = await renewTime();
  }
  t.not(second, first, 'renewed after 10 s');
  controller.abort();
  await done;
});

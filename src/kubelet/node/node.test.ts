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
import type { MachineReader } from './signals.js';

/** A machine with `memAvailableMi` free memory and plenty of everything else; the test may change it. */
function fakeMachine(memAvailableMi = 4096): MachineReader & { memAvailableMi: number } {
  return {
    memAvailableMi,
    readFile(path) {
      const files: Record<string, string> = {
        '/proc/meminfo': `MemTotal: 8388608 kB\nMemAvailable: ${this.memAvailableMi * 1024} kB\n`,
        '/proc/sys/kernel/pid_max': '32768',
        '/proc/loadavg': '0.00 0.00 0.00 1/200 4242',
      };
      return files[path];
    },
    statfs: () => ({ blocks: 1000, bavail: 900, bsize: 4096, files: 1000, ffree: 900 }),
  };
}

const api = await startTestApiServer();
t.teardown(() => api.close());
const client = new Client(api.inProcess());

function manager(nodeName: string, over: { labels?: Record<string, string>; runtime?: FakeRuntime; clock?: ManualClock; reader?: MachineReader } = {}) {
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
  return { m: new NodeManager(config, testMachine, events, { reader: over.reader ?? fakeMachine() }), clock, config, events };
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

t.test('memory pressure from the machine: the condition turns, is written at once, and its events are recorded', async (t) => {
  const machine = fakeMachine(4096);
  const { m, clock, events } = manager('pressure-node', { reader: machine });
  await m.start(new AbortController().signal);
  const memory = async () => (await client.nodes.get('pressure-node')).status?.conditions?.find((c) => c.type === 'MemoryPressure');
  t.match(await memory(), { status: 'False', reason: 'KubeletHasSufficientMemory' });
  machine.memAvailableMi = 99;
  clock.advance(10_000);
  t.ok(await m.syncStatus(), 'pressure is a change, written at once');
  const under = await memory();
  t.match(under, { status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' });
  clock.advance(10_000);
  t.notOk(await m.syncStatus(), 'still under pressure: nothing to write');
  machine.memAvailableMi = 512;
  clock.advance(10_000);
  await m.syncStatus();
  t.match(await memory(), { status: 'True' }, 'recovered, but held for the transition period');
  clock.advance(5 * 60_000);
  t.ok(await m.syncStatus());
  const after = await memory();
  t.match(after, { status: 'False', reason: 'KubeletHasSufficientMemory' });
  t.not(after?.lastTransitionTime, under?.lastTransitionTime);
  await events.flush();
  const list = await client.events.list({ namespace: 'default', fieldSelector: 'involvedObject.name=pressure-node' });
  const memoryEvents = list.items.filter((e) => /Memory/.test(e.reason ?? '')).map((e) => `${e.reason} x${e.count ?? 1}: ${e.message}`);
  t.same(memoryEvents.sort(), ['NodeHasInsufficientMemory x1: Node pressure-node status is now: NodeHasInsufficientMemory', 'NodeHasSufficientMemory x2: Node pressure-node status is now: NodeHasSufficientMemory']);
});

t.test('configured thresholds decide: memory.available<200Mi makes 150Mi free a pressure', async (t) => {
  const { config, events } = manager('threshold-node');
  const m = new NodeManager(config, testMachine, events, { reader: fakeMachine(150), evictionHard: { 'memory.available': { quantity: 200 * 1024 * 1024 } } });
  await m.start(new AbortController().signal);
  const node = await client.nodes.get('threshold-node');
  t.match(node.status?.conditions?.find((c) => c.type === 'MemoryPressure'), { status: 'True' });
  t.match(node.status?.conditions?.find((c) => c.type === 'DiskPressure'), { status: 'False' }, 'no disk threshold given: not watched');
  t.equal(node.status?.allocatable?.['memory'], `${8 * 1024 * 1024 - 200 * 1024}Ki`, 'allocatable keeps the configured threshold back');
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

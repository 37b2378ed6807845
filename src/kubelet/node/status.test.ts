import t from 'tap';
import type { RuntimeStatus } from '../cri/types.js';
import { testMachine } from '../harness.fixture.js';
import { osImageFrom } from './machine.js';
import { buildNodeStatus, nodeImages, nodeResources, notReadyErrors, statusChanged, type NodeStatusInput } from './status.js';
import { defaultEvictionHard } from './thresholds.js';

const ready = (network = true, runtime = true): RuntimeStatus => ({
  conditions: [
    { type: 'RuntimeReady', status: runtime, reason: runtime ? '' : 'ContainerdDown', message: runtime ? '' : 'containerd is down' },
    { type: 'NetworkReady', status: network, reason: network ? '' : 'NetworkPluginNotReady', message: network ? '' : 'Network plugin returns error: cni plugin not initialized' },
  ],
  info: {},
});

const input = (over: Partial<NodeStatusInput> = {}): NodeStatusInput => ({
  machine: testMachine,
  nodeIps: ['192.0.2.10'],
  hostname: 'node-a',
  kubeletVersion: 'v1.32.0+tsk8s',
  runtime: { version: { version: '0.1.0', runtimeName: 'containerd', runtimeVersion: '1.6.20', runtimeApiVersion: 'v1' }, status: ready(), error: undefined },
  images: [],
  observed: {},
  thresholds: defaultEvictionHard,
  now: Date.parse('2026-01-01T00:00:00Z'),
  previous: undefined,
  ...over,
});

t.test('capacity and allocatable', async (t) => {
  t.same(nodeResources(testMachine), {
    capacity: { cpu: '4', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', pods: '110', 'ephemeral-storage': '104857600Ki', memory: '8388608Ki' },
    allocatable: { cpu: '4', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', pods: '110', 'ephemeral-storage': String(Math.floor(100 * 1024 ** 3 * 0.9)), memory: '8286208Ki' },
  });
});

t.test('allocatable keeps back the memory and nodefs thresholds given', async (t) => {
  const { allocatable } = nodeResources(testMachine, { 'memory.available': { percentage: 0.5 }, 'nodefs.available': { quantity: 1024 ** 3 } });
  t.equal(allocatable['memory'], '4194304Ki');
  t.equal(allocatable['ephemeral-storage'], String(99 * 1024 ** 3));
  t.same(nodeResources(testMachine, {}).allocatable['memory'], '8388608Ki', 'no threshold: nothing kept back');
});

t.test('pressure conditions follow the observed signals; transition times move with their status only', async (t) => {
  const mi = 1024 * 1024;
  const plenty = { 'memory.available': { available: 4096 * mi, capacity: 8192 * mi }, 'pid.available': { available: 30_000, capacity: 32_768 } };
  const first = buildNodeStatus(input({ observed: plenty }));
  const low = buildNodeStatus(input({ observed: { ...plenty, 'memory.available': { available: 99 * mi, capacity: 8192 * mi } }, now: Date.parse('2026-01-01T00:00:10Z'), previous: first }));
  const memory = low.conditions?.find((c) => c.type === 'MemoryPressure');
  t.match(memory, { status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available', lastTransitionTime: '2026-01-01T00:00:10Z' });
  t.match(low.conditions?.find((c) => c.type === 'PIDPressure'), { status: 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }, 'the others keep their transition time');
  t.ok(statusChanged(first, low));
  const still = buildNodeStatus(input({ observed: { ...plenty, 'memory.available': { available: 50 * mi, capacity: 8192 * mi } }, now: Date.parse('2026-01-01T00:00:20Z'), previous: low }));
  t.equal(still.conditions?.find((c) => c.type === 'MemoryPressure')?.lastTransitionTime, '2026-01-01T00:00:10Z', 'still under: unchanged');
  t.notOk(statusChanged(low, still));
  const higher = buildNodeStatus(input({ observed: { ...plenty, 'memory.available': { available: 150 * mi, capacity: 8192 * mi } }, thresholds: { 'memory.available': { quantity: 200 * mi } } }));
  t.match(higher.conditions?.find((c) => c.type === 'MemoryPressure'), { status: 'True' }, 'a configured threshold counts');
});

t.test('a ready node', async (t) => {
  const s = buildNodeStatus(input());
  t.same(
    s.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
    [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'],
    ],
  );
  t.ok(s.conditions?.every((c) => c.lastHeartbeatTime === '2026-01-01T00:00:00Z' && c.lastTransitionTime === '2026-01-01T00:00:00Z'));
  t.same(s.addresses, [
    { type: 'InternalIP', address: '192.0.2.10' },
    { type: 'Hostname', address: 'node-a' },
  ]);
  t.same(s.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
  t.same(s.nodeInfo, {
    machineID: 'machine-id-test',
    systemUUID: 'system-uuid-test',
    bootID: 'boot-id-test',
    kernelVersion: '6.1.0-test',
    osImage: 'Test Linux 1',
    containerRuntimeVersion: 'containerd://1.6.20',
    kubeletVersion: 'v1.32.0+tsk8s',
    kubeProxyVersion: 'v1.32.0+tsk8s',
    operatingSystem: 'linux',
    architecture: 'amd64',
  });
});

t.test('not ready: the runtime and network conditions in upstream words', async (t) => {
  t.same(notReadyErrors({ version: undefined, status: ready(false), error: undefined }), [
    'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
  ]);
  const both = buildNodeStatus(input({ runtime: { version: undefined, status: ready(false, false), error: undefined } }));
  t.match(both.conditions?.find((c) => c.type === 'Ready'), {
    status: 'False',
    reason: 'KubeletNotReady',
    message: '[container runtime not ready: RuntimeReady=false reason:ContainerdDown message:containerd is down, container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized]',
  });
  const down = buildNodeStatus(input({ runtime: { version: undefined, status: undefined, error: 'connection refused' } }));
  t.match(down.conditions?.find((c) => c.type === 'Ready'), { status: 'False', message: 'container runtime is down' });
});

t.test('transition times move only when a status changes; heartbeats alone are no change', async (t) => {
  const first = buildNodeStatus(input());
  const later = buildNodeStatus(input({ now: Date.parse('2026-01-01T00:01:00Z'), previous: first }));
  t.equal(later.conditions?.[3]?.lastTransitionTime, '2026-01-01T00:00:00Z');
  t.equal(later.conditions?.[3]?.lastHeartbeatTime, '2026-01-01T00:01:00Z');
  t.notOk(statusChanged(first, later));
  const notReady = buildNodeStatus(input({ now: Date.parse('2026-01-01T00:02:00Z'), previous: later, runtime: { version: undefined, status: ready(false), error: undefined } }));
  t.equal(notReady.conditions?.[3]?.lastTransitionTime, '2026-01-01T00:02:00Z');
  t.ok(statusChanged(later, notReady));
});

t.test('images: largest first, at most five names each', async (t) => {
  const img = (id: string, size: number, tags: string[], digests: string[] = []) => ({ id, repoTags: tags, repoDigests: digests, size, uid: undefined, username: '', spec: undefined, pinned: false });
  t.same(nodeImages([img('a', 10, ['small:1']), img('b', 30, ['big:1', 'big:2', 'big:3', 'big:4'], ['big@sha256:1', 'big@sha256:2'])]), [
    { names: ['big@sha256:1', 'big@sha256:2', 'big:1', 'big:2', 'big:3'], sizeBytes: 30 },
    { names: ['small:1'], sizeBytes: 10 },
  ]);
});

t.test('os-release PRETTY_NAME', async (t) => {
  t.equal(osImageFrom('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  t.equal(osImageFrom("PRETTY_NAME='Alpine Linux v3.20'"), 'Alpine Linux v3.20');
  t.equal(osImageFrom(undefined), 'Linux');
});

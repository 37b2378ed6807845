import t from 'tap';
import type { corev1 } from '../types.js';
import { ago, cellsOf, day, now } from './builders.fixture.js';
import { nodePrinter, nodeRoles, nodeStatus } from './node.js';

function node(labels: Record<string, string>, ready: string | undefined, unschedulable = false): corev1.Node {
  return {
    metadata: { name: 'node-a', labels, creationTimestamp: ago(5 * day) },
    spec: unschedulable ? { unschedulable: true } : {},
    status: { conditions: ready === undefined ? [] : [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: ready }] },
  };
}

t.test('node Status', async (t) => {
  const cases: [string, corev1.Node, string][] = [
    ['ready', node({}, 'True'), 'Ready'],
    ['not ready', node({}, 'False'), 'NotReady'],
    ['ready unknown', node({}, 'Unknown'), 'NotReady'],
    ['no ready condition', node({}, undefined), 'Unknown'],
    ['cordoned', node({}, 'True', true), 'Ready,SchedulingDisabled'],
    ['cordoned and not ready', node({}, 'False', true), 'NotReady,SchedulingDisabled'],
  ];
  for (const [name, obj, want] of cases) t.equal(nodeStatus(obj), want, name);
});

t.test('node Roles', async (t) => {
  const cases: [string, Record<string, string>, string][] = [
    ['none', { 'kubernetes.io/hostname': 'node-a' }, '<none>'],
    ['control plane', { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' }, 'control-plane,master'],
    ['empty value still counts', { 'node-role.kubernetes.io/worker': '' }, 'worker'],
    ['bare prefix ignored', { 'node-role.kubernetes.io/': 'x' }, '<none>'],
    ['legacy label', { 'kubernetes.io/role': 'node' }, 'node'],
    ['legacy empty ignored', { 'kubernetes.io/role': '' }, '<none>'],
    ['deduplicated and sorted', { 'kubernetes.io/role': 'etcd', 'node-role.kubernetes.io/etcd': 'true', 'node-role.kubernetes.io/agent': '' }, 'agent,etcd'],
  ];
  for (const [name, labels, want] of cases) t.equal(nodeRoles(node(labels, 'True')), want, name);
});

t.test('node row with wide cells', async (t) => {
  const base = node({ 'node-role.kubernetes.io/control-plane': 'true' }, 'True');
  const status: corev1.NodeStatus = {
    ...base.status,
    addresses: [
      { type: 'Hostname', address: 'node-a' },
      { type: 'InternalIP', address: '192.168.1.5' },
    ],
    nodeInfo: {
      kubeletVersion: 'v1.32.4+tsk8s',
      osImage: 'Debian GNU/Linux 12',
      kernelVersion: '6.1.0',
      containerRuntimeVersion: 'containerd://2.0.4',
      architecture: 'amd64',
      bootID: '',
      kubeProxyVersion: '',
      machineID: '',
      operatingSystem: 'linux',
      systemUUID: '',
    },
  };
  const n: corev1.Node = { ...base, status };
  t.same(cellsOf(nodePrinter, n), ['node-a', 'Ready', 'control-plane', '5d', 'v1.32.4+tsk8s', '192.168.1.5', '<none>', 'Debian GNU/Linux 12', '6.1.0', 'containerd://2.0.4']);
  t.same(cellsOf(nodePrinter, node({}, undefined)).slice(4), ['', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
});

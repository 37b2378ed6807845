import t from 'tap';
import type { corev1 } from '../types.js';
import { ago, cellsOf, makePod, minute, now, second, type PodBuilder } from './builders.fixture.js';
import { podPrinter } from './pod.js';

/** Ready, Status and Restarts cells. */
function summary(pod: corev1.Pod): [unknown, unknown, unknown] {
  const cells = cellsOf(podPrinter, pod);
  return [cells[1], cells[2], cells[3]];
}

t.test('pod columns are upstream 1.32 columns', async (t) => {
  t.same(
    podPrinter.columns.map((c) => [c.name, c.type, c.priority]),
    [
      ['Name', 'string', 0],
      ['Ready', 'string', 0],
      ['Status', 'string', 0],
      ['Restarts', 'string', 0],
      ['Age', 'string', 0],
      ['IP', 'string', 1],
      ['Node', 'string', 1],
      ['Nominated Node', 'string', 1],
      ['Readiness Gates', 'string', 1],
    ],
  );
  t.equal(podPrinter.columns[0]?.format, 'name');
});

t.test('Ready, Status and Restarts by pod state', async (t) => {
  const cases: [string, PodBuilder, [string, string, string]][] = [
    ['running and ready', makePod().containers('app').phase('Running').running('app', { ready: true }), ['1/1', 'Running', '0']],
    ['running, one of two ready', makePod().containers('a', 'b').phase('Running').running('a', { ready: true }).running('b'), ['1/2', 'Running', '0']],
    ['pending, no statuses', makePod().containers('app').phase('Pending'), ['0/1', 'Pending', '0']],
    ['pending, creating', makePod().containers('app').phase('Pending').waiting('app', 'ContainerCreating'), ['0/1', 'ContainerCreating', '0']],
    ['image pull back-off', makePod().containers('app').phase('Pending').waiting('app', 'ImagePullBackOff'), ['0/1', 'ImagePullBackOff', '0']],
    [
      'crash loop with last restart time',
      makePod().containers('app').phase('Running').waiting('app', 'CrashLoopBackOff', { restarts: 4, lastFinished: ago(5 * minute) }),
      ['0/1', 'CrashLoopBackOff', '4 (5m ago)'],
    ],
    ['restarts without a known time', makePod().containers('app').phase('Running').running('app', { ready: true, restarts: 2 }), ['1/1', 'Running', '2']],
    [
      'latest restart across containers',
      makePod()
        .containers('a', 'b')
        .phase('Running')
        .running('a', { ready: true, restarts: 1, lastFinished: ago(3 * minute) })
        .running('b', { ready: true, restarts: 2, lastFinished: ago(90 * second) }),
      ['2/2', 'Running', '3 (90s ago)'],
    ],
    ['completed', makePod().containers('app').phase('Succeeded').terminated('app', 0, 'Completed'), ['0/1', 'Completed', '0']],
    ['error exit', makePod().containers('app').phase('Failed').terminated('app', 1, 'Error'), ['0/1', 'Error', '0']],
    ['exit code without reason', makePod().containers('app').phase('Failed').terminated('app', 3), ['0/1', 'ExitCode:3', '0']],
    [
      'completed container beside a running ready one',
      makePod().containers('a', 'b').phase('Running').condition('Ready', 'True').terminated('a', 0, 'Completed').running('b', { ready: true }),
      ['1/2', 'Running', '0'],
    ],
    [
      'completed container beside a running one, pod not ready',
      makePod().containers('a', 'b').phase('Running').condition('Ready', 'False').terminated('a', 0, 'Completed').running('b', { ready: true }),
      ['1/2', 'NotReady', '0'],
    ],
    [
      'first container in spec order decides the reason',
      makePod().containers('a', 'b').phase('Running').waiting('a', 'CrashLoopBackOff').waiting('b', 'ImagePullBackOff'),
      ['0/2', 'CrashLoopBackOff', '0'],
    ],
    ['init 0/1 running', makePod().initContainers('init').containers('app').phase('Pending').initRunning('init').waiting('app', 'PodInitializing'), ['0/1', 'Init:0/1', '0']],
    [
      'init 1/2: first init done',
      makePod().initContainers('i1', 'i2').containers('app').phase('Pending').initTerminated('i1', 0, 'Completed').initRunning('i2'),
      ['0/1', 'Init:1/2', '0'],
    ],
    ['init waiting on PodInitializing counts as progress', makePod().initContainers('init').containers('app').phase('Pending').initWaiting('init', 'PodInitializing'), ['0/1', 'Init:0/1', '0']],
    ['init crash loop', makePod().initContainers('init').containers('app').phase('Pending').initWaiting('init', 'CrashLoopBackOff', { restarts: 2 }), ['0/1', 'Init:CrashLoopBackOff', '2']],
    ['init failed with reason', makePod().initContainers('init').containers('app').phase('Pending').initTerminated('init', 1, 'Error'), ['0/1', 'Init:Error', '0']],
    ['init failed by exit code', makePod().initContainers('init').containers('app').phase('Pending').initTerminated('init', 2), ['0/1', 'Init:ExitCode:2', '0']],
    [
      'started sidecar counts as a ready container',
      makePod()
        .initContainers('proxy')
        .sidecars('proxy')
        .containers('app')
        .phase('Running')
        .condition('Initialized', 'True')
        .initRunning('proxy', { ready: true, started: true, restarts: 1 })
        .running('app', { ready: true }),
      ['2/2', 'Running', '1'],
    ],
    ['scheduling gated', makePod().containers('app').phase('Pending').condition('PodScheduled', 'False', 'SchedulingGated'), ['0/1', 'SchedulingGated', '0']],
    ['evicted keeps status.reason', makePod().containers('app').phase('Failed', 'Evicted'), ['0/1', 'Evicted', '0']],
    ['terminating', makePod().containers('app').phase('Running').running('app', { ready: true }).deleting(), ['1/1', 'Terminating', '0']],
    ['terminating after success stays Completed', makePod().containers('app').phase('Succeeded').terminated('app', 0, 'Completed').deleting(), ['0/1', 'Completed', '0']],
    ['deleted on a lost node', makePod().containers('app').phase('Running', 'NodeLost').running('app', { ready: true }).deleting(), ['1/1', 'Unknown', '0']],
  ];
  for (const [name, builder, want] of cases) t.same(summary(builder.obj), want, name);
});

t.test('name, age and wide cells', async (t) => {
  const built = makePod('web-1').containers('app').phase('Running').running('app', { ready: true }).obj;
  const pod: corev1.Pod = {
    ...built,
    spec: { containers: [], ...built.spec, nodeName: 'node-a', readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
    status: {
      ...built.status,
      podIPs: [{ ip: '10.42.0.5' }, { ip: 'fd00::5' }],
      nominatedNodeName: 'node-b',
      conditions: [
        { type: 'example.com/lb', status: 'True' },
        { type: 'example.com/dns', status: 'False' },
      ],
    },
  };
  t.same(cellsOf(podPrinter, pod), ['web-1', '1/1', 'Running', '0', '10m', '10.42.0.5', 'node-a', 'node-b', '1/2']);

  const bare = makePod('new').containers('app').obj;
  t.same(cellsOf(podPrinter, bare).slice(5), ['<none>', '<none>', '<none>', '<none>']);

  const singular: corev1.Pod = { ...makePod('old').containers('app').obj, status: { podIP: '10.42.0.9' } };
  t.equal(cellsOf(podPrinter, singular)[5], '10.42.0.9', 'status.podIP alone still shows');
});

t.test('a malformed pod prints without throwing', async (t) => {
  const garbage = { metadata: { name: 'x' }, spec: { containers: 'nope', initContainers: 7 }, status: { containerStatuses: [null, { state: 'x' }], conditions: 'y' } };
  const cells = cellsOf(podPrinter, garbage);
  t.equal(cells.length, podPrinter.columns.length);
  t.equal(cells[0], 'x');
  t.equal(cells[4], '<unknown>', 'no creationTimestamp');
});

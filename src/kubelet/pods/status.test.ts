import t from 'tap';
import type { corev1 } from '../../api/types.js';
import type { ContainerRecord, PodRuntimeState, SandboxRecord } from './runtime-state.js';
import { podPhase, podStatus, type StatusInput, type WaitingReason } from './status.js';

const now = Date.parse('2026-01-01T00:00:10Z');
const ns = (iso: string): bigint => BigInt(Date.parse(iso)) * 1_000_000n;

const sandbox = (over: Partial<SandboxRecord> = {}): SandboxRecord => ({ id: 'sb', name: 'p', namespace: 'ns', attempt: 0, state: 'SANDBOX_READY', createdAt: 1n, ips: ['10.42.0.5'], hostNetwork: false, ...over });

let ids = 0;
function record(name: string, state: ContainerRecord['state'], over: Partial<ContainerRecord> = {}): ContainerRecord {
  return {
    id: `c${ids++}`,
    sandboxId: 'sb',
    name,
    restartCount: 0,
    hash: '',
    state,
    createdAt: ns('2026-01-01T00:00:00Z'),
    startedAt: state === 'CONTAINER_CREATED' ? 0n : ns('2026-01-01T00:00:01Z'),
    finishedAt: state === 'CONTAINER_EXITED' ? ns('2026-01-01T00:00:05Z') : 0n,
    exitCode: 0,
    reason: state === 'CONTAINER_EXITED' ? 'Completed' : '',
    message: '',
    image: 'docker.io/library/busybox:1',
    imageRef: 'sha256:abc',
    logPath: '',
    ...over,
  };
}

function pod(spec: Partial<corev1.PodSpec> = {}, status: corev1.PodStatus = { phase: 'Pending' }): corev1.Pod {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [{ name: 'app', image: 'busybox:1' }], ...spec }, status };
}

function statusOf(p: corev1.Pod, containers: ContainerRecord[], opts: { sandboxes?: SandboxRecord[]; reasons?: Record<string, WaitingReason>; terminal?: boolean } = {}): corev1.PodStatus {
  const state: PodRuntimeState = { uid: 'u', sandboxes: opts.sandboxes ?? [sandbox()], containers };
  const input: StatusInput = { pod: p, state, reasons: new Map(Object.entries(opts.reasons ?? {})), runtimeName: 'containerd', hostIPs: ['192.0.2.1'], now, terminal: opts.terminal ?? false };
  return podStatus(input);
}

const conds = (s: corev1.PodStatus): string[] => (s.conditions ?? []).map((c) => `${c.type}=${c.status}${c.reason ? `/${c.reason}` : ''}${c.message ? ` ${c.message}` : ''}`);

t.test('a new pod: everything waiting in ContainerCreating', async (t) => {
  const s = statusOf(pod(), [], { sandboxes: [] });
  t.equal(s.phase, 'Pending');
  t.same(s.containerStatuses, [{ name: 'app', image: 'busybox:1', imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} }]);
  t.same(conds(s), ['PodReadyToStartContainers=False', 'Initialized=True', 'Ready=False/ContainersNotReady containers with unready status: [app]', 'ContainersReady=False/ContainersNotReady containers with unready status: [app]', 'PodScheduled=True']);
  t.equal(s.podIP, undefined);
  t.equal(s.startTime, '2026-01-01T00:00:10Z');
  t.equal(s.qosClass, 'BestEffort');
});

t.test('a running container: Running, ready, IPs from the sandbox', async (t) => {
  const s = statusOf(pod(), [record('app', 'CONTAINER_RUNNING')]);
  t.equal(s.phase, 'Running');
  t.same(s.containerStatuses?.[0], {
    name: 'app',
    image: 'docker.io/library/busybox:1',
    imageID: 'sha256:abc',
    ready: true,
    restartCount: 0,
    started: true,
    state: { running: { startedAt: '2026-01-01T00:00:01Z' } },
    lastState: {},
    containerID: `containerd://${s.containerStatuses?.[0]?.containerID?.slice('containerd://'.length)}`,
  });
  t.same(conds(s), ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True']);
  t.same([s.podIP, s.podIPs, s.hostIP, s.hostIPs], ['10.42.0.5', [{ ip: '10.42.0.5' }], '192.0.2.1', [{ ip: '192.0.2.1' }]]);
  const host = statusOf(pod({ hostNetwork: true }), [record('app', 'CONTAINER_RUNNING')], { sandboxes: [sandbox({ ips: [], hostNetwork: true })] });
  t.equal(host.podIP, '192.0.2.1', 'host-network pods have the node addresses');
});

t.test('a restarting container: waiting reason from the last start, last state terminated', async (t) => {
  const crashed = record('app', 'CONTAINER_EXITED', { restartCount: 3, exitCode: 2, reason: 'Error', message: 'boom' });
  const s = statusOf(pod(), [crashed, record('app', 'CONTAINER_EXITED', { restartCount: 2, exitCode: 1, reason: 'Error' })], {
    reasons: { app: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=app pod=p_ns(u)' } },
  });
  t.equal(s.phase, 'Running');
  t.match(s.containerStatuses?.[0], {
    restartCount: 3,
    ready: false,
    state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=app pod=p_ns(u)' } },
    lastState: { terminated: { exitCode: 2, reason: 'Error', message: 'boom', startedAt: '2026-01-01T00:00:01Z', finishedAt: '2026-01-01T00:00:05Z', containerID: `containerd://${crashed.id}` } },
  });
  const noReason = statusOf(pod(), [crashed]);
  t.match(noReason.containerStatuses?.[0]?.state, { terminated: { exitCode: 2 } }, 'before a restart is tried the exit is shown');
  const never = statusOf(pod({ restartPolicy: 'Never' }), [crashed], { reasons: { app: { reason: 'CrashLoopBackOff', message: '' } } });
  t.match(never.containerStatuses?.[0]?.state, { terminated: { exitCode: 2 } }, 'no waiting reason when it will not restart');
  t.equal(never.phase, 'Failed');
});

t.test('image failures show as waiting with the reason and message', async (t) => {
  const s = statusOf(pod(), [], { reasons: { app: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "busybox:1"' } } });
  t.same(s.containerStatuses?.[0]?.state, { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "busybox:1"' } });
  t.equal(s.phase, 'Pending');
});

t.test('init containers: PodInitializing, Initialized condition, phases', async (t) => {
  const spec = { initContainers: [{ name: 'one', image: 'x' }, { name: 'two', image: 'x' }] };
  let s = statusOf(pod(spec), [record('one', 'CONTAINER_RUNNING')]);
  t.equal(s.phase, 'Pending');
  t.same(s.initContainerStatuses?.map((c) => Object.keys(c.state ?? {})[0]), ['running', 'waiting']);
  t.same(s.containerStatuses?.[0]?.state, { waiting: { reason: 'PodInitializing' } });
  t.same(conds(s)[1], 'Initialized=False/ContainersNotInitialized containers with incomplete status: [one two]');
  s = statusOf(pod(spec), [record('one', 'CONTAINER_EXITED'), record('two', 'CONTAINER_EXITED'), record('app', 'CONTAINER_RUNNING')]);
  t.equal(s.phase, 'Running');
  t.same(conds(s)[1], 'Initialized=True');
  s = statusOf(pod({ ...spec, restartPolicy: 'Never' }), [record('one', 'CONTAINER_EXITED', { exitCode: 1, reason: 'Error' })]);
  t.equal(s.phase, 'Failed', 'a failed init container with restartPolicy Never fails the pod');
  s = statusOf(pod(spec), [record('one', 'CONTAINER_EXITED', { exitCode: 1, reason: 'Error' })], { reasons: { one: { reason: 'CrashLoopBackOff', message: 'm' } } });
  t.equal(s.phase, 'Pending', 'it is retried under Always');
});

t.test('phase table (upstream getPhase)', async (t) => {
  const running = { state: { running: {} } };
  const ok = { state: { terminated: { exitCode: 0 } } };
  const bad = { state: { terminated: { exitCode: 1 } } };
  const restarting = { state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } };
  const waiting = { state: { waiting: { reason: 'ContainerCreating' } } };
  type S = Partial<corev1.ContainerStatus>;
  const cases: [string, string, S[], boolean, string][] = [
    ['all running', 'Always', [running, running], false, 'Running'],
    ['one waiting', 'Always', [running, waiting], false, 'Pending'],
    ['all exited, Always', 'Always', [ok, bad], false, 'Running'],
    ['all succeeded, OnFailure', 'OnFailure', [ok, ok], false, 'Succeeded'],
    ['one failed, OnFailure', 'OnFailure', [ok, bad], false, 'Running'],
    ['one failed, Never', 'Never', [ok, bad], false, 'Failed'],
    ['restarting counts as stopped', 'Always', [restarting], false, 'Running'],
    ['terminal: all succeeded', 'Always', [ok, ok], true, 'Succeeded'],
    ['terminal: killed', 'Always', [{ state: { terminated: { exitCode: 137 } } }], true, 'Failed'],
    ['no status', 'Always', [], false, 'Pending'],
  ];
  for (const [name, restartPolicy, statuses, terminal, want] of cases) {
    const p = pod({ restartPolicy, containers: statuses.map((_, i) => ({ name: `c${i}` })) });
    const app = statuses.map((s, i) => ({ name: `c${i}`, image: '', imageID: '', ready: false, restartCount: 0, ...s }) as corev1.ContainerStatus);
    if (name === 'no status') p.spec!.containers = [{ name: 'c0' }];
    t.equal(podPhase(p, [], app, terminal), want, name);
  }
});

t.test('conditions keep transition times and foreign conditions; terminal phases stay', async (t) => {
  const old: corev1.PodStatus = {
    phase: 'Running',
    conditions: [
      { type: 'Ready', status: 'True', lastTransitionTime: '2025-12-31T00:00:00Z' },
      { type: 'example.com/gate', status: 'True', lastTransitionTime: '2025-12-30T00:00:00Z' },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-12-29T00:00:00Z' },
    ],
    startTime: '2025-12-31T00:00:00Z',
    qosClass: 'Burstable',
  };
  const s = statusOf(pod({ readinessGates: [{ conditionType: 'example.com/gate' }] }, old), [record('app', 'CONTAINER_RUNNING')]);
  t.equal(s.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime, '2025-12-31T00:00:00Z');
  t.equal(s.conditions?.find((c) => c.type === 'ContainersReady')?.lastTransitionTime, '2026-01-01T00:00:10Z');
  t.same(s.conditions?.find((c) => c.type === 'example.com/gate'), old.conditions?.[1]);
  t.equal(s.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime, '2025-12-29T00:00:00Z', "the scheduler's PodScheduled is kept");
  t.equal(s.startTime, '2025-12-31T00:00:00Z');
  t.equal(s.qosClass, 'Burstable');
  const gated = statusOf(pod({ readinessGates: [{ conditionType: 'example.com/missing' }] }), [record('app', 'CONTAINER_RUNNING')]);
  t.same(conds(gated)[2], 'Ready=False/ReadinessGatesNotReady corresponding condition of pod readiness gate "example.com/missing" does not exist.');
  const done = statusOf(pod({}, { phase: 'Succeeded' }), [record('app', 'CONTAINER_RUNNING')]);
  t.equal(done.phase, 'Succeeded', 'never leaves a terminal phase');
  t.same(conds(done).slice(1, 4), ['Initialized=True/PodCompleted', 'Ready=False/PodCompleted', 'ContainersReady=False/PodCompleted']);
});

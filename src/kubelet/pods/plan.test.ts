import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { containerHash } from './hash.js';
import { computePodActions } from './plan.js';
import type { ContainerRecord, PodRuntimeState, SandboxRecord } from './runtime-state.js';

const app: corev1.Container = { name: 'app', image: 'busybox:1' };
const side: corev1.Container = { name: 'side', image: 'busybox:1' };
const init: corev1.Container = { name: 'init', image: 'busybox:1' };

const pod = (spec: Partial<corev1.PodSpec> = {}): corev1.Pod => ({ metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [app], ...spec } });
const sandbox = (over: Partial<SandboxRecord> = {}): SandboxRecord => ({ id: 'sb0', name: 'p', namespace: 'ns', attempt: 0, state: 'SANDBOX_READY', createdAt: 1n, ips: [], hostNetwork: false, ...over });

let n = 0;
function rec(c: corev1.Container, state: ContainerRecord['state'], over: Partial<ContainerRecord> = {}): ContainerRecord {
  return { id: `id${n++}`, sandboxId: 'sb0', name: c.name, restartCount: 0, hash: containerHash(c), state, createdAt: BigInt(n), startedAt: 1n, finishedAt: 2n, exitCode: 0, reason: '', message: '', image: '', imageRef: '', logPath: '', ...over };
}
const state = (sandboxes: SandboxRecord[], containers: ContainerRecord[]): PodRuntimeState => ({ uid: 'u', sandboxes, containers });
const summary = (a: ReturnType<typeof computePodActions>) => ({
  createSandbox: a.createSandbox,
  attempt: a.sandboxAttempt,
  killPod: a.killPod,
  kill: a.kill.map((k) => k.record.name),
  start: a.start.map((s) => `${s.container.name}#${s.restartCount ?? 'logs'}`),
});

t.test('a new pod: a sandbox, then all app containers (or the first init container)', async (t) => {
  t.same(summary(computePodActions(pod({ containers: [app, side] }), state([], []))), { createSandbox: true, attempt: 0, killPod: false, kill: [], start: ['app#logs', 'side#logs'] });
  t.same(summary(computePodActions(pod({ initContainers: [init] }), state([], []))).start, ['init#logs']);
});

t.test('a running pod needs nothing; an exited container restarts by policy', async (t) => {
  t.same(summary(computePodActions(pod(), state([sandbox()], [rec(app, 'CONTAINER_RUNNING')]))), { createSandbox: false, attempt: 0, killPod: false, kill: [], start: [] });
  const failed = rec(app, 'CONTAINER_EXITED', { exitCode: 1, restartCount: 4 });
  t.same(summary(computePodActions(pod(), state([sandbox()], [failed]))).start, ['app#5']);
  t.same(summary(computePodActions(pod({ restartPolicy: 'OnFailure' }), state([sandbox()], [failed]))).start, ['app#5']);
  const succeeded = rec(app, 'CONTAINER_EXITED', { exitCode: 0 });
  const done = computePodActions(pod({ restartPolicy: 'OnFailure' }), state([sandbox()], [succeeded]));
  t.same(summary(done), { createSandbox: false, attempt: 0, killPod: true, kill: [], start: [] }, 'a finished pod has its sandbox stopped');
  t.same(summary(computePodActions(pod({ restartPolicy: 'Never' }), state([sandbox()], [failed]))).start, []);
});

t.test('a changed spec (new image) restarts the container', async (t) => {
  const running = rec(app, 'CONTAINER_RUNNING', { restartCount: 1 });
  const changed = pod({ containers: [{ ...app, image: 'busybox:2' }] });
  t.same(summary(computePodActions(changed, state([sandbox()], [running]))), { createSandbox: false, attempt: 0, killPod: false, kill: ['app'], start: ['app#2'] });
});

t.test('a dead sandbox is replaced with the next attempt, keeping restart counts', async (t) => {
  const dead = sandbox({ state: 'SANDBOX_NOTREADY', attempt: 2 });
  const exited = rec(app, 'CONTAINER_EXITED', { exitCode: 137, restartCount: 3 });
  t.same(summary(computePodActions(pod(), state([dead], [exited]))), { createSandbox: true, attempt: 3, killPod: false, kill: [], start: ['app#4'] });
  t.same(summary(computePodActions(pod({ restartPolicy: 'Never' }), state([dead], [exited]))), { createSandbox: false, attempt: 3, killPod: false, kill: [], start: [] }, 'Never: no new sandbox once containers ran');
  const succeeded = rec(app, 'CONTAINER_EXITED', { exitCode: 0 });
  t.same(summary(computePodActions(pod({ restartPolicy: 'OnFailure' }), state([dead], [succeeded]))).createSandbox, false, 'OnFailure: nothing left to run');
  const hostNet = computePodActions(pod({ hostNetwork: true }), state([sandbox()], [rec(app, 'CONTAINER_RUNNING')]));
  t.same(summary(hostNet), { createSandbox: true, attempt: 1, killPod: true, kill: [], start: ['app#1'] }, 'a sandbox in the wrong network mode is replaced');
});

t.test('init containers run in order; a failed one is retried or fails the pod', async (t) => {
  const two: corev1.Container = { name: 'two', image: 'x' };
  const spec = { initContainers: [init, two] };
  t.same(summary(computePodActions(pod(spec), state([sandbox()], [rec(init, 'CONTAINER_RUNNING')]))).start, [], 'wait for the running one');
  t.same(summary(computePodActions(pod(spec), state([sandbox()], [rec(init, 'CONTAINER_EXITED')]))).start, ['two#logs']);
  t.same(summary(computePodActions(pod(spec), state([sandbox()], [rec(two, 'CONTAINER_EXITED'), rec(init, 'CONTAINER_EXITED')]))).start, ['app#logs']);
  const failed = rec(init, 'CONTAINER_EXITED', { exitCode: 1, restartCount: 1 });
  t.same(summary(computePodActions(pod(spec), state([sandbox()], [failed]))).start, ['init#2']);
  t.same(summary(computePodActions(pod({ ...spec, restartPolicy: 'Never' }), state([sandbox()], [failed]))).killPod, true);
  t.same(summary(computePodActions(pod(spec), state([sandbox()], [rec(app, 'CONTAINER_RUNNING')]))).start, [], 'a running app container means initialisation is done');
});

t.test('housekeeping: the newest two containers of a name are kept, old dead sandboxes go', async (t) => {
  const recs = [4, 3, 2, 1].map((i) => rec(app, 'CONTAINER_EXITED', { restartCount: i, exitCode: 1, sandboxId: i < 2 ? 'old' : 'sb0' }));
  const a = computePodActions(pod(), state([sandbox(), sandbox({ id: 'old', state: 'SANDBOX_NOTREADY', createdAt: 0n })], recs));
  t.same(a.removeContainers.map((c) => c.restartCount), [2, 1]);
  t.same(a.removeSandboxes.map((s) => s.id), ['old']);
});

t.test('a failed liveness or startup probe kills the container and restarts it unless the policy is Never', async (t) => {
  const running = rec(app, 'CONTAINER_RUNNING', { restartCount: 2 });
  const live = { failed: () => ({ kind: 'liveness' as const, graceSeconds: 5 }) };
  const a = computePodActions(pod(), state([sandbox()], [running]), live);
  t.same(summary(a), { createSandbox: false, attempt: 0, killPod: false, kill: ['app'], start: ['app#3'] });
  t.match(a.kill[0], { message: 'Container app failed liveness probe, will be restarted', graceSeconds: 5 });
  const never = computePodActions(pod({ restartPolicy: 'Never' }), state([sandbox()], [running]), { failed: () => ({ kind: 'startup', graceSeconds: undefined }) });
  t.same(summary(never), { createSandbox: false, attempt: 0, killPod: true, kill: ['app'], start: [] });
  t.equal(never.kill[0]?.message, 'Container app failed startup probe');
  t.same(summary(computePodActions(pod(), state([sandbox()], [running]), { failed: () => undefined })).kill, [], 'passing probes change nothing');
});

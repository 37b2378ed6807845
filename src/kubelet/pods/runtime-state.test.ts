import t from 'tap';
import { FakeRuntime } from '../cri/fake.js';
import { podUidLabel } from './labels.js';
import { RuntimeStateReader, settledStates } from './runtime-state.js';

const image = 'localhost/test/busybox:1';

function sandboxFor(uid: string) {
  return { metadata: { name: `p-${uid}`, uid, namespace: 'n', attempt: 0 }, labels: { [podUidLabel]: uid } };
}

t.test('before any full listing, every pod is read from the runtime', async (t) => {
  const rt = new FakeRuntime({ images: [image] });
  const reader = new RuntimeStateReader(rt);
  t.same(await reader.read('a'), { uid: 'a', sandboxes: [], containers: [] });
  t.ok(rt.calls.includes('ListPodSandbox'), 'the runtime was asked');
});

t.test('a pod the last full listing found nothing of is empty without a call, until its first read', async (t) => {
  const rt = new FakeRuntime({ images: [image] });
  const reader = new RuntimeStateReader(rt);
  reader.listed(new Set(), new Set());
  t.same(await reader.read('a'), { uid: 'a', sandboxes: [], containers: [] });
  t.same(rt.calls, [], 'no runtime call for a new pod');
  // The sync that read it made a sandbox; the listing taken before does not show it.
  await rt.runPodSandbox(sandboxFor('a'));
  rt.calls.length = 0;
  const state = await reader.read('a');
  t.equal(state.sandboxes.length, 1, 'a touched pod is read from the runtime');
  t.ok(rt.calls.includes('ListPodSandbox'));
});

t.test('a pod a full listing found records of is read from the runtime', async (t) => {
  const rt = new FakeRuntime({ images: [image] });
  const reader = new RuntimeStateReader(rt);
  const id = await rt.runPodSandbox(sandboxFor('b'));
  reader.listed(new Set(['b']), new Set());
  const state = await reader.read('b');
  t.same(state.sandboxes.map((s) => s.id), [id], 'records left by an earlier kubelet are seen');
});

t.test('once its records are removed, a pod counts as new again', async (t) => {
  const rt = new FakeRuntime({ images: [image] });
  const reader = new RuntimeStateReader(rt);
  reader.listed(new Set(), new Set());
  await reader.read('c');
  reader.removed('c');
  rt.calls.length = 0;
  await reader.read('c');
  t.same(rt.calls, []);
});

t.test('settledStates: records unchanged and records the sync made, in the state it left them', async (t) => {
  const sandbox = (id: string, state: 'SANDBOX_READY' | 'SANDBOX_NOTREADY') => ({ id, name: 'p', namespace: 'n', attempt: 0, state, createdAt: 0n, ips: [], hostNetwork: false });
  const container = (id: string, state: 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED') => ({
    id,
    sandboxId: 's1',
    name: 'c',
    restartCount: 0,
    hash: '',
    state,
    createdAt: 0n,
    startedAt: 0n,
    finishedAt: 0n,
    exitCode: 0,
    reason: '',
    message: '',
    image: '',
    imageRef: '',
    logPath: '',
  });
  const before = { uid: 'u', sandboxes: [sandbox('s0', 'SANDBOX_NOTREADY')], containers: [container('old', 'CONTAINER_RUNNING'), container('gone', 'CONTAINER_EXITED')] };
  const after = {
    uid: 'u',
    sandboxes: [sandbox('s1', 'SANDBOX_READY'), sandbox('s0', 'SANDBOX_NOTREADY')],
    containers: [container('new', 'CONTAINER_RUNNING'), container('quick', 'CONTAINER_EXITED'), container('stuck', 'CONTAINER_CREATED'), container('old', 'CONTAINER_EXITED')],
  };
  t.same(
    [...settledStates(before, after)].sort(),
    [
      ['new', 'CONTAINER_RUNNING'],
      ['s0', 'SANDBOX_NOTREADY'],
      ['s1', 'SANDBOX_READY'],
    ],
    'an exit, a container that never started and a removal are news',
  );
});

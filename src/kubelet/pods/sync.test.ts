// Pod workers end to end on the fake runtime and an in-process API server:
// the CRI calls a sync makes and the pod status that results.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { Client } from '../../client/index.js';
import { isNotFound } from '../../machinery/index.js';
import { startTestApiServer } from '../../../test/helpers/apiserver.js';
import { KubeletHarness, makeDirs, testImage, testPod } from '../harness.fixture.js';

const api = await startTestApiServer();
t.teardown(() => api.close());
const client = new Client(api.inProcess());

let nodes = 0;
const nodeName = (): string => `sync-node-${nodes++}`;

const calls = (h: KubeletHarness, method: string): string[] => h.runtime.calls.filter((c) => c === method || c.startsWith(`${method} `));

async function eventsOf(name: string): Promise<string[]> {
  const list = await client.events.list({ namespace: 'default', fieldSelector: `involvedObject.name=${name}` });
  return list.items.map((e) => `${e.type} ${e.reason} ${e.message}`);
}

t.test('a pod runs: sandbox, container, status Running with conditions and events', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  const created = await client.pods.create(testPod('default', 'runs', h.nodeName));
  await h.settle();
  t.same(
    h.runtime.calls.filter((c) => /^(RunPodSandbox|CreateContainer|StartContainer|PullImage)/.test(c)).map((c) => c.split(' ')[0]),
    ['RunPodSandbox', 'CreateContainer', 'StartContainer'],
    'no pull for a present image with a pinned tag',
  );
  const pod = await h.pod('default', 'runs');
  const status = pod.status!;
  t.equal(status.phase, 'Running');
  t.equal(status.hostIP, '192.0.2.10');
  t.match(status.podIP, /^10\.88\.0\.\d+$/);
  t.equal(status.qosClass, 'BestEffort');
  t.ok(status.startTime);
  t.same(
    status.conditions?.map((c) => `${c.type}=${c.status}`),
    ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
  );
  const cs = status.containerStatuses?.[0];
  t.match(cs, { name: 'main', ready: true, started: true, restartCount: 0, image: `docker.io/${testImage}`.replace('docker.io/', ''), state: { running: { startedAt: String } } });
  t.match(cs?.containerID, /^fake:\/\/[0-9a-f]{64}$/);
  t.match(cs?.imageID, /^sha256:/);
  // The sandbox config the kubelet sent.
  const sandbox = (await h.runtime.listPodSandbox())[0]!;
  t.match(sandbox.labels, { 'io.kubernetes.pod.name': 'runs', 'io.kubernetes.pod.namespace': 'default', 'io.kubernetes.pod.uid': created.metadata?.uid });
  const sandboxStatus = await h.runtime.podSandboxStatus(sandbox.id);
  t.equal(sandboxStatus.metadata.attempt, 0);
  const container = (await h.runtime.listContainers())[0]!;
  const cstatus = await h.runtime.containerStatus(container.id);
  t.equal(cstatus.logPath, join(h.dirs.podLogDir, `default_runs_${created.metadata?.uid}`, 'main', '0.log'));
  t.match(cstatus.annotations, { 'io.kubernetes.container.restartCount': '0', 'io.kubernetes.container.hash': /^[0-9a-f]+$/ });
  t.match(cstatus.labels, { 'io.kubernetes.container.name': 'main', 'io.kubernetes.pod.uid': created.metadata?.uid });
  t.same(await eventsOf('runs'), [
    `Normal Pulled Container image "${testImage}" already present on machine`,
    'Normal Created Created container: main',
    'Normal Started Started container main',
  ]);
});

t.test('a crashing container restarts with a growing back-off and shows CrashLoopBackOff', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  const startedAt: number[] = [];
  const start = h.runtime.startContainer.bind(h.runtime);
  h.runtime.startContainer = async (id, opts) => {
    startedAt.push(h.clock.now());
    return start(id, opts);
  };
  const pod = await client.pods.create(testPod('default', 'crash', h.nodeName, {}, ['sh', '-c', 'exit 3']));
  const uid = pod.metadata?.uid;
  await h.advance(2000);
  t.equal(startedAt.length, 2, 'the first restart is immediate');
  let status = (await h.pod('default', 'crash')).status!;
  t.match(status.containerStatuses?.[0], {
    restartCount: 1,
    state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=main pod=crash_default(${uid})` } },
    lastState: { terminated: { exitCode: 3, reason: 'Error' } },
  });
  t.equal(status.phase, 'Running', 'restartPolicy Always: a restarting pod is Running');
  t.match(status.conditions?.find((c) => c.type === 'Ready'), { status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [main]' });
  await h.advance(75_000);
  const gaps = startedAt.slice(1).map((at, i) => Math.round((at - startedAt[i]!) / 1000));
  t.same(gaps.slice(0, 4), [gaps[0]! <= 1 ? gaps[0] : -1, 10, 20, 40], `seconds between starts: ${gaps.join(', ')}`);
  status = (await h.pod('default', 'crash')).status!;
  t.equal(status.containerStatuses?.[0]?.restartCount, 4);
  t.match(status.containerStatuses?.[0]?.state?.waiting?.message, /^back-off 1m20s restarting/);
  const events = await eventsOf('crash');
  t.ok(events.some((e) => e === `Warning BackOff Back-off restarting failed container main in pod crash_default(${uid})`), events.join('\n'));
  t.ok(calls(h, 'RemoveContainer').length >= 1, 'old exited containers are removed, the newest two kept');
  t.ok((await h.runtime.listContainers()).length <= 3);
});

t.test('init containers run one at a time, in order, before the app containers', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  await client.pods.create(
    testPod('default', 'inits', h.nodeName, {
      initContainers: [
        { name: 'first', image: testImage, command: ['sleep', '5'] },
        { name: 'second', image: testImage, command: ['sleep', '3'] },
      ],
    }),
  );
  await h.settle();
  const created = async (): Promise<string[]> => {
    const out: string[] = [];
    for (const c of await h.runtime.listContainers()) out.push(c.metadata.name);
    return out.sort();
  };
  t.same(await created(), ['first']);
  let pod = await h.pod('default', 'inits');
  t.equal(pod.status?.phase, 'Pending');
  t.match(pod.status?.conditions?.find((c) => c.type === 'Initialized'), { status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [first second]' });
  t.match(pod.status?.initContainerStatuses?.[1], { name: 'second', state: { waiting: { reason: 'PodInitializing' } } });
  t.match(pod.status?.containerStatuses?.[0], { name: 'main', state: { waiting: { reason: 'PodInitializing' } } });
  await h.advance(5000);
  t.same(await created(), ['first', 'second']);
  await h.advance(3000);
  t.same(await created(), ['first', 'main', 'second']);
  pod = await h.pod('default', 'inits');
  t.equal(pod.status?.phase, 'Running');
  t.match(pod.status?.initContainerStatuses?.[0], { state: { terminated: { exitCode: 0, reason: 'Completed' } } });
  t.match(pod.status?.conditions?.find((c) => c.type === 'Initialized'), { status: 'True' });
});

t.test('a failed init container with restartPolicy Never fails the pod', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  await client.pods.create(testPod('default', 'init-fails', h.nodeName, { restartPolicy: 'Never', initContainers: [{ name: 'boom', image: testImage, command: ['sh', '-c', 'exit 2'] }] }));
  await h.advance(2000);
  const pod = await h.pod('default', 'init-fails');
  t.equal(pod.status?.phase, 'Failed');
  t.equal((await h.runtime.listContainers()).filter((c) => c.metadata.name === 'main').length, 0, 'the app container never ran');
  t.equal((await h.runtime.listPodSandbox())[0]?.state, 'SANDBOX_NOTREADY', 'the sandbox of a finished pod is stopped');
});

t.test('restartPolicy Never: a container that exits 0 makes the pod Succeeded', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  await client.pods.create(testPod('default', 'done', h.nodeName, { restartPolicy: 'Never' }, ['sh', '-c', 'sleep 2; exit 0']));
  await h.advance(3000);
  const pod = await h.pod('default', 'done');
  t.equal(pod.status?.phase, 'Succeeded');
  t.match(pod.status?.containerStatuses?.[0]?.state?.terminated, { exitCode: 0, reason: 'Completed' });
  t.match(pod.status?.conditions?.find((c) => c.type === 'Ready'), { status: 'False', reason: 'PodCompleted' });
  t.equal(calls(h, 'StartContainer').length, 1);
  t.equal((await h.runtime.listPodSandbox())[0]?.state, 'SANDBOX_NOTREADY');
});

t.test('restartPolicy OnFailure restarts a failed container but not a succeeded one', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  await client.pods.create(testPod('default', 'onfail', h.nodeName, { restartPolicy: 'OnFailure' }, ['sh', '-c', 'exit 1']));
  await h.advance(1000);
  t.equal(calls(h, 'StartContainer').length, 2);
  await client.pods.create(testPod('default', 'onok', h.nodeName, { restartPolicy: 'OnFailure' }, ['true']));
  await h.advance(2000);
  const ok = await h.pod('default', 'onok');
  t.equal(ok.status?.phase, 'Succeeded');
});

t.test('deletion stops containers with the grace period, removes everything, then deletes the pod', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  const pod = await client.pods.create(testPod('default', 'gone', h.nodeName, { terminationGracePeriodSeconds: 7 }));
  await h.settle();
  const uid = pod.metadata?.uid ?? '';
  // runc would leave these behind.
  const cgroup = join(h.dirs.cgroupFs, 'memory', 'tsk8s-test', `pod${uid}`, 'abc');
  mkdirSync(cgroup, { recursive: true });
  const podDir = join(h.dirs.rootDir, 'pods', uid);
  t.ok(existsSync(podDir), 'the pod directory exists while it runs');
  const container = (await h.runtime.listContainers())[0]!;
  await client.pods.delete('gone', { namespace: 'default' });
  await h.settle();
  const stop = h.runtime.calls.find((c) => c.startsWith('StopContainer'));
  t.equal(stop, `StopContainer ${container.id}`);
  t.ok(await h.pod('default', 'gone').then(() => false, (err: unknown) => isNotFound(err)), 'the pod object is gone');
  t.same(await h.runtime.listPodSandbox(), [], 'sandbox removed');
  t.same(await h.runtime.listContainers(), [], 'containers removed');
  t.notOk(existsSync(join(h.dirs.cgroupFs, 'memory', 'tsk8s-test', `pod${uid}`)), 'pod cgroup removed');
  t.notOk(existsSync(podDir), 'pod directory removed');
  t.notOk(existsSync(join(h.dirs.podLogDir, `default_gone_${uid}`)), 'pod logs removed');
  const events = await eventsOf('gone');
  t.ok(events.includes('Normal Killing Stopping container main'), events.join('\n'));
});

t.test('after a kubelet restart running containers are adopted and restart counts kept', async (t) => {
  const dirs = makeDirs();
  const first = await KubeletHarness.start({ client, nodeName: nodeName(), dirs });
  await client.pods.create(testPod('default', 'adopt-run', first.nodeName));
  await client.pods.create(testPod('default', 'adopt-crash', first.nodeName, {}, ['sh', '-c', 'exit 1']));
  await first.advance(1000);
  await first.advance(11_000);
  const before = await first.pod('default', 'adopt-crash');
  t.equal(before.status?.containerStatuses?.[0]?.restartCount, 2);
  const running = await first.pod('default', 'adopt-run');
  await first.stop(true);

  const runtime = first.runtime;
  const mark = runtime.calls.length;
  const second = await KubeletHarness.start({ client, nodeName: first.nodeName, dirs, runtime, clock: first.clock });
  t.teardown(() => second.stop());
  const after = runtime.calls.slice(mark);
  t.notOk(after.some((c) => c.startsWith('RunPodSandbox') || c.startsWith('StopContainer') || c.startsWith('StopPodSandbox')), after.join('\n'));
  const adopted = await second.pod('default', 'adopt-run');
  t.equal(adopted.status?.containerStatuses?.[0]?.containerID, running.status?.containerStatuses?.[0]?.containerID, 'same container');
  t.equal(adopted.status?.containerStatuses?.[0]?.restartCount, 0);
  const crash = await second.pod('default', 'adopt-crash');
  t.ok((crash.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2, 'restart count carried over from the runtime');
});

t.test('sandboxes of pods deleted while the kubelet was down are removed; foreign ones are left alone', async (t) => {
  const dirs = makeDirs();
  const name = nodeName();
  const first = await KubeletHarness.start({ client, nodeName: name, dirs });
  const pod = await client.pods.create(testPod('default', 'orphan', name));
  await first.settle();
  await first.stop(true);
  // Deleted while the kubelet is down (force: no kubelet to confirm).
  await client.pods.delete('orphan', { namespace: 'default', gracePeriodSeconds: 0 });
  const runtime = first.runtime;
  const foreign = await runtime.runPodSandbox({ metadata: { name: 'other', namespace: 'x', uid: 'not-ours' }, labels: { app: 'other' } });
  const second = await KubeletHarness.start({ client, nodeName: name, dirs, runtime, clock: first.clock });
  t.teardown(() => second.stop());
  await second.settle();
  const left = await runtime.listPodSandbox();
  t.same(left.map((s) => s.id), [foreign], 'only the sandbox without kubelet labels is left');
  t.notOk(existsSync(join(dirs.rootDir, 'pods', pod.metadata?.uid ?? '')));
});

t.test('image pull failures: ErrImagePull, then ImagePullBackOff; Never with a missing image', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  const missing = 'localhost/test/missing:1';
  await client.pods.create({ ...testPod('default', 'nopull', h.nodeName), spec: { nodeName: h.nodeName, containers: [{ name: 'main', image: missing }] } });
  await h.settle();
  let pod = await h.pod('default', 'nopull');
  t.match(pod.status?.containerStatuses?.[0]?.state?.waiting, { reason: 'ErrImagePull' });
  t.equal(pod.status?.phase, 'Pending');
  await h.advance(2000);
  pod = await h.pod('default', 'nopull');
  t.match(pod.status?.containerStatuses?.[0]?.state?.waiting, { reason: 'ImagePullBackOff', message: `Back-off pulling image "${missing}"` });
  const pulls = calls(h, 'PullImage').length;
  h.runtime.images.publish(missing);
  await h.advance(9000);
  t.ok(calls(h, 'PullImage').length > pulls, 'pulled again after the back-off');
  pod = await h.pod('default', 'nopull');
  t.equal(pod.status?.phase, 'Running');
  const events = await eventsOf('nopull');
  t.ok(events.includes('Warning Failed Error: ErrImagePull'), events.join('\n'));
  t.ok(events.includes('Warning Failed Error: ImagePullBackOff'), events.join('\n'));
  t.ok(events.some((e) => e.startsWith(`Normal Pulled Successfully pulled image "${missing}" in `)), events.join('\n'));

  await client.pods.create({ ...testPod('default', 'never', h.nodeName), spec: { nodeName: h.nodeName, containers: [{ name: 'main', image: 'localhost/test/absent:1', imagePullPolicy: 'Never' }] } });
  await h.settle();
  pod = await h.pod('default', 'never');
  t.match(pod.status?.containerStatuses?.[0]?.state?.waiting, { reason: 'ErrImageNeverPull', message: 'Container image "localhost/test/absent:1" is not present with pull policy of Never' });
});

t.test('a missing ConfigMap is a CreateContainerConfigError until it exists', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName(), intervals: { syncRetryMs: 2000 } });
  t.teardown(() => h.stop());
  const pod: corev1.Pod = testPod('default', 'needs-cm', h.nodeName);
  pod.spec!.containers[0]!.env = [{ name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'greeting', key: 'text' } } }];
  await client.pods.create(pod);
  await h.settle();
  const got = await h.pod('default', 'needs-cm');
  t.match(got.status?.containerStatuses?.[0]?.state?.waiting, { reason: 'CreateContainerConfigError', message: 'configmap "greeting" not found' });
  await client.configMaps.create({ metadata: { name: 'greeting', namespace: 'default' }, data: { text: 'hello' } });
  await h.advance(61_000, 5000);
  const running = await h.pod('default', 'needs-cm');
  t.equal(running.status?.phase, 'Running');
  const c = (await h.runtime.listContainers()).find((x) => x.labels['io.kubernetes.pod.name'] === 'needs-cm')!;
  const status = await h.runtime.containerStatus(c.id);
  t.ok(status);
});

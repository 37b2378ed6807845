// More pod worker behaviour on the fake runtime: volumes and mounts,
// termination messages, spec changes, force deletion, the pod network.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { Client } from '../../client/index.js';
import { isNotFound } from '../../machinery/index.js';
import { startTestApiServer } from '../../../test/helpers/apiserver.js';
import { FakeRuntime } from '../cri/fake.js';
import { KubeletHarness, testImage, testPod } from '../harness.fixture.js';

const api = await startTestApiServer();
t.teardown(() => api.close());
const client = new Client(api.inProcess());

let nodes = 0;
const nodeName = (): string => `life-node-${nodes++}`;

async function containerOf(h: KubeletHarness, podName: string, name = 'main') {
  const c = (await h.runtime.listContainers()).filter((x) => x.labels['io.kubernetes.pod.name'] === podName && x.metadata.name === name).sort((a, b) => (b.metadata.attempt ?? 0) - (a.metadata.attempt ?? 0))[0];
  if (!c) throw new Error(`no container ${name} of ${podName}`);
  return h.runtime.containerStatus(c.id);
}

t.test('volumes are set up and mounted; the hosts file and DNS are the pod\'s', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  writeFileSync(h.dirs.resolvConf, 'nameserver 192.0.2.53\nsearch corp.example\n');
  await client.configMaps.create({ metadata: { name: 'vol-conf', namespace: 'default' }, data: { 'settings.ini': 'x=1\n' } });
  const pod = testPod('default', 'vols', h.nodeName, {
    volumes: [
      { name: 'scratch', emptyDir: {} },
      { name: 'conf', configMap: { name: 'vol-conf' } },
    ],
  });
  pod.spec!.containers[0]!.volumeMounts = [
    { name: 'scratch', mountPath: '/scratch' },
    { name: 'conf', mountPath: '/etc/app' },
  ];
  const created = await client.pods.create(pod);
  await h.settle();
  const uid = created.metadata?.uid ?? '';
  const status = await containerOf(h, 'vols');
  const mounts = Object.fromEntries(status.mounts.map((m) => [m.containerPath, m]));
  const volumes = join(h.dirs.rootDir, 'pods', uid, 'volumes');
  t.match(mounts['/scratch'], { hostPath: join(volumes, 'kubernetes.io~empty-dir', 'scratch'), readonly: false });
  t.match(mounts['/etc/app'], { hostPath: join(volumes, 'kubernetes.io~configmap', 'conf'), readonly: true });
  t.equal(readFileSync(join(volumes, 'kubernetes.io~configmap', 'conf', 'settings.ini'), 'utf8'), 'x=1\n');
  const hosts = readFileSync(mounts['/etc/hosts']!.hostPath, 'utf8');
  const ip = (await h.pod('default', 'vols')).status?.podIP;
  t.match(hosts, new RegExp(`\\n${ip?.replaceAll('.', '\\.')}\\tvols\\n`));
  t.ok(mounts['/dev/termination-log'], 'a termination message file is mounted');
  const sandbox = (await h.runtime.listPodSandbox()).find((s) => s.labels['io.kubernetes.pod.uid'] === uid)!;
  t.ok(sandbox);
});

t.test('the termination message file becomes the terminated state message', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  await client.pods.create(testPod('default', 'last-words', h.nodeName, { restartPolicy: 'Never' }, ['sh', '-c', 'sleep 5; exit 4']));
  await h.settle();
  const status = await containerOf(h, 'last-words');
  const file = status.mounts.find((m) => m.containerPath === '/dev/termination-log')!.hostPath;
  writeFileSync(file, 'disk full');
  await h.advance(6000);
  const pod = await h.pod('default', 'last-words');
  t.match(pod.status?.containerStatuses?.[0]?.state?.terminated, { exitCode: 4, reason: 'Error', message: 'disk full' });
  t.equal(pod.status?.phase, 'Failed');
});

t.test('FallbackToLogsOnError uses the end of the log', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  const pod = testPod('default', 'log-words', h.nodeName, { restartPolicy: 'Never' }, ['sh', '-c', 'sleep 5; exit 1']);
  pod.spec!.containers[0]!.terminationMessagePolicy = 'FallbackToLogsOnError';
  await client.pods.create(pod);
  await h.settle();
  const status = await containerOf(h, 'log-words');
  writeFileSync(status.logPath, '2026-01-01T00:00:00.000000000Z stdout F first line\n2026-01-01T00:00:00.100000000Z stderr P partial \n2026-01-01T00:00:00.200000000Z stderr F end\n');
  await h.advance(6000);
  const got = await h.pod('default', 'log-words');
  t.equal(got.status?.containerStatuses?.[0]?.state?.terminated?.message, 'first line\npartial end\n');
});

t.test('a new image restarts the container with the next restart count', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  h.runtime.images.add('localhost/test/busybox:2');
  await client.pods.create(testPod('default', 'upgrade', h.nodeName));
  await h.settle();
  await client.pods.patch('upgrade', { spec: { containers: [{ name: 'main', image: 'localhost/test/busybox:2' }] } }, { namespace: 'default', type: 'strategic' });
  await h.settle();
  const pod = await h.pod('default', 'upgrade');
  t.match(pod.status?.containerStatuses?.[0], { restartCount: 1, image: 'localhost/test/busybox:2', state: { running: {} } });
  const events = (await client.events.list({ namespace: 'default', fieldSelector: 'involvedObject.name=upgrade' })).items.map((e) => `${e.reason} ${e.message}`);
  t.ok(events.includes('Killing Container main definition changed, will be restarted'), events.join('\n'));
});

t.test('a force-deleted pod is stopped and removed', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  await client.pods.create(testPod('default', 'forced', h.nodeName));
  await h.settle();
  t.equal((await h.runtime.listContainers()).length, 1);
  await client.pods.delete('forced', { namespace: 'default', gracePeriodSeconds: 0 });
  await h.settle();
  t.same(await h.runtime.listPodSandbox(), []);
  t.ok(h.runtime.calls.some((c) => c.startsWith('StopContainer')));
  t.ok(await h.pod('default', 'forced').then(() => false, (err: unknown) => isNotFound(err)));
});

t.test('pods needing the pod network wait while it is not ready; host-network pods run', async (t) => {
  const runtime = new FakeRuntime({ images: [testImage] });
  let networkReady = false;
  const status = runtime.status.bind(runtime);
  runtime.status = async (verbose, opts) => {
    const s = await status(verbose, opts);
    return { ...s, conditions: s.conditions.map((c) => (c.type === 'NetworkReady' ? { ...c, status: networkReady, reason: networkReady ? '' : 'NetworkPluginNotReady' } : c)) };
  };
  const h = await KubeletHarness.start({ client, nodeName: nodeName(), runtime, intervals: { syncRetryMs: 1000 } });
  t.teardown(() => h.stop());
  await client.pods.create(testPod('default', 'needs-net', h.nodeName));
  await client.pods.create(testPod('default', 'host-net', h.nodeName, { hostNetwork: true }));
  await h.settle();
  t.equal((await h.pod('default', 'host-net')).status?.phase, 'Running');
  const waiting = await h.pod('default', 'needs-net');
  t.equal(waiting.status?.phase, 'Pending');
  t.match(waiting.status?.containerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
  const events = (await client.events.list({ namespace: 'default', fieldSelector: 'involvedObject.name=needs-net' })).items;
  t.match(events[0], { reason: 'NetworkNotReady', type: 'Warning', message: /^network is not ready: container runtime network not ready: NetworkReady=false/ });
  networkReady = true;
  await h.advance(11_000);
  t.equal((await h.pod('default', 'needs-net')).status?.phase, 'Running');
});

t.test('pods of other nodes are not touched', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  await client.pods.create(testPod('default', 'elsewhere', 'some-other-node'));
  const unbound: corev1.Pod = testPod('default', 'unbound', '');
  delete unbound.spec!.nodeName;
  await client.pods.create(unbound);
  await h.settle();
  t.same(await h.runtime.listPodSandbox(), []);
});

t.test('activeDeadlineSeconds: the pod is killed and fails with DeadlineExceeded', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  await client.pods.create(testPod('default', 'deadline', h.nodeName, { activeDeadlineSeconds: 30 }));
  await h.settle();
  t.equal((await h.pod('default', 'deadline')).status?.phase, 'Running');
  await h.advance(31_000, 5000);
  const pod = await h.pod('default', 'deadline');
  t.match(pod.status, { phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' });
  t.match(pod.status?.containerStatuses?.[0]?.state, { terminated: { exitCode: 143 } });
  t.equal((await h.runtime.listPodSandbox())[0]?.state, 'SANDBOX_NOTREADY');
});

t.test('a container with a readiness probe is ready only once the probe succeeds', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  const pod = testPod('default', 'probed', h.nodeName);
  pod.spec!.containers[0]!.readinessProbe = { exec: { command: ['false'] } };
  await client.pods.create(pod);
  await h.settle();
  const got = await h.pod('default', 'probed');
  t.match(got.status?.containerStatuses?.[0], { ready: false, started: true, state: { running: {} } });
  t.match(got.status?.conditions?.find((c) => c.type === 'Ready'), { status: 'False', reason: 'ContainersNotReady' });
});

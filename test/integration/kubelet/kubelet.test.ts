// The kubelet on a real containerd: a private containerd (host-network
// sandboxes only: no CNI yet), an in-process API server, the kubelet
// between them. Needs root and the bundled runtime (runtime/bin, or the
// directory TSK8S_RUNTIME_BIN names); removes everything it made.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { corev1 } from '../../../src/api/types.js';
import { Client } from '../../../src/client/index.js';
import { connectCri } from '../../../src/kubelet/cri/grpc.js';
import type { ContainerRuntime } from '../../../src/kubelet/cri/runtime.js';
import { startKubelet } from '../../../src/kubelet/index.js';
import { createLogger } from '../../../src/log/logger.js';
import { isNotFound } from '../../../src/machinery/index.js';
import { startTestApiServer } from '../../helpers/apiserver.js';
import { buildTestImages, defaultTestImages, testImageNames, writeOciArchive } from '../../helpers/images.js';
import { startContainerd } from '../cri/containerd.js';
import { serveRegistry } from '../cri/registry.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const binDir = process.env.TSK8S_RUNTIME_BIN ?? join(repoRoot, 'runtime', 'bin');
const pullableName = 'localhost/tsk8s-test/kubelet-pullable:1';

if (process.getuid?.() !== 0) {
  t.plan(0, 'needs root: runs pods through containerd');
} else if (!existsSync(join(binDir, 'containerd'))) {
  t.plan(0, `${join(binDir, 'containerd')} is missing: fill runtime/bin with scripts/fetch-runtime.sh`);
} else {
  await run();
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'tsk8s-kubelet-it-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const images = buildTestImages(join(work, 'images'), [...defaultTestImages, { name: pullableName, cmd: ['sh', '-c', 'echo pulled; sleep 3600'] }]);
  const registry = await serveRegistry(images);
  t.teardown(() => registry.close());

  const cgroupRoot = `/tsk8s-kubelet-test-${process.pid}`;
  const containerd = await startContainerd({ binDir, sandboxImage: testImageNames.pause, registries: [registry.host], cgroupParent: cgroupRoot });
  t.teardown(() => containerd.stop());
  containerd.ctr('-n', 'k8s.io', 'images', 'import', writeOciArchive(images, join(work, 'images.tar'), [testImageNames.busybox, testImageNames.pause]));

  const api = await startTestApiServer();
  t.teardown(() => api.close());
  const client = new Client(api.inProcess());

  const cri = connectCri({ endpoint: containerd.socket });
  t.teardown(() => cri.close());
  // Shim sockets of tracked sandboxes are removed when containerd stops.
  const runtime: ContainerRuntime = {
    ...cri,
    runPodSandbox: async (config, handler, opts) => {
      const id = await cri.runPodSandbox(config, handler, opts);
      containerd.track(id);
      return id;
    },
  };
  const rootDir = join(work, 'agent');
  const podLogDir = join(work, 'pod-logs');
  const nodeName = `kubelet-it-${process.pid}`;
  const start = () => {
    const controller = new AbortController();
    const running = startKubelet(
      {
        client,
        runtime,
        nodeName,
        nodeIps: ['127.0.0.1'],
        hostname: nodeName,
        rootDir,
        podLogDir,
        cgroupRoot,
        clusterDns: ['10.43.0.10'],
        clusterDomain: 'cluster.local',
        sandboxImage: testImageNames.pause,
        kubeletVersion: 'v1.32.0+tsk8s-test',
        logger: createLogger('kubelet', { level: process.env.TSK8S_TEST_LOG === 'debug' ? 'debug' : 'error' }),
        intervals: { housekeepingMs: 2000 },
      },
      controller.signal,
    );
    const stop = async (): Promise<void> => {
      controller.abort();
      await running.stopped;
    };
    return { running, stop };
  };
  let kubelet = start();
  t.teardown(() => kubelet.stop());
  await kubelet.running.ready;

  const hostPod = (name: string, command: string[], extra: Partial<corev1.PodSpec> = {}, image: string = testImageNames.busybox): corev1.Pod => ({
    metadata: { name, namespace: 'default' },
    spec: { nodeName, hostNetwork: true, terminationGracePeriodSeconds: 5, containers: [{ name: 'main', image, imagePullPolicy: 'IfNotPresent', command }], ...extra },
  });
  const get = (name: string): Promise<corev1.Pod> => client.pods.get(name, 'default');

  await t.test('the node registers; without CNI it reports the runtime network not ready', async (t) => {
    const node = await client.nodes.get(nodeName);
    t.match(node.status?.nodeInfo, { containerRuntimeVersion: /^containerd:\/\/1\./, kubeletVersion: 'v1.32.0+tsk8s-test', operatingSystem: 'linux' });
    t.match(node.status?.conditions?.find((c) => c.type === 'Ready'), { status: 'False', reason: 'KubeletNotReady', message: /container runtime network not ready: NetworkReady=false/ });
    t.ok(node.status?.images?.some((i) => i.names?.includes(testImageNames.busybox)), 'images listed');
    const lease = await client.leases.get(nodeName, 'kube-node-lease');
    t.match(lease.spec, { holderIdentity: nodeName, leaseDurationSeconds: 40 });
  });

  await t.test("a host-network pod runs and its output lands in the CRI log file", async (t) => {
    const pod = await client.pods.create(hostPod('echo', ['sh', '-c', "trap 'exit 0' TERM; echo hello-from-tsk8s; while true; do sleep 1; done"]));
    const uid = pod.metadata?.uid ?? '';
    const running = await until('echo Running', async () => ((await get('echo')).status?.phase === 'Running' ? get('echo') : undefined));
    t.equal(running.status?.podIP, '127.0.0.1', 'a host-network pod has the node address');
    t.match(running.status?.containerStatuses?.[0], { ready: true, restartCount: 0, containerID: /^containerd:\/\//, imageID: /sha256:/ });
    const logFile = join(podLogDir, `default_echo_${uid}`, 'main', '0.log');
    const log = await until('the log line', async () => (existsSync(logFile) && readFileSync(logFile, 'utf8').includes('hello-from-tsk8s') ? readFileSync(logFile, 'utf8') : undefined));
    t.match(log, /^\S+ stdout F hello-from-tsk8s$/m);
  });

  await t.test('a restarted kubelet adopts the running pod without restarting it', async (t) => {
    const before = (await get('echo')).status?.containerStatuses?.[0];
    const sandboxes = (await cri.listPodSandbox()).map((s) => s.id);
    await kubelet.stop();
    kubelet = start();
    await kubelet.running.ready;
    await new Promise((r) => setTimeout(r, 1500));
    const after = (await get('echo')).status?.containerStatuses?.[0];
    t.equal(after?.containerID, before?.containerID, 'the same container');
    t.equal(after?.restartCount, 0);
    t.match(after?.state, { running: { startedAt: before?.state?.running?.startedAt } });
    t.same((await cri.listPodSandbox()).map((s) => s.id), sandboxes, 'no new sandbox');
  });

  await t.test("a crashing container's restart count grows", async (t) => {
    await client.pods.create(hostPod('crash', ['sh', '-c', 'echo crashing; exit 1']));
    const pod = await until('two restarts', async () => {
      const p = await get('crash');
      return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2 ? p : undefined;
    }, 40_000);
    t.match(pod.status?.containerStatuses?.[0]?.lastState?.terminated, { exitCode: 1, reason: 'Error' });
    const waiting = await until('CrashLoopBackOff', async () => {
      const s = (await get('crash')).status?.containerStatuses?.[0]?.state?.waiting;
      return s?.reason === 'CrashLoopBackOff' ? s : undefined;
    });
    t.match(waiting.message, /^back-off \d+s restarting failed container=main pod=crash_default/);
  });

  await t.test('an image is pulled from the registry when absent', async (t) => {
    await client.pods.create(hostPod('pulled', [], {}, registry.nameOf(pullableName)));
    const pod = await until('pulled Running', async () => ((await get('pulled')).status?.phase === 'Running' ? get('pulled') : undefined));
    t.ok(pod);
    const events = await client.events.list({ namespace: 'default', fieldSelector: 'involvedObject.name=pulled' });
    t.ok(events.items.some((e) => e.reason === 'Pulling'), 'Pulling event');
    t.ok(events.items.some((e) => e.reason === 'Pulled' && /^Successfully pulled image/.test(e.message ?? '')), 'Pulled event');
  });

  await t.test('deletion stops the pod and removes its sandbox, cgroups and logs, then the pod object', async (t) => {
    const pods = await client.pods.list({ namespace: 'default', fieldSelector: `spec.nodeName=${nodeName}` });
    const uids = pods.items.map((p) => p.metadata?.uid ?? '');
    for (const p of pods.items) await client.pods.delete(p.metadata?.name ?? '', { namespace: 'default' });
    for (const p of pods.items) {
      await until(`${p.metadata?.name} gone`, async () => get(p.metadata?.name ?? '').then(() => undefined, (err: unknown) => (isNotFound(err) ? true : undefined)), 40_000);
    }
    t.same(await cri.listPodSandbox(), [], 'no sandboxes left');
    t.same(await cri.listContainers(), [], 'no containers left');
    const left = uids.flatMap((uid) => readdirSync('/sys/fs/cgroup').map((h) => join('/sys/fs/cgroup', h, cgroupRoot, `pod${uid}`))).filter((p) => existsSync(p));
    t.same(left, [], 'no pod cgroup directories left in any hierarchy');
    t.same(readdirSync(join(rootDir, 'pods')), [], 'pod directories removed');
    t.same(readdirSync(podLogDir), [], 'pod log directories removed');
  });
}

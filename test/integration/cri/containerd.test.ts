// The ContainerRuntime conformance suite on a real containerd through the
// gRPC client, then sandbox → running timings. Needs root and the bundled
// runtime (runtime/bin, or the directory named by TSK8S_RUNTIME_BIN); starts
// its own containerd and image registry and removes all of it afterwards.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { runtimeConformance } from '../../../src/kubelet/cri/conformance.js';
import { connectCri } from '../../../src/kubelet/cri/grpc.js';
import type { ContainerRuntime } from '../../../src/kubelet/cri/runtime.js';
import type { PodSandboxConfig } from '../../../src/kubelet/cri/types.js';
import { buildTestImages, defaultTestImages, testImageNames, writeOciArchive } from '../../helpers/images.js';
import { startContainerd, type Containerd } from './containerd.js';
import { serveRegistry } from './registry.js';
import { measureStartup } from './timings.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const binDir = process.env.TSK8S_RUNTIME_BIN ?? join(repoRoot, 'runtime', 'bin');
const pullableName = 'localhost/tsk8s-test/pullable:1';

if (process.getuid?.() !== 0) {
  t.plan(0, 'needs root: runs containers through containerd');
} else if (!existsSync(join(binDir, 'containerd'))) {
  t.plan(0, `${join(binDir, 'containerd')} is missing: fill runtime/bin with scripts/fetch-runtime.sh`);
} else {
  await run();
}

async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'tsk8s-cri-images-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const images = buildTestImages(work, [...defaultTestImages, { name: pullableName, cmd: ['echo', 'pulled'] }]);
  const registry = await serveRegistry(images);
  t.teardown(() => registry.close());

  const cgroupParent = `/tsk8s-cri-test-${process.pid}`;
  const containerd: Containerd = await startContainerd({ binDir, sandboxImage: testImageNames.pause, registries: [registry.host], cgroupParent });
  t.teardown(() => containerd.stop());
  containerd.ctr('-n', 'k8s.io', 'images', 'import', writeOciArchive(images, join(work, 'images.tar'), [testImageNames.busybox, testImageNames.pause]));
  await waitForImages(containerd, [testImageNames.busybox, testImageNames.pause]);

  const sandboxConfig = (base: PodSandboxConfig): PodSandboxConfig => {
    const logDirectory = join(containerd.dir, 'pods', base.metadata.uid);
    mkdirSync(logDirectory, { recursive: true });
    return {
      ...base,
      // A host-network sandbox shares the host's UTS namespace: runc refuses
      // to set a hostname there (the kubelet leaves it empty for such pods).
      hostname: undefined,
      logDirectory,
      linux: {
        ...base.linux,
        cgroupParent,
        // Host network: no CNI, nothing touches the host's network.
        securityContext: { ...base.linux?.securityContext, namespaceOptions: { network: 'NODE', pid: 'POD', ipc: 'POD' } },
      },
    };
  };
  const tracked = (): ContainerRuntime => {
    const rt = connectCri({ endpoint: `unix://${containerd.socket}` });
    return {
      ...rt,
      runPodSandbox: async (config, handler, opts) => {
        const id = await rt.runPodSandbox(config, handler, opts);
        containerd.track(id);
        return id;
      },
    };
  };

  await runtimeConformance(t, 'containerd', async () => ({
    runtime: tracked(),
    image: testImageNames.busybox,
    pullable: registry.nameOf(pullableName),
    missing: `${registry.host}/tsk8s-test/missing:1`,
    sandboxConfig,
    cleanup: async () => {},
  }));

  await t.test("a container's output lands in its CRI log file", async (t) => {
    const rt = tracked();
    t.teardown(() => rt.close());
    const config = sandboxConfig({ metadata: { name: 'logs', uid: `logs-${process.pid}`, namespace: 'cri-logs', attempt: 0 } });
    const sandbox = await rt.runPodSandbox(config);
    t.teardown(() => rt.removePodSandbox(sandbox));
    const argv = ['sh', '-c', 'echo out; echo err >&2'];
    const id = await rt.createContainer(sandbox, { metadata: { name: 'talker' }, image: { image: testImageNames.busybox }, command: argv, logPath: 'talker/0.log' }, config);
    await rt.startContainer(id);
    let status = await rt.containerStatus(id);
    for (let i = 0; i < 100 && status.state !== 'CONTAINER_EXITED'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      status = await rt.containerStatus(id);
    }
    t.equal(status.logPath, join(config.logDirectory ?? '', 'talker/0.log'));
    // CRI log format: RFC 3339 nano timestamp, stream, F(ull) or P(artial), the line.
    const lines = readFileSync(status.logPath, 'utf8').trimEnd().split('\n').sort((a, b) => a.split(' ')[1]?.localeCompare(b.split(' ')[1] ?? '') ?? 0);
    t.match(lines, [/^\d{4}-\d\d-\d\dT\S+Z stderr F err$/, /^\d{4}-\d\d-\d\dT\S+Z stdout F out$/]);
  });

  await t.test('sandbox → running timings', async (t) => {
    const rt = tracked();
    t.teardown(() => rt.close());
    const report = await measureStartup(rt, testImageNames.busybox, sandboxConfig);
    for (const line of report.lines) t.comment(line);
    t.ok(report.medianMs > 0 && report.medianMs < 5000, `median sandbox → running ${report.medianMs.toFixed(0)} ms (Kubernetes' SLO is 5 s)`);
  });
}

async function waitForImages(containerd: Containerd, names: string[]): Promise<void> {
  const rt = connectCri({ endpoint: containerd.socket });
  try {
    const deadline = Date.now() + 10_000;
    for (const name of names) {
      while (!(await rt.imageStatus(name))) {
        if (Date.now() > deadline) throw new Error(`${name} not visible to the CRI after import:\n${containerd.logTail()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  } finally {
    await rt.close();
  }
}

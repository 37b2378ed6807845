// The image importer on the real bundled runtime: containerd started by the
// supervisor on a temp data dir, the bundled images (runtime/images)
// imported at start and visible through the CRI, a .tar.gz dropped into
// <data-dir>/agent/images while running imported too, a restart that skips
// all of it, and a pod run from the bundled images (pause as the sandbox,
// busybox serving and fetching HTTP with httpd, wget -T and http-get).
// Needs root, runtime/ and runtime/images (scripts/fetch-runtime.sh makes
// both). Everything it makes — processes, mounts, cgroups, dirs, shim
// sockets — is removed at the end.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { connectCri } from '../../../src/kubelet/cri/grpc.js';
import type { ContainerRuntime } from '../../../src/kubelet/cri/runtime.js';
import type { PodSandboxConfig } from '../../../src/kubelet/cri/types.js';
import { agentImagesDir, bundledImages, defaultBundledImagesDir, sandboxImage, startImageImporter, type ImageImporter, type ImportResult } from '../../../src/kubelet/images/index.js';
import { createLogger, type Logger } from '../../../src/log/logger.js';
import { defaultRuntimeDir, installRuntime, startContainerd, type RunningContainerd } from '../../../src/supervisor/index.js';
import { cleanupRun } from '../supervisor/harness.js';
import { removeCgroups } from '../../helpers/host-cleanup.js';

const isRoot = process.getuid?.() === 0;
const manifest = join(defaultRuntimeDir(), 'manifest.json');
const bundledIndex = join(defaultBundledImagesDir(), 'images.json');
const droppedName = 'localhost/tsk8s-test/dropped:1';

if (!isRoot) {
  t.plan(0, 'needs root: containerd runs as root');
} else if (!existsSync(manifest)) {
  t.plan(0, 'runtime/ is not fetched: run scripts/fetch-runtime.sh');
} else if (!existsSync(bundledIndex)) {
  t.plan(0, 'runtime/images is not built: run scripts/build-images.mjs (fetch-runtime.sh runs it)');
} else {
  await run();
}

async function run(): Promise<void> {
  const dataDir = mkdtempSync('/tmp/tsk8s-images-');
  const runDir = mkdtempSync('/run/tsk8s-test-');
  const hadRunContainerd = existsSync('/run/containerd');
  /** The shim socket of each sandbox this run starts: named by the hash of containerd's socket, the namespace and the sandbox id. */
  const shimSockets: string[] = [];
  const cgroupParent = `/tsk8s-images-test-${process.pid}`;
  const lines: string[] = [];
  const logger: Logger = createLogger('images', { level: 'debug', sink: { write: (l) => lines.push(l) } });
  const stops: AbortController[] = [];
  const importers: ImageImporter[] = [];
  let containerd: RunningContainerd | undefined;
  let cri: ContainerRuntime | undefined;
  t.teardown(async () => {
    if (cri) {
      for (const s of await cri.listPodSandbox().catch(() => [])) await cri.removePodSandbox(s.id).catch(() => undefined);
      await cri.close();
    }
    for (const ac of stops) ac.abort();
    await Promise.all(importers.map((i) => i.stopped));
    await containerd?.stopped;
    // Other tests may run shims of their own meanwhile: only empty dirs are removed from /run/containerd.
    await cleanupRun({ dataDir, runDir, hadRunContainerd: true });
    if (!hadRunContainerd && existsSync('/run/containerd') && readdirSync('/run/containerd').length === 0) rmdirSync('/run/containerd');
    removeCgroups(cgroupParent);
    const left = shimSockets.filter((s) => existsSync(s));
    if (left.length > 0) throw new Error(`shim sockets left behind: ${left.join(', ')}`);
  });

  const runtime = await installRuntime({ dataDir, logger });
  const ctrPath = join(runtime.binDir, 'ctr');
  const containerdStop = new AbortController();
  stops.push(containerdStop);
  containerd = startContainerd({ dataDir, stateDir: join(runDir, 'containerd'), binDir: runtime.binDir, sandboxImage, logger }, containerdStop.signal);
  const { socket } = await containerd.ready;
  cri = connectCri({ endpoint: socket });
  const imagesDir = agentImagesDir(dataDir);
  const results: ImportResult[] = [];
  const start = (): ImageImporter => {
    const ac = new AbortController();
    stops.push(ac);
    const importer = startImageImporter({ ctrPath, address: socket, dirs: [imagesDir], logger, settleMs: 200, onResult: (r) => results.push(r) }, ac.signal);
    importers.push(importer);
    return importer;
  };
  const stopLast = async (): Promise<void> => {
    stops.at(-1)?.abort();
    await importers.at(-1)?.stopped;
  };
  const tags = async (): Promise<string[]> => ((await cri?.listImages()) ?? []).flatMap((i) => i.repoTags);

  await t.test('imports the bundled images at start; the CRI lists them', async (t) => {
    const importer = start();
    const summary = await importer.ready;
    t.comment(`initial import: ${summary.ms} ms (${summary.results.map((r) => `${r.names.join(',')} ${r.ms} ms`).join('; ')})`);
    t.match(summary, { imported: 2, present: 0, failed: 0 });
    t.ok(statSync(imagesDir).isDirectory(), 'the watched dir is created');
    const listed = await tags();
    for (const name of Object.values(bundledImages)) {
      t.ok(listed.includes(name), `${name} is listed`);
      t.ok(importer.pinned().has(name), `${name} is pinned`);
    }
    const built = JSON.parse(readFileSync(bundledIndex, 'utf8')) as { images: { name: string; id: string }[] };
    for (const image of built.images) t.equal((await cri?.imageStatus(image.name))?.id, image.id, `${image.name} has the id build-images recorded`);
    t.match(lines.join(''), /info  images: imported images images=localhost\/tsk8s\/pause:3\.10 file=pause\.tar size=\d+KiB format=oci ms=\d+/);
  });

  await t.test('imports a .tar.gz dropped into the image dir while running', async (t) => {
    const importer = importers.at(-1) as ImageImporter;
    results.length = 0;
    const archive = gzipSync(renamedArchive(join(defaultBundledImagesDir(), 'busybox.tar'), droppedName, dataDir));
    const file = join(imagesDir, 'dropped.tar.gz');
    writeFileSync(file, archive.subarray(0, 4096));
    await sleep(50);
    writeFileSync(file, archive);
    const t0 = Date.now();
    // containerd lists an image before ctr has unpacked it: the importer's result comes last.
    while (results.length === 0) {
      if (Date.now() - t0 > 20_000) throw new Error(`${file} not imported after 20 s:\n${lines.join('')}`);
      await sleep(50);
    }
    t.comment(`imported ${Date.now() - t0} ms after the write (settle 200 ms)`);
    t.match(results, [{ file, outcome: 'imported', compression: 'gzip', names: [droppedName] }]);
    t.equal(results.length, 1);
    t.ok((await tags()).includes(droppedName), 'the CRI lists it');
    t.ok(importer.pinned().has(droppedName));
  });

  await t.test('a restart skips what containerd already holds', async (t) => {
    await stopLast();
    const importer = start();
    const summary = await importer.ready;
    t.comment(`restart: ${summary.ms} ms`);
    t.match(summary, { imported: 0, present: 3, failed: 0 });
    t.same([...importer.pinned()].sort(), [...Object.values(bundledImages), droppedName].sort());
  });

  await t.test('a pod runs from the bundled images: pause reaps, busybox serves and fetches HTTP', async (t) => {
    const rt = cri as ContainerRuntime;
    const uid = `images-${process.pid}`;
    const config: PodSandboxConfig = {
      metadata: { name: 'images', uid, namespace: 'tsk8s-images-test', attempt: 0 },
      logDirectory: join(dataDir, 'pods', uid),
      linux: { cgroupParent, securityContext: { namespaceOptions: { network: 'NODE', pid: 'POD', ipc: 'POD' } } },
    };
    mkdirSync(config.logDirectory as string, { recursive: true });
    const sandbox = await rt.runPodSandbox(config);
    shimSockets.push(join('/run/containerd/s', createHash('sha256').update(`${socket}/k8s.io/${sandbox}`).digest('hex')));
    t.ok(existsSync(shimSockets.at(-1) as string), "the pod's shim socket is where cleanup will look");
    const id = await rt.createContainer(sandbox, { metadata: { name: 'box' }, image: { image: bundledImages.busybox }, command: ['sleep', '600'], logPath: 'box/0.log' }, config);
    await rt.startContainer(id);
    const sh = async (script: string) => {
      const r = await rt.execSync(id, ['sh', '-c', script], 20);
      return { code: r.exitCode, out: r.stdout.toString().trim(), err: r.stderr.toString().trim() };
    };

    t.match(await sh('grep ^Uid /proc/1/status; tr "\\0" " " < /proc/1/cmdline'), { code: 0, out: /^Uid:\s+65535\s.*\n\/pause$/ }, 'pause is PID 1, as user 65535');
    await sh('sleep 0.3 & exit 0'); // the sleep is orphaned to PID 1
    await sleep(800);
    t.notMatch((await sh("grep -h '^State' /proc/[0-9]*/status")).out, /zombie/, 'pause reaped the orphan');

    const port = await freePort();
    const slow = '#!/bin/sh\nsleep 5\necho Content-Type: text/plain\necho\necho late\n';
    t.match(await sh(`mkdir -p /tmp/www/cgi-bin && echo served > /tmp/www/index.html && printf '${slow}' > /tmp/www/cgi-bin/slow && chmod +x /tmp/www/cgi-bin/slow && httpd -p 127.0.0.1:${port} -h /tmp/www`), { code: 0 });
    const url = `http://127.0.0.1:${port}`;
    const exec = async (...argv: string[]) => {
      const started = Date.now();
      const r = await rt.execSync(id, argv, 20);
      return { code: r.exitCode, out: r.stdout.toString().trim(), err: r.stderr.toString().trim(), ms: Date.now() - started };
    };

    t.same(await sh(`wget -T 2 -qO- ${url}/`), { code: 0, out: 'served', err: '' }, "busybox sh's own wget takes -T without crashing");
    t.match(await exec('wget', '-T', '2', '-qO-', `${url}/`), { code: 0, out: 'served', err: '' }, '/bin/wget takes -T');
    t.match(await exec('wget', '-q', '--timeout=2', '-O', '-', `http://localhost:${port}/index.html`), { code: 0, out: 'served', err: '' }, '/bin/wget takes --timeout');
    const timedOut = await exec('wget', '-q', '-T', '1', '-O', '-', `${url}/cgi-bin/slow`);
    t.match(timedOut, { code: 1, out: '', err: 'wget: download timed out' });
    t.ok(timedOut.ms < 4000, `and gives up after its timeout (${timedOut.ms} ms)`);
    t.match(await exec('wget', '-T', '1', '-qO-', `${url}/missing`), { code: 1, err: /404/ });

    t.match(await exec('http-get', `${url}/`), { code: 0, out: 'served', err: '' });
    t.match(await exec('http-get', `${url}/missing`), { code: 1, out: '', err: /server answered: HTTP\/1\.\d 404/ });
    t.match(await exec('http-get', '-t', '1', `${url}/cgi-bin/slow`), { code: 1, err: 'http-get: timed out' });

    const t0 = Date.now();
    await rt.stopPodSandbox(sandbox);
    const stopMs = Date.now() - t0;
    t.ok(stopMs < 5000, `the sandbox stops at once (${stopMs} ms): pause exits on SIGTERM`);
    await rt.removePodSandbox(sandbox);
  });
}

/** The OCI archive `source` with its one image renamed to `name`, as a tar. */
function renamedArchive(source: string, name: string, scratch: string): Buffer {
  const dir = mkdtempSync(join(scratch, 'renamed-'));
  execFileSync('tar', ['-xf', source, '-C', dir]);
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { annotations: Record<string, string> }[] };
  for (const m of index.manifests) m.annotations = { 'io.containerd.image.name': name, 'org.opencontainers.image.ref.name': name };
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
  return execFileSync('tar', ['-C', dir, '-cf', '-', 'oci-layout', 'index.json', 'blobs'], { maxBuffer: 64 * 1024 * 1024 });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

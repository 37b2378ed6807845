// A whole tsk8s node for end-to-end tests: `tsk8s server` with its embedded
// agent (bundled containerd, pod network, kubelet) run inside a network
// namespace the test creates (see netns.ts), with the real kubectl run in the
// same namespace. stop() ends the server; remove() also kills every pod and
// removes what the node made outside its data dir: the namespace with its
// links and rules, containerd's state dir, shim sockets, CNI result files,
// pod cgroups. The first node a test process starts also removes what nodes
// of killed earlier runs left behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsk8sBin } from './bin.js';
import { kubectlFor, type KubectlResult } from './kubectl.js';
import { createTestNetns, netnsSkipReason, type TestNetns } from './netns.js';
import { removeCgroups, unmountUnder } from './host-cleanup.js';

export interface TestNode {
  dir: string;
  name: string;
  netns: TestNetns;
  kubeconfig: string;
  kubectl(args: string[], opts?: { input?: string }): Promise<KubectlResult>;
  /** kubectl that must succeed; returns stdout. */
  ok(args: string[], opts?: { input?: string }): Promise<string>;
  output(): string;
  /** Starts the server again on the same data dir (after stop() or a kill). */
  restart(): Promise<void>;
  /** Sends a signal to the server and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the server, kills every pod, removes the namespace and everything the node made. */
  remove(): Promise<void>;
}

const runtimeManifest = join(import.meta.dirname, '..', '..', 'runtime', 'manifest.json');
const imagesManifest = join(import.meta.dirname, '..', '..', 'runtime', 'images', 'images.json');

/** Why this process cannot run a node, or undefined if it can. */
export function nodeSkipReason(): string | undefined {
  const netns = netnsSkipReason();
  if (netns) return netns;
  if (!existsSync(runtimeManifest)) return 'runtime/ is not fetched: run scripts/fetch-runtime.sh';
  if (!existsSync(imagesManifest)) return 'runtime/images is not built: run scripts/fetch-runtime.sh';
  return undefined;
}

export async function startNode(opts: { name?: string; args?: string[]; teardown?: (fn: () => Promise<void>) => void } = {}): Promise<TestNode> {
  const netns = await createTestNetns();
  staleNodes ??= removeStaleNodes();
  const dir = mkdtempSync(join(tmpdir(), nodeDirPrefix));
  writeFileSync(join(dir, ownerFile), String(process.pid));
  netns.addMountRoot(dir);
  const name = opts.name ?? 'node-a';
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  const tag = nodeTag(dir);
  netns.addMountRoot(`/run/tsk8s/${tag}`);
  const shimsBefore = listing('/run/containerd/s');
  const cniBefore = listing('/var/lib/cni/results');
  const { kubectl, ok } = kubectlFor(kubeconfig, dir, { netns: netns.name });
  let child: ChildProcess | undefined;
  let output = '';

  const start = async (): Promise<void> => {
    const args = ['server', '--data-dir', dir, '--node-name', name, '--node-ip', netns.hostIp ?? '', '--https-listen-port', '0', '--bind-address', '127.0.0.1', '--write-kubeconfig', kubeconfig, ...(opts.args ?? [])];
    // nsenter --net, not `ip netns exec`: the latter also remounts /sys for the namespace, which hides the
    // cgroup mounts runc needs. So the node shares the host's mount namespace, and remove() unmounts what it made.
    const c = spawn('nsenter', [`--net=${netns.path}`, tsk8sBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    const mark = output.length;
    c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 90_000;
    while (!/tsk8s server ready/.test(output.slice(mark))) {
      if (c.exitCode !== null) throw new Error(`server exited ${c.exitCode}:\n${output.slice(mark)}`);
      if (Date.now() > deadline) throw new Error(`server not ready after 90 s:\n${output.slice(mark)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
  };
  let removing: Promise<void> | undefined;
  const remove = (): Promise<void> =>
    (removing ??= (async () => {
      await stop().catch(() => undefined);
      // Kills the shims and the pods with them; their mounts die with their mount namespace.
      await netns.remove();
      for (const s of listing('/run/containerd/s')) if (!shimsBefore.has(s)) rmSync(join('/run/containerd/s', s), { force: true });
      for (const f of listing('/var/lib/cni/results')) if (!cniBefore.has(f)) rmSync(join('/var/lib/cni/results', f), { force: true });
      rmSync(`/run/tsk8s/${tag}`, { recursive: true, force: true });
      if (existsSync('/run/tsk8s') && readdirSync('/run/tsk8s').length === 0) rmdirSync('/run/tsk8s');
      removeCgroups(`/tsk8s-${tag}`);
      rmSync(dir, { recursive: true, force: true });
    })());
  opts.teardown?.(remove);

  try {
    await start();
  } catch (err) {
    await remove();
    throw err;
  }
  return {
    dir,
    name,
    netns,
    kubeconfig,
    kubectl,
    ok,
    output: () => output,
    restart: start,
    stop,
    remove,
  };
}

const nodeDirPrefix = 'tsk8s-node-';
/** In each node dir: the pid of the test process that made it. */
const ownerFile = 'test-owner';
let staleNodes: string[] | undefined;

/** The tag the server derives from its data dir for its state dir and cgroup root. */
function nodeTag(dir: string): string {
  return createHash('sha256').update(dir).digest('hex').slice(0, 8);
}

/**
 * Removes what nodes of an earlier, killed test run left on the host: their data dirs, state dirs and cgroups.
 * A node dir is stale when the test process that made it (its owner file) is gone; one without an owner file
 * when it is older than a minute and no process names it (a server runs with --data-dir <dir>). Their network namespaces, with whatever ran in them, are already gone:
 * createTestNetns removes those first.
 */
function removeStaleNodes(): string[] {
  const removed: string[] = [];
  for (const entry of listing(tmpdir())) {
    if (!entry.startsWith(nodeDirPrefix)) continue;
    const dir = join(tmpdir(), entry);
    const owner = Number(readIfExists(join(dir, ownerFile)));
    if (owner ? existsSync(`/proc/${owner}`) : Date.now() - statSync(dir).mtimeMs < 60_000 || namedByAProcess(dir)) continue;
    const tag = nodeTag(dir);
    unmountUnder(dir);
    unmountUnder(`/run/tsk8s/${tag}`);
    rmSync(`/run/tsk8s/${tag}`, { recursive: true, force: true });
    removeCgroups(`/tsk8s-${tag}`);
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

function namedByAProcess(dir: string): boolean {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .some((p) => readIfExists(`/proc/${p}/cmdline`).includes(dir));
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // absent, or a process that has just exited
  }
}

function listing(dir: string): Set<string> {
  return new Set(existsSync(dir) ? readdirSync(dir) : []);
}

// A containerd of the test's own: config, state, root and socket in a fresh
// temp dir, the bundled runc and shim first on PATH, host-network sandboxes
// only (no CNI config), registries redirected to loopback. stop() leaves
// nothing behind: sandboxes, processes, mounts, shim sockets, CNI results,
// pod cgroups, the temp dir.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectCri } from '../../../src/kubelet/cri/grpc.js';
import { removeCgroups, unmountUnder } from '../../helpers/host-cleanup.js';

export interface ContainerdOptions {
  /** Holds containerd, containerd-shim-runc-v2, runc and ctr. */
  binDir: string;
  /** Image of every sandbox's long-lived process; must be imported before the first sandbox. */
  sandboxImage: string;
  /** Registries ("127.0.0.1:port") served over plain HTTP; docker.io is sent to the first, never upstream. */
  registries?: string[];
  /** cgroup parent the tests give their sandboxes; its directories are removed by stop(). */
  cgroupParent: string;
}

export interface Containerd {
  dir: string;
  socket: string;
  /** Runs ctr against this containerd; returns stdout. */
  ctr(...args: string[]): string;
  /** Records a sandbox id so stop() can remove its shim socket. */
  track(sandboxId: string): void;
  /** The last lines of containerd's log (for failure messages). */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

const runDir = '/run/containerd';
const shimSocketDir = `${runDir}/s`;
const cniResultsDir = '/var/lib/cni/results';

function config(dir: string, opts: ContainerdOptions): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return `version = 2
root = "${dir}/root"
state = "${dir}/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]

[grpc]
  address = "${dir}/containerd.sock"

[plugins."io.containerd.internal.v1.opt"]
  path = "${dir}/opt"

[${cri}]
  sandbox_image = "${opts.sandboxImage}"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"

[${cri}.containerd]
  snapshotter = "overlayfs"
  default_runtime_name = "runc"

[${cri}.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"

[${cri}.containerd.runtimes.runc.options]
  SystemdCgroup = false
  BinaryName = "${opts.binDir}/runc"
  Root = "${dir}/runc"

[${cri}.cni]
  bin_dir = "${dir}/cni/bin"
  conf_dir = "${dir}/cni/conf"

[${cri}.registry]
  config_path = "${dir}/certs.d"
`;
}

function writeRegistryHosts(dir: string, registries: string[]): void {
  for (const host of registries) {
    mkdirSync(join(dir, 'certs.d', host), { recursive: true });
    writeFileSync(join(dir, 'certs.d', host, 'hosts.toml'), `server = "http://${host}"\n\n[host."http://${host}"]\n  capabilities = ["pull", "resolve"]\n`);
  }
  // Nothing a test does may reach a public registry.
  const target = registries[0] ?? '127.0.0.1:1';
  mkdirSync(join(dir, 'certs.d', 'docker.io'), { recursive: true });
  writeFileSync(join(dir, 'certs.d', 'docker.io', 'hosts.toml'), `server = "http://${target}"\n\n[host."http://${target}"]\n  capabilities = ["pull", "resolve"]\n`);
}

async function waitReady(socket: string, child: ChildProcess, logTail: () => string): Promise<void> {
  const client = connectCri({ endpoint: socket, timeoutMs: 1000 });
  const deadline = Date.now() + 20_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`containerd exited with ${child.exitCode}:\n${logTail()}`);
      try {
        await client.version();
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`containerd not ready after 20 s (${String(err)}):\n${logTail()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await client.close();
  }
}

export async function startContainerd(opts: ContainerdOptions): Promise<Containerd> {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-cri-'));
  const socket = join(dir, 'containerd.sock');
  for (const d of ['cni/bin', 'cni/conf', 'opt']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'config.toml'), config(dir, opts));
  writeRegistryHosts(dir, opts.registries ?? []);
  const logPath = join(dir, 'containerd.log');
  const log = openSync(logPath, 'a');
  const env = { ...process.env, PATH: `${opts.binDir}:${process.env.PATH ?? '/usr/bin:/bin'}` };
  const child = spawn(join(opts.binDir, 'containerd'), ['--config', join(dir, 'config.toml'), '--log-level', 'info'], { env, stdio: ['ignore', log, log] });
  closeSync(log);
  const logTail = (lines = 30): string => (existsSync(logPath) ? readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '');
  const sandboxes = new Set<string>();
  // Only what this containerd created is removed: another may share /run/containerd.
  const shimDirExisted = existsSync(shimSocketDir);
  const runDirExisted = existsSync(runDir);

  const stop = async (): Promise<void> => {
    await removeSandboxes(socket);
    await kill(child);
    killShims(socket);
    unmountUnder(dir);
    for (const id of sandboxes) {
      rmSync(join(shimSocketDir, createHash('sha256').update(`${socket}/k8s.io/${id}`).digest('hex')), { force: true });
      if (existsSync(cniResultsDir)) for (const f of readdirSync(cniResultsDir)) if (f.includes(id)) rmSync(join(cniResultsDir, f), { force: true });
    }
    if (!shimDirExisted && existsSync(shimSocketDir) && readdirSync(shimSocketDir).length === 0) rmdirSync(shimSocketDir);
    if (!runDirExisted && existsSync(runDir) && readdirSync(runDir).length === 0) rmdirSync(runDir);
    removeCgroups(opts.cgroupParent);
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await waitReady(socket, child, logTail);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    dir,
    socket,
    ctr: (...args) => execFileSync(join(opts.binDir, 'ctr'), ['--address', socket, ...args], { encoding: 'utf8', env }),
    track: (id) => void sandboxes.add(id),
    logTail,
    stop,
  };
}

/** Stops and removes every sandbox still there (a failed test may leave some). */
async function removeSandboxes(socket: string): Promise<void> {
  const client = connectCri({ endpoint: socket });
  try {
    for (const s of await client.listPodSandbox()) await client.removePodSandbox(s.id);
  } catch {
    // containerd is gone already: its shims are killed below.
  } finally {
    await client.close();
  }
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Kills shims started for this containerd (their command line names its socket). */
function killShims(socket: string): void {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    const args = cmdline.split('\0');
    if (args.some((a) => a.endsWith('containerd-shim-runc-v2')) && args.includes(socket)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // exited meanwhile
      }
    }
  }
}

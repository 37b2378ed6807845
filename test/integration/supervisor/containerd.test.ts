// The supervisor on the real bundled runtime: install into a temp data dir,
// start containerd on a state dir of this run's own, check it serves through
// the bundled ctr, kill it and watch it come back (with a container running
// through the bundled shim and runc the whole time), replace a containerd an
// earlier start left behind, and stop. Needs root and runtime/ (CI has both).
// Everything it makes — processes, mounts, state and data dirs, shim sockets —
// is removed at the end.
import t from 'tap';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createLogger, type Logger } from '../../../src/log/logger.js';
import { defaultRuntimeDir, installRuntime, isSupervisorError, startContainerd, type InstalledRuntime, type RunningContainerd } from '../../../src/supervisor/index.js';
import { isRunning, processArgv, waitGone } from '../../../src/supervisor/process.js';
import { cleanupRun, spawnStrayContainerd } from './harness.js';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const manifest = join(defaultRuntimeDir(), 'manifest.json');

if (!isRoot) {
  t.plan(0, 'needs root: containerd runs as root');
} else if (!existsSync(manifest)) {
  t.plan(0, 'runtime/ is not fetched: run scripts/fetch-runtime.sh');
} else {
  const dataDir = mkdtempSync('/tmp/tsk8s-supervisor-');
  const runDir = mkdtempSync('/run/tsk8s-test-');
  const stateDir = join(runDir, 'containerd');
  const hadRunContainerd = existsSync('/run/containerd');
  const lines: string[] = [];
  const logger: Logger = createLogger('supervisor', { level: 'debug', sink: { write: (l) => lines.push(l) } });
  const stops: AbortController[] = [];
  const running: RunningContainerd[] = [];
  t.teardown(async () => {
    for (const ac of stops) ac.abort();
    await Promise.all(running.map((r) => r.stopped));
    await cleanupRun({ dataDir, runDir, hadRunContainerd });
  });

  const backoff = { initialMs: 200, maxMs: 1000, resetAfterMs: 60_000 };
  const start = (): RunningContainerd => {
    const ac = new AbortController();
    stops.push(ac);
    const r = startContainerd({ dataDir, stateDir, binDir: runtime.binDir, sandboxImage: 'localhost/tsk8s/pause:test', logger, backoff }, ac.signal);
    running.push(r);
    return r;
  };
  const stopLast = async (): Promise<void> => {
    stops.at(-1)?.abort();
    await running.at(-1)?.stopped;
  };
  let runtime: InstalledRuntime;

  await t.test('installs the runtime and starts containerd from it', async (t) => {
    const t0 = Date.now();
    runtime = await installRuntime({ dataDir, logger });
    const installMs = Date.now() - t0;
    t.equal(runtime.installed, true);
    t.equal(dirname(dirname(runtime.binDir)), join(dataDir, 'data'));
    const r = start();
    const t1 = Date.now();
    const info = await r.ready;
    t.comment(`runtime install ${installMs} ms, containerd ready ${Date.now() - t1} ms`);
    t.match(info, { version: /^1\.6\./, socket: join(stateDir, 'containerd.sock') });
    t.equal(readlinkSync(`/proc/${info.pid}/exe`), join(runtime.binDir, 'containerd'), 'the bundled containerd runs');
    const environ = readFileSync(`/proc/${info.pid}/environ`, 'utf8').split('\0');
    t.same(environ.filter((e) => e.startsWith('PATH=')), [`PATH=${runtime.binDir}:/usr/sbin:/usr/bin:/sbin:/bin`], 'its PATH finds the bundled shim and runc first');
    const { stdout } = await run(join(runtime.binDir, 'ctr'), ['--address', info.socket, 'version']);
    t.match(stdout, /Server:\n\s+Version:\s+1\.6\./);
    t.match(readFileSync(r.layout.logFile, 'utf8'), /--- tsk8s: starting containerd at .*\n.*level=info msg="starting containerd"/);
    t.equal(Number(readFileSync(r.layout.pidFile, 'utf8')), info.pid);
  });

  await t.test('a containerd killed with SIGKILL is restarted; a container keeps running through it', async (t) => {
    const r = running.at(-1) as RunningContainerd;
    const info = await r.whenReady();
    const ctr = (...args: string[]) => run(join(runtime.binDir, 'ctr'), ['--address', info.socket, '--namespace', 'tsk8s-test', ...args]);
    const rootfs = sleepRootfs(join(dataDir, 'rootfs'));
    await ctr('run', '-d', '--null-io', '--cgroup', '', '--rootfs', '--runc-root', join(stateDir, 'ctr-runc'), '--fifo-dir', join(stateDir, 'fifo'), rootfs, 'sleeper', '/bin/sleep', '600');
    const task = await taskPid(ctr, 'sleeper');
    const stat = readFileSync(`/proc/${task}/stat`, 'utf8');
    const shim = Number(/^\S+\s+(\d+)/.exec(stat.slice(stat.lastIndexOf(')') + 2))?.[1]); // state, then ppid
    t.equal(readlinkSync(`/proc/${shim}/exe`), join(runtime.binDir, 'containerd-shim-runc-v2'), 'the bundled shim runs the container');

    process.kill(info.pid, 'SIGKILL');
    // whenReady() answers at once until the supervisor has seen the exit.
    for (let i = 0; r.status().pid === info.pid && i < 200; i++) await sleep(25);
    const again = await r.whenReady();
    t.not(again.pid, info.pid, 'a new containerd');
    t.equal(r.status().restarts, 1);
    t.match(lines.join(''), /containerd died; restarting .*detail="exited \(signal SIGKILL\)"/);
    t.ok(isRunning(task), 'the container survived');
    t.equal(await taskPid(ctr, 'sleeper'), task, 'the new containerd sees the same task');

    await ctr('task', 'kill', '-s', 'SIGKILL', 'sleeper');
    t.ok(await waitGone(task, 5000));
    await retry(() => ctr('task', 'delete', 'sleeper'));
    await ctr('container', 'delete', 'sleeper');
    t.ok(await waitGone(shim, 5000), 'the shim exits with its task');
  });

  await t.test('stops on abort, and a containerd an earlier start left running is replaced', async (t) => {
    const r = running.at(-1) as RunningContainerd;
    const { pid } = await r.whenReady();
    await stopLast();
    t.notOk(isRunning(pid), 'containerd stopped');
    t.notOk(existsSync(r.layout.pidFile), 'pid file removed');

    const stray = await spawnStrayContainerd(runtime.binDir, r.layout);
    const next = start();
    const info = await next.ready;
    t.not(info.pid, stray);
    t.ok(await waitGone(stray, 1000), 'the earlier containerd is gone');
    t.match(lines.join(''), new RegExp(`restarting the containerd an earlier start left running pid=${stray}`));
    t.match(processArgv(info.pid), [join(runtime.binDir, 'containerd'), '--config', r.layout.configFile]);
    await stopLast();
  });

  await t.test('refuses a socket another process serves', async (t) => {
    const socket = join(stateDir, 'containerd.sock');
    mkdirSync(stateDir, { recursive: true });
    const server = createServer();
    await new Promise<void>((res) => server.listen(socket, res));
    t.teardown(() => new Promise<void>((res) => server.close(() => res())));
    const err = await start().ready.catch((e: unknown) => e);
    t.ok(isSupervisorError(err, 'socket-in-use'));
    t.match(err, { message: `another process already serves ${socket}` });
  });

}

/** A root filesystem holding /bin/sleep and the libraries it links. */
function sleepRootfs(dir: string): string {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  cpSync('/usr/bin/sleep', join(dir, 'bin', 'sleep'));
  for (const lib of ['/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2']) {
    mkdirSync(join(dir, dirname(lib)), { recursive: true });
    cpSync(lib, join(dir, lib), { dereference: true });
  }
  return dir;
}

async function taskPid(ctr: (...a: string[]) => Promise<{ stdout: string }>, id: string): Promise<number> {
  const { stdout } = await ctr('task', 'ls');
  const row = stdout.split('\n').find((l) => l.startsWith(`${id} `));
  return Number(row?.trim().split(/\s+/)[1]);
}

async function retry<T>(fn: () => Promise<T>, attempts = 20): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await sleep(100);
    }
  }
}

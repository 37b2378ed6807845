// What the supervisor test needs around the code under test: a containerd
// started behind the supervisor's back (as an earlier tsk8s would have left
// it), and a cleanup that removes everything a run made — processes started
// from its data dir, shims and their sockets, mounts, dirs.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContainerdLayout } from '../../../src/supervisor/index.js';
import { isRunning, processArgv, waitGone } from '../../../src/supervisor/process.js';
import { unmountUnder } from '../../helpers/host-cleanup.js';

const shimSocketDir = '/run/containerd/s';

/** Starts containerd on `layout` outside the supervisor, writes its pid file, and waits until its socket exists. */
export async function spawnStrayContainerd(binDir: string, layout: ContainerdLayout): Promise<number> {
  const log = openSync(layout.logFile, 'a');
  const child = spawn(join(binDir, 'containerd'), ['--config', layout.configFile], {
    env: { PATH: `${binDir}:/usr/sbin:/usr/bin:/sbin:/bin` },
    stdio: ['ignore', log, log],
    detached: true,
  });
  closeSync(log);
  child.unref();
  const pid = child.pid as number;
  writeFileSync(layout.pidFile, `${pid}\n`);
  const deadline = Date.now() + 20_000;
  while (!existsSync(layout.socket)) {
    if (!isRunning(pid)) throw new Error('the stray containerd exited before serving');
    if (Date.now() > deadline) throw new Error('the stray containerd did not serve within 20 s');
    await sleep(50);
  }
  return pid;
}

export interface RunDirs {
  dataDir: string;
  runDir: string;
  /** Whether /run/containerd existed before the run (if not, it is removed when the run leaves it empty). */
  hadRunContainerd: boolean;
}

/** Kills what runs from the run's dirs, unmounts, and removes the dirs and the run's shim sockets. */
export async function cleanupRun({ dataDir, runDir, hadRunContainerd }: RunDirs): Promise<void> {
  for (const pid of ownProcesses([dataDir, runDir])) {
    const argv = processArgv(pid) ?? [];
    const ns = argAfter(argv, '-namespace');
    const id = argAfter(argv, '-id');
    const address = argAfter(argv, '-address');
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // exited meanwhile
    }
    await waitGone(pid, 5000);
    // A shim's socket is named by the hash of its containerd's socket, namespace and container id.
    if (ns && id && address) rmSync(join(shimSocketDir, createHash('sha256').update(`${address}/${ns}/${id}`).digest('hex')), { force: true });
  }
  for (const dir of [runDir, dataDir]) unmountUnder(dir);
  for (const dir of [runDir, dataDir]) rmSync(dir, { recursive: true, force: true });
  // Other tests may run containerds of their own at the same time: only empty dirs go.
  if (existsSync(shimSocketDir) && readdirSync(shimSocketDir).length === 0) rmdirSync(shimSocketDir);
  if (!hadRunContainerd && existsSync('/run/containerd') && readdirSync('/run/containerd').length === 0) rmdirSync('/run/containerd');
}

/** Pids whose executable lives under one of `dirs` (the bundled runtime is installed in the data dir). */
function ownProcesses(dirs: string[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let exe: string;
    try {
      exe = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')[0] ?? '';
    } catch {
      continue;
    }
    if (dirs.some((d) => exe.startsWith(`${d}/`))) pids.push(Number(entry));
  }
  return pids;
}

function argAfter(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

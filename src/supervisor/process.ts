// Processes known only by pid (not our children): liveness, identity, and
// stopping them. Used for a containerd left running by an earlier tsk8s.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** True while `pid` exists and is not a zombie (a zombie has exited; only its parent's reaping is left). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // The state field follows the parenthesised command name, which may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** argv of a running process, or undefined if it is gone or unreadable. */
export function processArgv(pid: number): string[] | undefined {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const argv = raw.split('\0');
    if (argv.at(-1) === '') argv.pop();
    return argv;
  } catch {
    return undefined;
  }
}

/** Polls until `pid` is gone; true if it went within `timeoutMs`. */
export async function waitGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isRunning(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
  return true;
}

/** SIGTERM, then SIGKILL after `timeoutMs`; resolves once the process is gone. */
export async function terminatePid(pid: number, timeoutMs: number): Promise<'exited' | 'killed'> {
  signalPid(pid, 'SIGTERM');
  if (await waitGone(pid, timeoutMs)) return 'exited';
  signalPid(pid, 'SIGKILL');
  await waitGone(pid, 10_000);
  return 'killed';
}

export function readPidFile(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 1 ? pid : undefined;
  } catch {
    return undefined;
  }
}

export function writePidFile(path: string, pid: number): void {
  writeFileSync(path, `${pid}\n`, { mode: 0o644 });
}

export function removePidFile(path: string): void {
  rmSync(path, { force: true });
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

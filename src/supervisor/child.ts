// One supervised child process: start, probe until ready, restart with
// exponential back-off when it dies, stop on abort (SIGTERM, then SIGKILL).
//
// The child runs in its own session (detached), so signals meant for our
// process group — a terminal's Ctrl-C — reach only us, and we stop it in
// order. Where setpriv exists it also gets a parent-death signal (SIGKILL):
// if we die, even by kill -9, it dies with us, as k3s's containerd does. Its
// own children (containerd's shims) are in sessions of their own and live on.
import { closeSync, existsSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import type { Logger } from '../log/logger.js';
import { SupervisorError } from './errors.js';
import { removePidFile, writePidFile } from './process.js';

export interface Backoff {
  initialMs: number;
  maxMs: number;
  /** A child that stayed up this long restarts after `initialMs` again. */
  resetAfterMs: number;
}

/** 1 s doubling to 30 s; reset after 2 minutes of uptime. */
export const defaultBackoff: Backoff = { initialMs: 1000, maxMs: 30_000, resetAfterMs: 120_000 };

export interface ChildSpec<T> {
  /** For log lines and errors ("containerd"). */
  name: string;
  /** Absolute path of the binary; the PATH is never searched for it. */
  file: string;
  args: string[];
  /** The child's whole environment: nothing of ours is inherited. */
  env: Record<string, string>;
  /** stdout and stderr are appended here. */
  logFile: string;
  pidFile?: string;
  /** Resolves once the fresh process `pid` serves. Must give up when `signal` aborts (the process exited). */
  probe: (signal: AbortSignal, pid: number) => Promise<T>;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
  backoff: Backoff;
  /** Kill the child when this process dies, however it dies. */
  dieWithParent: boolean;
  logger: Logger;
}

export interface ChildStatus {
  pid: number | undefined;
  /** How many times the child was started again after dying. */
  restarts: number;
  ready: boolean;
}

export interface SupervisedChild<T> {
  /** The first start's probe result; rejects if the first start fails or is aborted. */
  ready: Promise<T>;
  /** Resolves once the child is stopped and will not be restarted. */
  stopped: Promise<void>;
  status(): ChildStatus;
  /** The current probe result, or the next one after a restart; rejects once stopped. */
  whenReady(): Promise<T>;
}

const setpriv = '/usr/bin/setpriv';

type End = { kind: 'exited'; how: string } | { kind: 'failed'; error: unknown } | { kind: 'aborted' };
type Outcome<T> = { kind: 'ready'; value: T } | End;

export function superviseChild<T>(spec: ChildSpec<T>, signal: AbortSignal): SupervisedChild<T> {
  const log = spec.logger;
  let pid: number | undefined;
  let restarts = 0;
  let current: T | undefined;
  let done = false;
  let waiters: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  let resolveReady: (v: T) => void = () => {};
  let rejectReady: (e: unknown) => void = () => {};
  const ready = new Promise<T>((res, rej) => ((resolveReady = res), (rejectReady = rej)));
  ready.catch(() => {}); // callers may only await `stopped`
  const aborted = new Promise<'aborted'>((res) => {
    if (signal.aborted) res('aborted');
    else signal.addEventListener('abort', () => res('aborted'), { once: true });
  });

  const becameReady = (value: T): void => {
    current = value;
    for (const w of waiters) w.resolve(value);
    waiters = [];
  };

  const run = async (): Promise<void> => {
    let delay = spec.backoff.initialMs;
    let everReady = false;
    while (!signal.aborted) {
      const started = Date.now();
      const { child, logOffset } = spawn(spec, restarts);
      pid = child.pid;
      if (spec.pidFile && pid !== undefined) writePidFile(spec.pidFile, pid);
      const exit = child.then((r) => ({ kind: 'exited' as const, how: describeExit(r.exitCode, r.signal, r.failed ? r.shortMessage : undefined) }));
      const outcome = await probeUntilReady(spec, exit, pid ?? 0);
      if (outcome.kind === 'ready') {
        log.info(everReady ? `${spec.name} is ready again` : `${spec.name} is ready`, { pid, ms: Date.now() - started });
        if (!everReady) resolveReady(outcome.value);
        everReady = true;
        becameReady(outcome.value);
      }
      const end: End = outcome.kind === 'ready' ? await Promise.race([exit, aborted.then(() => ({ kind: 'aborted' as const }))]) : outcome;
      current = undefined;
      if (end.kind === 'aborted') {
        await terminate(child, spec.stopTimeoutMs, log, spec.name);
        if (!everReady) rejectReady(new SupervisorError('stopped-before-ready', `stopped before ${spec.name} was ready`));
        break;
      }
      if (end.kind === 'failed') await terminate(child, spec.stopTimeoutMs, log, spec.name);
      const detail = end.kind === 'exited' ? `exited (${end.how})` : errorText(end.error);
      if (!everReady) {
        rejectReady(firstStartError(spec, end, logOffset));
        break;
      }
      log.warn(`${spec.name} died; restarting`, { pid, detail, uptimeMs: Date.now() - started, inMs: delay });
      if (Date.now() - started >= spec.backoff.resetAfterMs) delay = spec.backoff.initialMs;
      await sleep(delay, undefined, { signal }).catch(() => {});
      delay = Math.min(delay * 2, spec.backoff.maxMs);
      if (!signal.aborted) restarts++;
    }
  };

  // Races the probe (with its timeout) against the process exiting and the abort.
  const probeUntilReady = async (s: ChildSpec<T>, exit: Promise<{ kind: 'exited'; how: string }>, childPid: number): Promise<Outcome<T>> => {
    const probing = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Outcome<T>>((res) => {
      timer = setTimeout(() => res({ kind: 'failed', error: new SupervisorError('not-ready', `${s.name} was not ready after ${s.readyTimeoutMs} ms`) }), s.readyTimeoutMs);
    });
    try {
      return await Promise.race<Outcome<T>>([
        s.probe(probing.signal, childPid).then((value) => ({ kind: 'ready', value }), (error: unknown) => ({ kind: 'failed', error })),
        exit,
        timeout,
        aborted.then(() => ({ kind: 'aborted' })),
      ]);
    } finally {
      clearTimeout(timer);
      probing.abort();
    }
  };

  const stopped = run()
    .catch((err: unknown) => {
      log.error(`${spec.name} supervisor failed`, { error: errorText(err) });
      rejectReady(err);
    })
    .finally(() => {
      done = true;
      pid = undefined;
      if (spec.pidFile) removePidFile(spec.pidFile);
      const err = new SupervisorError('stopped-before-ready', `${spec.name} is stopped`);
      for (const w of waiters) w.reject(err);
      waiters = [];
    });

  return {
    ready,
    stopped,
    status: () => ({ pid, restarts, ready: current !== undefined }),
    whenReady: () => {
      if (current !== undefined) return Promise.resolve(current);
      if (done) return Promise.reject(new SupervisorError('stopped-before-ready', `${spec.name} is stopped`));
      return new Promise<T>((resolve, reject) => waiters.push({ resolve, reject }));
    },
  };
}

function spawn<T>(spec: ChildSpec<T>, restarts: number): { child: ResultPromise; logOffset: number } {
  const logOffset = statSync(spec.logFile, { throwIfNoEntry: false })?.size ?? 0;
  const fd = openSync(spec.logFile, 'a', 0o600);
  try {
    writeSync(fd, `--- tsk8s: starting ${spec.name}${restarts > 0 ? ` (restart ${restarts})` : ''} at ${new Date().toISOString()}\n`);
    const wrap = spec.dieWithParent && existsSync(setpriv);
    const [file, args]: [string, string[]] = wrap ? [setpriv, ['--pdeathsig', 'KILL', '--', spec.file, ...spec.args]] : [spec.file, spec.args];
    // The log fd is handed to the child as is: its output never passes through us, so it keeps logging if we stop reading.
    // (execa's types name only fds 3-9 here; at run time any fd number goes to spawn() unchanged.)
    const logFd = fd as 3;
    const child = execa(file, args, {
      env: spec.env,
      extendEnv: false,
      stdin: 'ignore',
      stdout: logFd,
      stderr: logFd,
      detached: true,
      cleanup: false,
      reject: false,
      cwd: '/',
    });
    return { child, logOffset };
  } finally {
    closeSync(fd);
  }
}

async function terminate(child: ResultPromise, timeoutMs: number, log: Logger, name: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    await child;
    return;
  }
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((res) => (timer = setTimeout(() => res('late'), timeoutMs)));
  const first = await Promise.race([child.then(() => 'exited' as const), late]);
  clearTimeout(timer);
  if (first === 'late') {
    log.warn(`${name} did not stop after SIGTERM; killing it`, { pid: child.pid, afterMs: timeoutMs });
    child.kill('SIGKILL');
  }
  await child;
}

function firstStartError<T>(spec: ChildSpec<T>, end: End, logOffset: number): unknown {
  const tail = logTail(spec.logFile, logOffset);
  const more = tail === '' ? '' : `; its log ends with:\n${tail}`;
  if (end.kind === 'failed') {
    if (end.error instanceof SupervisorError) {
      return new SupervisorError(end.error.code, `${end.error.message}${more}`, { path: spec.logFile, cause: end.error });
    }
    return end.error;
  }
  const how = end.kind === 'exited' ? end.how : 'unknown';
  return new SupervisorError('exited-before-ready', `${spec.name} exited before it was ready (${how}); see ${spec.logFile}${more}`, {
    path: spec.logFile,
  });
}

/** The last few lines the child wrote since `offset` (at most 2 KiB). */
export function logTail(path: string, offset: number, maxBytes = 2048): string {
  try {
    const size = statSync(path).size;
    const from = Math.max(offset, size - maxBytes);
    const buf = Buffer.alloc(size - from);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buf, 0, buf.length, from);
    } finally {
      closeSync(fd);
    }
    const lines = buf.toString('utf8').split('\n').filter((l) => l !== '' && !l.startsWith('--- tsk8s:'));
    return lines.slice(-8).join('\n');
  } catch {
    return '';
  }
}

function describeExit(code: number | undefined, sig: string | undefined, message: string | undefined): string {
  if (sig) return `signal ${sig}`;
  if (code !== undefined) return `code ${code}`;
  return message ?? 'unknown';
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

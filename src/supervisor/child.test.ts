import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createLogger, silentLogger, type Logger } from '../log/logger.js';
import { superviseChild, type ChildSpec } from './child.js';
import { isSupervisorError } from './errors.js';
import { isRunning, readPidFile, waitGone } from './process.js';

// Real processes (sh scripts) under the supervisor; no root needed.

function workDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-child-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger('supervisor', { sink: { write: (l) => lines.push(l) } }), lines };
}

const never = (signal: AbortSignal): Promise<number> =>
  new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('probe aborted')), { once: true }));

function spec(dir: string, script: string, over: Partial<ChildSpec<number>> = {}): ChildSpec<number> {
  return {
    name: 'fake',
    file: '/bin/sh',
    args: ['-c', script],
    env: { PATH: '/usr/bin:/bin', DIR: dir },
    logFile: join(dir, 'fake.log'),
    pidFile: join(dir, 'fake.pid'),
    probe: async (_signal, pid) => pid,
    readyTimeoutMs: 5000,
    stopTimeoutMs: 2000,
    backoff: { initialMs: 50, maxMs: 200, resetAfterMs: 60_000 },
    dieWithParent: false,
    logger: silentLogger,
    ...over,
  };
}

const loop = 'while :; do sleep 0.05; done';

t.test('ready carries the probe result; abort stops the child with SIGTERM', async (t) => {
  const dir = workDir(t);
  const ac = new AbortController();
  const child = superviseChild(spec(dir, `trap 'echo got TERM; exit 0' TERM; echo started; ${loop}`), ac.signal);
  const pid = await child.ready;
  t.equal(readPidFile(join(dir, 'fake.pid')), pid, 'the pid file names the child');
  t.match(child.status(), { pid, restarts: 0, ready: true });
  t.equal(await child.whenReady(), pid);
  ac.abort();
  await child.stopped;
  t.notOk(isRunning(pid), 'the child is gone');
  t.notOk(existsSync(join(dir, 'fake.pid')), 'the pid file is removed');
  t.match(readFileSync(join(dir, 'fake.log'), 'utf8'), /^--- tsk8s: starting fake at .*\nstarted\ngot TERM\n$/);
  await t.rejects(child.whenReady(), { code: 'stopped-before-ready' });
});

t.test('the child sees only the environment it is given', async (t) => {
  const dir = workDir(t);
  process.env.TSK8S_SUPERVISOR_LEAK = 'leak';
  t.teardown(() => delete process.env.TSK8S_SUPERVISOR_LEAK);
  const ac = new AbortController();
  const child = superviseChild(spec(dir, `env; ${loop}`), ac.signal);
  await child.ready;
  await sleep(100);
  ac.abort();
  await child.stopped;
  const log = readFileSync(join(dir, 'fake.log'), 'utf8');
  t.match(log, /^PATH=\/usr\/bin:\/bin$/m);
  t.notMatch(log, /TSK8S_SUPERVISOR_LEAK|^HOME=/m);
});

t.test('a child that ignores SIGTERM is killed after the stop timeout', async (t) => {
  const dir = workDir(t);
  const { logger, lines } = capture();
  const ac = new AbortController();
  const child = superviseChild(spec(dir, `trap '' TERM; touch "$DIR/trapped"; ${loop}`, { stopTimeoutMs: 200, logger }), ac.signal);
  const pid = await child.ready;
  // Started is not yet ignoring TERM: wait until the shell has set its trap.
  while (!existsSync(join(dir, 'trapped'))) await sleep(10);
  ac.abort();
  await child.stopped;
  t.notOk(isRunning(pid));
  t.match(lines.join(''), /fake did not stop after SIGTERM; killing it/);
});

t.test('a child that dies is restarted with doubling back-off, and whenReady follows it', async (t) => {
  const dir = workDir(t);
  const { logger, lines } = capture();
  // The first three runs die 200 ms after starting; the fourth stays up.
  const script = `n=$(cat "$DIR/count" 2>/dev/null || echo 0); echo $((n + 1)) > "$DIR/count"; if [ "$n" -lt 3 ]; then sleep 0.2; exit 3; fi; ${loop}`;
  const ac = new AbortController();
  t.teardown(() => ac.abort());
  const child = superviseChild(spec(dir, script, { logger }), ac.signal);
  const first = await child.ready;
  const deadline = Date.now() + 10_000;
  while (child.status().restarts < 3 && Date.now() < deadline) await sleep(20);
  const last = await child.whenReady();
  t.not(last, first, 'a new process');
  t.match(child.status(), { restarts: 3, ready: true, pid: last });
  await sleep(300);
  t.equal(child.status().restarts, 3, 'the fourth run stays up');
  const deaths = lines.filter((l) => l.includes('fake died; restarting'));
  t.equal(deaths.length, 3);
  t.match(deaths.map((l) => /inMs=(\d+)/.exec(l)?.[1]), ['50', '100', '200'], 'back-off doubles up to its maximum');
  t.match(deaths[0], /detail="exited \(code 3\)"/);
  t.match(readFileSync(join(dir, 'fake.log'), 'utf8'), /starting fake \(restart 3\)/);
  ac.abort();
  await child.stopped;
  t.notOk(isRunning(last));
});

t.test('a child that exits before it is ready fails ready with the end of its log', async (t) => {
  const dir = workDir(t);
  const child = superviseChild(spec(dir, 'echo "level=fatal msg=\\"bad config\\"" >&2; exit 1', { probe: never }), new AbortController().signal);
  const err = await child.ready.catch((e: unknown) => e);
  t.ok(isSupervisorError(err, 'exited-before-ready'));
  t.match(err, { message: /fake exited before it was ready \(code 1\); see .*fake\.log; its log ends with:\nlevel=fatal msg="bad config"$/ });
  await child.stopped;
  t.notOk(existsSync(join(dir, 'fake.pid')));
  t.equal(child.status().restarts, 0, 'a first start that fails is not retried');
});

t.test('a probe that never succeeds times out and the child is killed', async (t) => {
  const dir = workDir(t);
  let pid = 0;
  const probe = (signal: AbortSignal, p: number): Promise<number> => ((pid = p), never(signal));
  const child = superviseChild(spec(dir, loop, { probe, readyTimeoutMs: 200 }), new AbortController().signal);
  await t.rejects(child.ready, { code: 'not-ready', message: /fake was not ready after 200 ms/ });
  await child.stopped;
  t.ok(pid > 0);
  t.notOk(isRunning(pid));
});

t.test('aborting before ready stops the child and says so', async (t) => {
  const dir = workDir(t);
  const ac = new AbortController();
  const child = superviseChild(spec(dir, loop, { probe: never }), ac.signal);
  await sleep(100);
  const pid = child.status().pid ?? 0;
  ac.abort();
  await t.rejects(child.ready, { code: 'stopped-before-ready' });
  await child.stopped;
  t.notOk(isRunning(pid));
});

const fixture = fileURLToPath(new URL('./child-parent.fixture.ts', import.meta.url));
const tsx = import.meta.resolve('tsx');

/** Runs the fixture, returns the pid of the sleeper it supervises after SIGKILLing the fixture itself. */
async function killParent(dir: string, mode: 'die' | 'survive'): Promise<number> {
  const parent = spawn(process.execPath, ['--import', tsx, fixture, join(dir, `${mode}.log`), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  parent.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const deadline = Date.now() + 20_000;
  while (!out.includes('\n') && Date.now() < deadline) await sleep(20);
  parent.kill('SIGKILL');
  await new Promise((res) => parent.once('exit', res));
  return Number(out.trim());
}

t.test('with the parent-death signal the child dies with us, even on kill -9', { skip: existsSync('/usr/bin/setpriv') ? false : 'needs setpriv (util-linux)' }, async (t) => {
  const dir = workDir(t);
  const dies = await killParent(dir, 'die');
  t.ok(dies > 0, 'the fixture reported its child');
  t.ok(await waitGone(dies, 3000), 'the child died with its parent');
  const survives = await killParent(dir, 'survive');
  t.ok(survives > 0);
  await sleep(300);
  t.ok(isRunning(survives), 'without it, the child outlives its parent');
  process.kill(survives, 'SIGKILL');
  t.ok(await waitGone(survives, 3000));
});

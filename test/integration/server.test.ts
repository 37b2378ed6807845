import t from 'tap';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tsk8sBin } from '../helpers/bin.js';

// `tsk8s server` as a user runs it: the built binary, a data dir, the real
// etcdctl over the unix socket it serves.
const etcdctlPath = '/usr/bin/etcdctl';
const run = promisify(execFile);

if (!existsSync(etcdctlPath)) {
  t.plan(0, 'etcdctl is not installed: run scripts/install-test-deps.sh');
} else {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-server-'));
  const socket = join(dir, 'server', 'db', 'etcd.sock');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));

  const etcdctl = async (...args: string[]): Promise<string> =>
    (await run(etcdctlPath, ['--endpoints', `unix://${socket}`, ...args], { env: { ...process.env, ETCDCTL_API: '3' }, timeout: 10_000 })).stdout;

  const start = async (): Promise<{ child: ChildProcess; output: () => string }> => {
    const child = spawn(tsk8sBin, ['server', '--data-dir', dir, '--disable-agent', '--https-listen-port', '0', '--bind-address', '127.0.0.1', '--write-kubeconfig', join(dir, 'kubeconfig.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    t.teardown(() => void child.kill('SIGKILL'));
    const deadline = Date.now() + 20_000;
    while (!/tsk8s server ready/.test(output)) {
      if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${output}`);
      if (Date.now() > deadline) throw new Error(`server not ready: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return { child, output: () => output };
  };

  const stop = async (child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill(signal);
    return exited;
  };

  t.test('serves the etcd v3 API on its socket and keeps data across restarts', async (t) => {
    const first = await start();
    t.match(first.output(), /info  server: store ready path=\S+state\.db/);
    await etcdctl('put', '/test/a', 'one');
    await etcdctl('put', '/test/b', 'two');
    t.equal(await etcdctl('get', '--prefix', '/test/', '--print-value-only'), 'one\ntwo\n');
    // The server's own components write too (leases), so revisions are compared by order, not by count.
    const modRevision = async (key: string) => (JSON.parse(await etcdctl('get', key, '-w', 'json')) as { kvs: [{ mod_revision: number }] }).kvs[0].mod_revision;
    const first1 = await modRevision('/test/b');
    await etcdctl('put', '/test/b', 'two');
    const before = await modRevision('/test/b');
    t.ok(before > first1, 'a put takes a new revision');

    t.equal(await stop(first.child, 'SIGTERM'), 0, 'SIGTERM stops cleanly');
    t.match(first.output(), /server: stopped/);

    const second = await start();
    t.equal(await etcdctl('get', '/test/b', '--print-value-only'), 'two\n');
    t.equal(await modRevision('/test/b'), before, 'stored revisions survive a restart');
    await etcdctl('put', '/test/c', 'three');
    t.ok((await modRevision('/test/c')) > before, 'the revision continues after a restart');
    await stop(second.child, 'SIGINT');
  });

  t.test('a start that fails halfway (the API port in use) exits non-zero with one line, undoing what it started', async (t) => {
    const first = await start();
    const port = /Kubernetes API listening address=127\.0\.0\.1:(\d+)/.exec(first.output())?.[1];
    t.ok(port, 'the first server says its API port');
    const other = mkdtempSync(join(tmpdir(), 'tsk8s-server-busy-'));
    t.teardown(() => rmSync(other, { recursive: true, force: true }));
    const child = spawn(tsk8sBin, ['server', '--data-dir', other, '--disable-agent', '--https-listen-port', String(port), '--bind-address', '127.0.0.1', '--write-kubeconfig', join(other, 'kubeconfig.yaml')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.teardown(() => void child.kill('SIGKILL'));
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    t.not(code, 0, 'exits by itself, non-zero');
    t.match(stderr, /^tsk8s: listen EADDRINUSE: address already in use 127\.0\.0\.1:\d+\n$/m, 'one line naming the address');
    t.notOk(existsSync(join(other, 'server', 'db', 'etcd.sock')), 'its etcd socket was closed and removed');
    await stop(first.child, 'SIGTERM');
  });
}

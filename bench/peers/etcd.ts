// Starts Debian's real etcd on loopback in a temporary directory, as the
// peer the store benchmark compares against.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EtcdPeer {
  endpoint: string;
  version: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startEtcd(binary = '/usr/bin/etcd'): Promise<EtcdPeer> {
  if (!existsSync(binary)) throw new Error(`${binary} not found: the peer is Debian's etcd-server (bash scripts/install-test-deps.sh installs it)`);
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-bench-etcd-'));
  const [client, peer] = [await freePort(), await freePort()];
  const endpoint = `127.0.0.1:${client}`;
  const child: ChildProcess = spawn(
    binary,
    [
      '--name', 'bench',
      '--data-dir', join(dir, 'data'),
      '--listen-client-urls', `http://${endpoint}`,
      '--advertise-client-urls', `http://${endpoint}`,
      '--listen-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
      '--initial-cluster', `bench=http://127.0.0.1:${peer}`,
      '--log-level', 'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const version = await waitReady(`http://${endpoint}/version`, child, () => stderr);
  return {
    endpoint,
    version,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`etcd exited (${child.exitCode}): ${stderr()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return ((await res.json()) as { etcdserver: string }).etcdserver;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`etcd did not become ready: ${stderr()}`);
}

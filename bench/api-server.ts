// Starts the built `tsk8s server` as its own process for the API benchmark:
// Kubernetes API on a free loopback port, etcd API on another, admin
// kubeconfig in the temporary data dir. Removes the dir again on every exit
// path, including a failed start.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { tsk8sBin } from '../test/helpers/bin.js';
import type { TlsMaterial } from './api-client.js';
import { freePort } from './peers/etcd.js';

export interface BenchServer {
  /** `https://127.0.0.1:<port>` from the kubeconfig. */
  url: string;
  /** Server CA and the admin client certificate, from the kubeconfig. */
  tls: TlsMaterial;
  /** `127.0.0.1:<port>` serving the etcd v3 API of the same store. */
  etcdEndpoint: string;
  /** Resident set size of the server process, from /proc. */
  rssBytes(): number;
  /** The last lines the server printed, for error reports. */
  output(): string;
  /** SIGTERM, then SIGKILL after 15 s; removes the data dir. Safe to call twice. */
  stop(): Promise<void>;
}

const startTimeoutMs = 30_000;
const keptOutputChars = 8_000;

export async function startBenchServer(): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-bench-api-'));
  const kubeconfig = join(dir, 'kubeconfig.yaml');
  const etcdEndpoint = `127.0.0.1:${await freePort()}`;
  const args = ['server', '--data-dir', dir, '--disable-agent', '--https-listen-port', '0', '--bind-address', '127.0.0.1'];
  args.push('--write-kubeconfig', kubeconfig, '--etcd-listen', etcdEndpoint, '--log-level', 'warn');
  const child = spawn(tsk8sBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-keptOutputChars));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    // The kubeconfig is written atomically after the Kubernetes API listens,
    // and the etcd API starts before that: its presence means both serve.
    const deadline = Date.now() + startTimeoutMs;
    while (!existsSync(kubeconfig)) {
      if (child.exitCode !== null) throw new Error(`tsk8s server exited (${child.exitCode}): ${output}`);
      if (Date.now() > deadline) throw new Error(`tsk8s server not ready after ${startTimeoutMs} ms: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const { url, tls } = readKubeconfig(readFileSync(kubeconfig, 'utf8'));
    const pid = child.pid;
    if (pid === undefined) throw new Error('tsk8s server has no pid');
    return { url, tls, etcdEndpoint, rssBytes: () => rssBytes(pid), output: () => output, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** VmRSS of a live process, in bytes. */
function rssBytes(pid: number): number {
  const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/** The server URL and credentials of the first cluster and user of an admin kubeconfig. */
function readKubeconfig(text: string): { url: string; tls: TlsMaterial } {
  const doc: unknown = parse(text);
  const cluster = field(first(field(doc, 'clusters')), 'cluster');
  const user = field(first(field(doc, 'users')), 'user');
  const b64 = (obj: unknown, key: string) => Buffer.from(str(field(obj, key), key), 'base64').toString('utf8');
  return {
    url: str(field(cluster, 'server'), 'server'),
    tls: { ca: b64(cluster, 'certificate-authority-data'), cert: b64(user, 'client-certificate-data'), key: b64(user, 'client-key-data') },
  };
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
}

function first(list: unknown): unknown {
  return Array.isArray(list) ? (list as unknown[])[0] : undefined;
}

function str(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw new Error(`kubeconfig: ${what} missing`);
  return value;
}

// Shared setup of the etcd API integration tests: a Backend of each kind
// served by serveEtcd on a unix socket and a loopback port in a temp dir,
// the real etcdctl, and a raw gRPC client built from the npm etcd3
// package's own copy of etcd's protos (so our .proto files are checked
// against an independent one, not against themselves).
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { Test } from 'tap';
import { silentLogger } from '../../../src/log/logger.js';
import type { Backend } from '../../../src/store/backend.js';
import { serveEtcd, type EtcdServer, type ServeEtcdOptions } from '../../../src/store/grpc/server.js';
import { openMemoryBackend } from '../../../src/store/memory/index.js';
import type { MvccOptions } from '../../../src/store/mvcc/store.js';
import { openSqliteBackend } from '../../../src/store/sqlite/index.js';

export const etcdctlPath = '/usr/bin/etcdctl';
export const haveEtcdctl = existsSync(etcdctlPath);

export interface BackendKind {
  name: string;
  open(dir: string, opts: MvccOptions): Backend;
}

export const backendKinds: BackendKind[] = [
  { name: 'memory', open: (_dir, opts) => openMemoryBackend(opts) },
  { name: 'sqlite', open: (dir, opts) => openSqliteBackend(join(dir, 'state.db'), opts) },
];

/** Runs fn as one subtest per backend kind. */
export function forEachBackend(t: Test, fn: (t: Test, kind: BackendKind) => Promise<void>): void {
  for (const kind of backendKinds) t.test(kind.name, (t) => fn(t, kind));
}

export interface Served {
  backend: Backend;
  server: EtcdServer;
  /** Absolute path of the unix socket. */
  socket: string;
  /** `127.0.0.1:port`. */
  tcp: string;
  dir: string;
}

export interface ServeOptions {
  mvcc?: MvccOptions;
  serve?: Partial<ServeEtcdOptions>;
}

/** Serves a fresh backend of `kind`; everything is closed and removed when `t` ends. */
export async function serve(t: Test, kind: BackendKind, opts: ServeOptions = {}): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'tsk8s-etcd-api-'));
  const backend = kind.open(dir, opts.mvcc ?? {});
  await backend.ready;
  const socket = join(dir, 'etcd.sock');
  const server = serveEtcd(backend, { socketPath: socket, tcpAddress: '127.0.0.1:0', logger: silentLogger, ...opts.serve });
  t.teardown(async () => {
    await server.close();
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  });
  await server.ready;
  const tcpUrl = server.addresses.find((a) => a.startsWith('http://'));
  if (!tcpUrl) throw new Error('no TCP address');
  return { backend, server, socket, tcp: tcpUrl.slice('http://'.length), dir };
}

// ---- etcdctl ----

export interface CtlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs etcdctl against `endpoint` (default: the unix socket, by absolute path). */
export function etcdctl(endpoint: string, args: string[], input?: string, timeoutMs = 20_000): Promise<CtlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      etcdctlPath,
      ['--endpoints', endpoint, '--command-timeout', '10s', ...args],
      { env: { ...process.env, ETCDCTL_API: '3' }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(input ?? '');
  });
}

/** etcdctl that must succeed: returns stdout. */
export async function ctlOk(t: Test, endpoint: string, ...args: string[]): Promise<string> {
  const r = await etcdctl(endpoint, args);
  if (r.code !== 0) t.fail(`etcdctl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/**
 * Starts a long-running etcdctl (watch, lease keep-alive) and collects its
 * stdout lines; killed when `t` ends if still running.
 */
export function ctlSpawn(t: Test, endpoint: string, args: string[]): { lines: string[]; waitFor(n: number, ms?: number): Promise<string[]>; kill(): void } {
  const child = spawn(etcdctlPath, ['--endpoints', endpoint, ...args], { env: { ...process.env, ETCDCTL_API: '3' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  child.stdout.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  t.teardown(kill);
  const waitFor = async (n: number, ms = 10_000): Promise<string[]> => {
    const deadline = Date.now() + ms;
    while (lines.length < n) {
      if (Date.now() > deadline) throw new Error(`etcdctl ${args.join(' ')}: wanted ${n} lines, got ${JSON.stringify(lines)}`);
      await sleep(20);
    }
    return lines.slice(0, n);
  };
  return { lines, waitFor, kill };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ---- raw gRPC client from the etcd3 package's protos ----

const require = createRequire(import.meta.url);
const etcd3ProtoDir = join(dirname(require.resolve('etcd3/package.json')), 'proto');

/** Decoded like our server decodes: int64 as strings, enums as names, defaults filled in. */
const etcd3Protos = loadSync('rpc.proto', { includeDirs: [etcd3ProtoDir], keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });

export type Msg = Record<string, unknown>;
export type Failure = { code: number; details: string };

/** A unary call that resolves with the response or the gRPC failure (never rejects). */
export type Unary = (method: string, req: Msg) => Promise<Msg | Failure>;

export function isFailure(r: Msg | Failure): r is Failure {
  return typeof r.code === 'number' && typeof r.details === 'string' && !('header' in r);
}

export interface RawClient {
  kv: Unary;
  lease: Unary;
  maintenance: Unary;
  cluster: Unary;
  /** A bidi stream of a service (`Watch.Watch`, `Lease.LeaseKeepAlive`). */
  stream(service: string, method: string): grpc.ClientDuplexStream<Msg, Msg>;
  /** Calls any method path without a definition: for UNIMPLEMENTED checks. */
  close(): void;
}

/** A grpc-js client of `target` (`127.0.0.1:port` or `unix:///path`), closed when `t` ends. */
export function rawClient(t: Test, target: string, options: grpc.ChannelOptions = {}): RawClient {
  const clients: grpc.Client[] = [];
  const make = (service: string): grpc.Client => {
    const def = etcd3Protos[`etcdserverpb.${service}`];
    if (!def || 'format' in def) throw new Error(`no service ${service}`);
    const Ctor = grpc.makeGenericClientConstructor(def, service);
    const c = new Ctor(target, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': -1, ...options });
    clients.push(c);
    return c;
  };
  const unary = (service: string): Unary => {
    const client = make(service);
    return (method, req) =>
      new Promise((resolve) => {
        const fn = Reflect.get(client, method) as (req: Msg, cb: (err: grpc.ServiceError | null, res: Msg) => void) => void;
        fn.call(client, req, (err, res) => resolve(err ? { code: err.code, details: err.details } : res));
      });
  };
  const streamClients = new Map<string, grpc.Client>();
  const close = (): void => {
    for (const c of clients) c.close();
  };
  t.teardown(close);
  return {
    kv: unary('KV'),
    lease: unary('Lease'),
    maintenance: unary('Maintenance'),
    cluster: unary('Cluster'),
    stream(service, method) {
      let c = streamClients.get(service);
      if (!c) {
        c = make(service);
        streamClients.set(service, c);
      }
      const fn = Reflect.get(c, method) as () => grpc.ClientDuplexStream<Msg, Msg>;
      return fn.call(c);
    },
    close,
  };
}

/** Shorthand for keys and values in requests. */
export const b = (s: string): Buffer => Buffer.from(s);

/** Reads a client stream's messages in order, with timeouts. */
export class StreamReader {
  private readonly queue: Msg[] = [];
  private waiter: (() => void) | undefined;
  ended: Failure | undefined;

  constructor(readonly call: grpc.ClientDuplexStream<Msg, Msg>) {
    call.on('data', (m: Msg) => {
      this.queue.push(m);
      this.waiter?.();
    });
    call.on('status', (s: grpc.StatusObject) => {
      this.ended = { code: s.code, details: s.details };
      this.waiter?.();
    });
    call.on('error', () => {}); // the status event reports it
  }

  /** The next message; throws after `ms` without one. */
  async next(ms = 5000): Promise<Msg> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = this.queue.shift();
      if (m) return m;
      if (this.ended) throw new Error(`stream ended: ${JSON.stringify(this.ended)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${ms} ms`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, left);
        this.waiter = () => {
          clearTimeout(timer);
          r();
        };
      });
      this.waiter = undefined;
    }
  }

  /** Resolves with what arrived within `ms` (expected: nothing). */
  async quiet(ms: number): Promise<Msg[]> {
    await sleep(ms);
    return this.queue.splice(0);
  }

  /** Waits for the end of the stream and returns its status. */
  async status(ms = 5000): Promise<Failure> {
    const deadline = Date.now() + ms;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('stream did not end');
      await sleep(10);
    }
    return this.ended;
  }
}

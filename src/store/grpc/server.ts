// Serves any Backend as the etcd v3 gRPC API (KV, Watch, Lease, Cluster,
// Maintenance) on a unix socket and/or a loopback TCP address, for etcdctl,
// etcd client libraries and, one day, kube-apiserver. Services etcd has and
// we do not (Auth, most of Cluster and Maintenance) answer UNIMPLEMENTED.
import { lstatSync, unlinkSync, chmodSync } from 'node:fs';
import { connect } from 'node:net';
import type { Logger } from '../../log/logger.js';
import type { Backend } from '../backend.js';
import { clusterService } from './cluster.js';
import { encodeRangeResponse, encodeWatchResponse } from './encode.js';
import { kvService } from './kv.js';
import { leaseService } from './lease.js';
import { maintenanceService } from './maintenance.js';
import { loadEtcdServices, type ServiceDefinition } from './proto.js';
import { RpcServer, type RpcHandler } from './rpc-server.js';
import { OpenStreams } from './streams.js';
import { listen, type Listener } from './listener.js';
import { watchService } from './watch.js';

export interface ServeEtcdOptions {
  /** Unix socket to listen on (created mode 0600; a stale one is replaced). */
  socketPath?: string;
  /** Loopback `host:port` to listen on as well; port 0 picks a free port. */
  tcpAddress?: string;
  logger: Logger;
  /** Interval of progress notifications for watches that ask for them. Default 5000 (kine's; etcd's is 10 min). */
  progressNotifyIntervalMs?: number;
  /** Member name reported by MemberList. Default "tsk8s". */
  name?: string;
}

export interface EtcdServer {
  /** Resolves when every address listens; rejects (and closes the server) if one cannot be bound. */
  readonly ready: Promise<void>;
  /** URLs listened on, `unix:///path` and `http://127.0.0.1:port` (actual port); complete once ready. */
  readonly addresses: readonly string[];
  /** Ends open watch and keep-alive streams, stops listening, removes the socket. Idempotent. */
  close(): Promise<void>;
}

/** etcd accepts requests up to --max-request-bytes (1.5 MiB) plus 512 KiB of gRPC overhead. */
const maxReceiveBytes = 1.5 * 1024 * 1024 + 512 * 1024;
/** How long close() lets unary calls in flight finish before cutting connections. */
const shutdownGraceMs = 2000;

export function serveEtcd(backend: Backend, opts: ServeEtcdOptions): EtcdServer {
  const { socketPath, tcpAddress, logger: log } = opts;
  if (!socketPath && !tcpAddress) throw new Error('serveEtcd needs a socketPath, a tcpAddress or both');
  const services = loadEtcdServices();
  const server = new RpcServer(maxReceiveBytes, log);
  const streams = new OpenStreams();
  const addresses: string[] = [];
  const add = (def: ServiceDefinition, handlers: Record<string, RpcHandler>, encoders: Record<string, (res: never) => Buffer> = {}): void => {
    for (const [name, handler] of Object.entries(handlers)) {
      const method = def[name];
      if (method === undefined) throw new Error(`etcd service has no method ${name}`);
      const encode = (encoders[name] ?? method.responseSerialize) as (res: unknown) => Buffer;
      server.add({ path: method.path, decode: method.requestDeserialize, encode, handler });
    }
  };
  add(services.KV, kvService(backend, log), { Range: encodeRangeResponse });
  add(services.Watch, watchService(backend, log, streams, { progressNotifyIntervalMs: opts.progressNotifyIntervalMs ?? 5000 }), { Watch: encodeWatchResponse });
  add(services.Lease, leaseService(backend, log, streams));
  add(services.Cluster, clusterService(opts.name ?? 'tsk8s', () => addresses, log));
  add(services.Maintenance, maintenanceService(backend, log));

  let ownsSocket = false;
  const listeners: Listener[] = [];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const l of listeners) l.stopAccepting();
      streams.stopAll();
      await server.close(shutdownGraceMs);
      for (const l of listeners) l.dropConnections();
      if (ownsSocket && socketPath) removeSocket(socketPath);
      log.debug('etcd API closed');
    })();
    return closing;
  };

  const ready = (async () => {
    if (socketPath) {
      await clearStaleSocket(socketPath);
      listeners.push(await listen((conn) => server.inject(conn), { path: socketPath }, log));
      ownsSocket = true;
      // The socket gives full access to the store: owner only.
      chmodSync(socketPath, 0o600);
      addresses.push(`unix://${socketPath}`);
    }
    if (tcpAddress) {
      const { host, port } = splitHostPort(tcpAddress);
      const listener = await listen((conn) => server.inject(conn), { host, port }, log);
      listeners.push(listener);
      addresses.push(`http://${tcpAddress.slice(0, tcpAddress.lastIndexOf(':'))}:${listener.port}`);
    }
    log.debug('etcd API listening', { addresses: addresses.join(',') });
  })();
  ready.catch(() => void close());

  return { ready, addresses, close };
}

/** `127.0.0.1:2379`, `localhost:0`, `[::1]:2379` → host and port. */
function splitHostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad etcd listen address "${address}"`);
  return { host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port };
}

/**
 * A socket file left by a server that died is removed; one that still
 * answers belongs to a running server and is an error, as is a path that is
 * not a socket (never delete what we did not make).
 */
async function clearStaleSocket(path: string): Promise<void> {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st) return;
  if (!st.isSocket()) throw new Error(`etcd socket path ${path} exists and is not a socket`);
  const alive = await new Promise<boolean>((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new Error(`etcd socket ${path} is in use by another server`);
  removeSocket(path);
}

function removeSocket(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'ENOENT')) throw err;
  }
}

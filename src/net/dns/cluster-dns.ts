// Cluster DNS on a node: the records kept from the API, the forwarder to
// the node's upstream resolvers, and the listener. On a node it serves on
// the cluster DNS address itself, added as a /32 to the pod bridge, so
// pods' queries to that address are delivered locally on every node
// without a proxy rule (the kube-dns Service is marked for the proxy to
// leave alone). Tests give it a loopback address and port 0 instead.
//
// Lifecycle: `ready` resolves with the bound address once the informers
// have listed and both sockets listen; `stopped` once all has closed after
// the signal aborted (also when start-up failed).
import type { Client } from '../../client/index.js';
import type { Logger } from '../../log/logger.js';
import { mustRun, type CommandRunner } from '../exec.js';
import type { Endpoint } from './exchange.js';
import { Forwarder } from './forward.js';
import { ClusterRecords } from './records.js';
import { Resolver } from './resolver.js';
import { startDnsServer } from './server.js';
import { watchRecords } from './sources.js';
import { readUpstreams } from './upstreams.js';

export interface ClusterDnsOptions {
  client: Client;
  /** The address to serve on (the cluster DNS IP on a node, 127.0.0.1 in tests). */
  host: string;
  /** Default 53; 0 picks a free port. */
  port?: number;
  /** The cluster domain ("cluster.local"). */
  domain: string;
  /** Where names outside the cluster go; default the nameservers of /etc/resolv.conf other than `host`. */
  upstreams?: Endpoint[];
  /** Per-upstream deadline; default 2000 ms. */
  upstreamTimeoutMs?: number;
  /** Put `host` on this bridge as a /32 first (idempotent), through `run`. */
  bridge?: { name: string; run: CommandRunner };
  logger: Logger;
}

export interface ClusterDns {
  ready: Promise<Endpoint>;
  stopped: Promise<void>;
  /** What the server answers from (tests and the benchmark inspect it). */
  records: ClusterRecords;
}

export function startClusterDns(opts: ClusterDnsOptions, signal: AbortSignal): ClusterDns {
  const records = new ClusterRecords();
  const sources = watchRecords(opts.client, records, opts.logger, signal);
  const upstreams = opts.upstreams ?? readUpstreams(undefined, [opts.host]);
  if (upstreams.length === 0) opts.logger.warn('no upstream resolver: names outside the cluster will answer SERVFAIL', { host: opts.host });
  const forwarder = new Forwarder({ upstreams, ...(opts.upstreamTimeoutMs ? { timeoutMs: opts.upstreamTimeoutMs } : {}), logger: opts.logger });
  const resolver = new Resolver({ records, zone: opts.domain, forwarder, serverIp: opts.host, logger: opts.logger });
  let serverStopped: Promise<void> = Promise.resolve();

  const ready = (async () => {
    if (opts.bridge) await mustRun(opts.bridge.run, 'ip', ['addr', 'replace', `${opts.host}/32`, 'dev', opts.bridge.name]);
    await sources.synced;
    const server = startDnsServer({ host: opts.host, port: opts.port ?? 53, resolver, logger: opts.logger }, signal);
    serverStopped = server.stopped;
    const bound = await server.ready;
    opts.logger.info('cluster DNS ready', { address: `${bound.host}:${bound.port}`, domain: opts.domain, upstreams: upstreams.map((u) => u.host).join(',') || 'none' });
    return bound;
  })();
  ready.catch(() => undefined);
  const stopped = ready.then(
    () => Promise.all([serverStopped, sources.stopped]).then(() => undefined),
    () => sources.stopped,
  );
  return { ready, stopped, records };
}

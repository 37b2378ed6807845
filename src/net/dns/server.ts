// The DNS listener: UDP and TCP on one address and port, every query
// handed to the resolver. Port 0 picks a free port (the same one for both).
//
// Lifecycle: `ready` resolves with the bound address once both sockets
// listen (rejects with DnsError `listen-failed`); aborting the signal closes
// them and `stopped` resolves when they are closed. TCP connections carry
// any number of length-prefixed queries, answered in order, and are closed
// after `idleMs` without one.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import { silentLogger, type Logger } from '../../log/logger.js';
import { DnsError } from './errors.js';
import type { Endpoint } from './exchange.js';
import type { Resolver } from './resolver.js';

export interface DnsServerOptions {
  host: string;
  port: number;
  resolver: Resolver;
  /** Idle TCP connections are closed after this long; default 10 s. */
  idleMs?: number;
  logger?: Logger;
}

export interface DnsServer {
  ready: Promise<Endpoint>;
  stopped: Promise<void>;
}

export function startDnsServer(opts: DnsServerOptions, signal: AbortSignal): DnsServer {
  const log = opts.logger ?? silentLogger;
  const connections = new Set<Socket>();
  let udp: UdpSocket | undefined;
  let tcp: Server | undefined;

  const ready = (async () => {
    // With port 0 the UDP port is free but the same TCP port may not be: try another.
    for (let attempt = 1; ; attempt++) {
      if (signal.aborted) throw new DnsError('listen-failed', 'stopped before listening');
      const u = createSocket({ type: isIP(opts.host) === 6 ? 'udp6' : 'udp4' });
      udp = u;
      await listen(opts.host, () => bindUdp(u, opts.port, opts.host));
      const port = u.address().port;
      const t = createServer((socket) => serveTcp(socket, opts.resolver, opts.idleMs ?? 10_000, connections));
      try {
        await listen(opts.host, () => listenTcp(t, port, opts.host));
      } catch (err) {
        u.close();
        udp = undefined;
        if (opts.port === 0 && attempt < 5) continue;
        throw err;
      }
      tcp = t;
      u.on('error', (err) => log.warn('UDP socket error', { err: err.message }));
      u.on('message', (msg, rinfo) => {
        const known = opts.resolver.known(msg, 'udp');
        if (known) {
          u.send(known, rinfo.port, rinfo.address);
          return;
        }
        void opts.resolver.handle(msg, 'udp').then((res) => {
          if (res) u.send(res, rinfo.port, rinfo.address);
        });
      });
      log.info('DNS listening', { address: `${opts.host}:${port}`, protocols: 'udp,tcp' });
      return { host: opts.host, port };
    }
  })();
  ready.catch(() => undefined);

  const stopped = new Promise<void>((resolve) => {
    const stop = async (): Promise<void> => {
      await ready.catch(() => undefined);
      for (const c of connections) c.destroy();
      await Promise.all([
        new Promise<void>((r) => (udp ? udp.close(() => r()) : r())),
        new Promise<void>((r) => (tcp?.listening ? tcp.close(() => r()) : r())),
      ]).catch(() => undefined);
      resolve();
    };
    if (signal.aborted) void stop();
    else signal.addEventListener('abort', () => void stop(), { once: true });
  });
  return { ready, stopped };
}

function bindUdp(u: UdpSocket, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    u.once('error', reject);
    u.bind(port, host, () => {
      u.off('error', reject);
      resolve();
    });
  });
}

function listenTcp(t: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    t.once('error', reject);
    t.listen(port, host, () => {
      t.off('error', reject);
      resolve();
    });
  });
}

async function listen(host: string, bind: () => Promise<void>): Promise<void> {
  try {
    await bind();
  } catch (err) {
    throw new DnsError('listen-failed', `cannot serve DNS on ${host}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

function serveTcp(socket: Socket, resolver: Resolver, idleMs: number, connections: Set<Socket>): void {
  connections.add(socket);
  socket.setTimeout(idleMs, () => socket.destroy());
  socket.on('close', () => connections.delete(socket));
  socket.on('error', () => socket.destroy());
  let buffered: Buffer = Buffer.alloc(0);
  // Answers go out in query order: each waits for the one before.
  let last: Promise<void> = Promise.resolve();
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const length = buffered.readUInt16BE(0);
      if (buffered.length < 2 + length) break;
      const query = buffered.subarray(2, 2 + length);
      buffered = buffered.subarray(2 + length);
      const answered = resolver.handle(query, 'tcp');
      last = last.then(async () => {
        const res = await answered;
        if (!res || socket.destroyed) return;
        const prefix = Buffer.alloc(2);
        prefix.writeUInt16BE(res.length);
        socket.write(Buffer.concat([prefix, res]));
      });
    }
  });
}

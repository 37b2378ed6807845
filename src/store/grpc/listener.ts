// Listeners for the gRPC server. grpc-js could bind addresses itself, but Go
// etcd clients would then be refused (see authority.ts), so connections are
// accepted here, passed through an AuthorityRewriter, and injected into the
// gRPC server.
import { createServer, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { ServerCredentials, type Server } from '@grpc/grpc-js';
import type { Logger } from '../../log/logger.js';
import { AuthorityRewriter } from './authority.js';

export interface Listener {
  /** The TCP port listened on (0 for a unix socket). */
  readonly port: number;
  /** Stops accepting connections; open ones stay (the gRPC server drains them). */
  stopAccepting(): void;
  /** Drops the connections still open. */
  dropConnections(): void;
}

/** Where to listen: a unix socket path, or a host and port (0: any free port). */
export type ListenTarget = { path: string } | { host: string; port: number };

export function listen(server: Server, target: ListenTarget, log: Logger): Promise<Listener> {
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
  const sockets = new Set<Socket>();
  const listener = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    injector.injectConnection(rewriting(socket, log));
  });
  const stopAccepting = (): void => void listener.close();
  const dropConnections = (): void => {
    injector.destroy();
    for (const socket of sockets) socket.destroy();
  };
  return new Promise((resolve, reject) => {
    listener.once('error', reject);
    const ready = (): void => {
      listener.off('error', reject);
      listener.on('error', (err) => log.error('etcd API listener failed', { error: err.message }));
      const address = listener.address();
      resolve({ port: typeof address === 'object' && address ? address.port : 0, stopAccepting, dropConnections });
    };
    if ('path' in target) listener.listen(target.path, ready);
    else listener.listen(target.port, target.host, ready);
  });
}

/** The socket as the HTTP/2 server should see it: client bytes rewritten, server bytes untouched, backpressure kept. */
export function rewriting(socket: Socket, log: Logger): Duplex {
  const rewriter = new AuthorityRewriter();
  // HTTP/2 writes many small frames (a watch event is a HEADERS-free DATA
  // frame or two): the socket is corked for the rest of the tick so they
  // leave in one writev, and a write is done once the socket took it, not
  // once the kernel did, so the next frames can join the same batch.
  let corked = false;
  const send = (chunks: Buffer[], callback: (err?: Error | null) => void): void => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(() => {
        corked = false;
        socket.uncork();
      });
    }
    let room = true;
    for (const chunk of chunks) room = socket.write(chunk);
    if (room) callback();
    else socket.once('drain', () => callback());
  };
  const conn = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      send([chunk], callback);
    },
    writev(chunks, callback) {
      send(
        chunks.map((c) => c.chunk as Buffer),
        callback,
      );
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(err, callback) {
      socket.destroy(err ?? undefined);
      callback(err);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    let parts: Buffer[];
    try {
      parts = rewriter.push(chunk);
    } catch (err) {
      log.warn('dropping connection', { reason: err instanceof Error ? err.message : String(err) });
      conn.destroy();
      return;
    }
    for (const part of parts) if (!conn.push(part)) socket.pause();
  });
  socket.on('end', () => conn.push(null));
  socket.on('error', (err) => conn.destroy(err));
  socket.on('close', () => conn.destroy());
  return conn;
}

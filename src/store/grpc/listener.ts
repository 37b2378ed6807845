// Listeners for the gRPC server: connections are accepted here and handed
// to it as they are when the client sends valid authorities (Node's HTTP/2
// then reads the socket natively; see authority-peek.ts), otherwise through
// an AuthorityRewriter (Go etcd clients; see authority.ts).
import { createServer, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import type { Logger } from '../../log/logger.js';
import { AuthorityRewriter } from './authority.js';
import { peekClient } from './authority-peek.js';

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

export function listen(inject: (conn: Duplex) => void, target: ListenTarget, log: Logger): Promise<Listener> {
  const sockets = new Set<Socket>();
  const listener = createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    route(socket, 'path' in target, log, inject);
  });
  const stopAccepting = (): void => void listener.close();
  const dropConnections = (): void => {
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

/**
 * Holds the client's bytes until its preface and first SETTINGS frame are
 * in, then puts them back and hands on the socket itself (a client that
 * sends valid authorities) or a rewriting Duplex around it. Unix-socket
 * clients always get the rewriter: the Go clients send the socket path.
 */
export function route(socket: Socket, unix: boolean, log: Logger, inject: (conn: Duplex) => void): void {
  if (unix) {
    inject(rewriting(socket, log));
    return;
  }
  let seen: Buffer = Buffer.alloc(0);
  const settle = (conn: Duplex): void => {
    socket.off('data', onData);
    socket.off('end', onEnd);
    socket.pause();
    socket.unshift(seen);
    inject(conn);
  };
  const onData = (chunk: Buffer): void => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    let peek;
    try {
      peek = peekClient(seen);
    } catch (err) {
      log.warn('dropping connection', { reason: err instanceof Error ? err.message : String(err) });
      socket.destroy();
      return;
    }
    if (!peek.done) return;
    settle(peek.native ? socket : rewriting(socket, log));
  };
  // A client that ends before its SETTINGS has nothing to be served.
  const onEnd = (): void => void socket.destroy();
  socket.on('data', onData);
  socket.on('end', onEnd);
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

// A gRPC server on Node's HTTP/2 (the gRPC over HTTP/2 protocol, no TLS):
// connections are handed in by the listeners (see listener.ts), each stream
// is one call. Why not grpc-js's server: it queues a unary call's status
// only once the response message's write has completed, a loop turn later;
// here both are queued at once (Node still sends the trailers in a write of
// their own), and the per-call machinery is what etcd's API needs.
//
// Contract with handlers: a unary handler gets the decoded request and its
// encoded size and returns the response, or throws an RpcError (anything
// else becomes INTERNAL and is the handler's bug to log). A streaming
// handler gets a StreamCall before any request arrives.
import { constants, createServer, type IncomingHttpHeaders, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import type { Duplex } from 'node:stream';
import type { Logger } from '../../log/logger.js';
import { CallQueue } from './call-queue.js';
import { Http2StreamCall, responseHeaders, sendTrailersOnly, type StreamCall } from './rpc-call.js';
import { Code, internalError, RpcError } from './rpc-error.js';
import { frameMessage, MessageReader } from './rpc-frames.js';

export type RpcHandler =
  | { readonly kind: 'unary'; run(request: unknown, size: number): Promise<unknown> }
  | { readonly kind: 'stream'; open(call: StreamCall<unknown, unknown>): void };

export interface RpcMethod {
  /** `/package.Service/Method`. */
  readonly path: string;
  readonly decode: (bytes: Buffer) => unknown;
  readonly encode: (res: unknown) => Buffer;
  readonly handler: RpcHandler;
}

const okTrailers = { 'grpc-status': '0', 'grpc-message': 'OK' } as const;

export class RpcServer {
  private readonly methods = new Map<string, RpcMethod>();
  private readonly sessions = new Set<ServerHttp2Session>();
  private readonly unaryCalls = new CallQueue();
  private readonly h2 = createServer({
    // Node's per-session memory cap refuses streams under load (a large
    // list in flight on many streams); the store bounds what it buffers.
    maxSessionMemory: Number.MAX_SAFE_INTEGER,
    maxSendHeaderBlockLength: Number.MAX_SAFE_INTEGER,
  });

  constructor(
    private readonly maxReceiveBytes: number,
    private readonly log: Logger,
  ) {
    this.h2.on('session', (session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
      // A broken connection closes its session; there is no one to tell.
      session.on('error', () => {});
    });
    this.h2.on('sessionError', () => {});
    this.h2.on('stream', (stream, headers) => this.serve(stream, headers));
  }

  add(method: RpcMethod): void {
    this.methods.set(method.path, method);
  }

  /** Serves an HTTP/2 connection (a socket, or a Duplex around one). */
  inject(conn: Duplex): void {
    this.h2.emit('connection', conn);
  }

  /**
   * Asks every connection to finish (GOAWAY: calls in flight complete, no
   * new ones start) and resolves once they have or `graceMs` passed; what
   * is still open then is cut.
   */
  async close(graceMs: number): Promise<void> {
    const finished = [...this.sessions].map(
      (s) => new Promise<void>((resolve) => (s.closed || s.destroyed ? resolve() : s.close(() => resolve()))),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(finished), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const s of this.sessions) s.destroy();
  }

  private serve(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    // Every stream error is followed by 'close', which is where it is handled.
    stream.on('error', () => {});
    const contentType = headers['content-type'];
    if (typeof contentType !== 'string' || !contentType.startsWith('application/grpc')) {
      stream.respond({ ':status': 415 }, { endStream: true });
      return;
    }
    const path = headers[':path'] ?? '';
    const method = this.methods.get(path);
    if (method === undefined) {
      sendTrailersOnly(stream, Code.UNIMPLEMENTED, `The server does not implement the method ${path}`);
      return;
    }
    const encoding = headers['grpc-encoding'];
    const reader = new MessageReader(this.maxReceiveBytes, typeof encoding === 'string' ? encoding : 'identity');
    if (method.handler.kind === 'unary') serveUnary(stream, reader, method, method.handler, this.unaryCalls, this.log);
    else serveStream(stream, reader, method, method.handler);
  }
}

/** One request message, one response: the response's HEADERS, DATA and trailers are queued in one go (the trailers leave when Node asks for them). */
function serveUnary(
  stream: ServerHttp2Stream,
  reader: MessageReader,
  method: RpcMethod,
  handler: RpcHandler & { kind: 'unary' },
  queue: CallQueue,
  log: Logger,
): void {
  let started = false;
  const fail = (err: unknown): void => {
    started = true;
    if (!(err instanceof RpcError)) log.error('request failed', { method: method.path, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    if (stream.headersSent) {
      stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      return;
    }
    const e = err instanceof RpcError ? err : internalError;
    sendTrailersOnly(stream, e.code, e.details);
  };
  stream.on('data', (chunk: Buffer) => {
    if (started) return;
    let messages: Buffer[];
    try {
      messages = reader.push(chunk);
    } catch (err) {
      fail(err);
      return;
    }
    const bytes = messages[0];
    if (bytes === undefined) return;
    started = true;
    let request: unknown;
    try {
      request = method.decode(bytes);
    } catch {
      fail(new RpcError(Code.INTERNAL, 'Error parsing request message'));
      return;
    }
    queue.run(() => {
      handler
        .run(request, bytes.length)
        .then((res) => {
          if (stream.closed || stream.destroyed) return;
          const body = frameMessage(method.encode(res));
          stream.respond(responseHeaders, { waitForTrailers: true });
          stream.once('wantTrailers', () => stream.sendTrailers(okTrailers));
          stream.end(body);
        })
        .catch(fail);
    });
  });
  stream.on('end', () => {
    if (!started) fail(new RpcError(Code.INTERNAL, 'The request ended without a message'));
  });
}

function serveStream(stream: ServerHttp2Stream, reader: MessageReader, method: RpcMethod, handler: RpcHandler & { kind: 'stream' }): void {
  const call = new Http2StreamCall<unknown, unknown>(stream, method.encode);
  handler.open(call);
  stream.on('data', (chunk: Buffer) => {
    try {
      for (const bytes of reader.push(chunk)) call.deliver(method.decode(bytes));
    } catch (err) {
      call.fail(err instanceof RpcError ? err : new RpcError(Code.INTERNAL, 'Error parsing request message'));
    }
  });
  // A client reset also ends the readable side, just before 'close': the
  // half-close waits a turn so that a reset is reported as a cancel only.
  stream.on('end', () => setImmediate(() => call.halfClosed()));
}

// One streaming call (client and/or server streaming) on an HTTP/2 stream.
// Response headers go out with the first message; the status goes out as
// trailers, or as the only header block when no message was sent.
import type { ServerHttp2Stream } from 'node:http2';
import { frameMessages } from './rpc-frames.js';
import { Code, type CodeNumber, type RpcError } from './rpc-error.js';

export const responseHeaders = { ':status': 200, 'content-type': 'application/grpc' } as const;

/**
 * Bytes a stream may queue before write() asks the caller to wait. Node's
 * HTTP/2 streams say "full" at 16 KiB, a few watch events; past that
 * mark the stream has asked for 'drain', so waiting for it is safe.
 */
const queueLimitBytes = 1 << 20;

/** Sends `code` on a stream that has sent no headers: one HEADERS frame ending the stream. */
export function sendTrailersOnly(stream: ServerHttp2Stream, code: CodeNumber, details: string): void {
  if (stream.closed || stream.destroyed) return;
  stream.respond({ ...responseHeaders, 'grpc-status': String(code), 'grpc-message': encodeURI(details) }, { endStream: true });
}

export interface StreamCall<Req, Res> {
  /** Each request message, decoded, in order. */
  onRequest(fn: (req: Req) => void): void;
  /** The client half-closed: it sends no more requests. */
  onHalfClose(fn: () => void): void;
  /** The client went away before the call ended; nothing more can be sent. */
  onCancel(fn: () => void): void;
  /** Queues a response; false means the transport is full: wait for onceDrained before writing more. */
  write(res: Res): boolean;
  onceDrained(fn: () => void): void;
  /** Ends the call with OK. Idempotent; a no-op once the call ended. */
  end(): void;
  /** Ends the call with `err`'s status. A no-op once the call ended. */
  fail(err: RpcError): void;
}

/**
 * Responses written in one turn of the event loop leave in one stream write
 * (a watch stream answers a put with one message per watch; each stream
 * write has a fixed cost far above a message's).
 */
export class Http2StreamCall<Req, Res> implements StreamCall<Req, Res> {
  private headersSent = false;
  private ended = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly requestFns: ((req: Req) => void)[] = [];
  private readonly halfCloseFns: (() => void)[] = [];
  private readonly cancelFns: (() => void)[] = [];

  constructor(
    private readonly stream: ServerHttp2Stream,
    private readonly encode: (res: Res) => Buffer,
  ) {
    stream.on('close', () => {
      if (this.ended) return;
      this.ended = true;
      for (const fn of this.cancelFns) fn();
    });
  }

  /** Called by the transport with each decoded request. */
  deliver(req: Req): void {
    if (this.ended) return;
    for (const fn of this.requestFns) fn(req);
  }

  /** Called by the transport when the client half-closed. */
  halfClosed(): void {
    if (this.ended) return;
    for (const fn of this.halfCloseFns) fn();
  }

  onRequest(fn: (req: Req) => void): void {
    this.requestFns.push(fn);
  }

  onHalfClose(fn: () => void): void {
    this.halfCloseFns.push(fn);
  }

  onCancel(fn: () => void): void {
    this.cancelFns.push(fn);
  }

  write(res: Res): boolean {
    if (this.ended) return true;
    const body = this.encode(res);
    if (this.pending.length === 0) setImmediate(this.flush);
    this.pending.push(body);
    this.pendingBytes += body.length;
    return this.stream.writableLength + this.pendingBytes < queueLimitBytes;
  }

  /** Past the queue limit the flush's write is refused, so the stream will emit 'drain'. */
  onceDrained(fn: () => void): void {
    if (this.ended) fn();
    else this.stream.once('drain', fn);
  }

  private readonly flush = (): void => {
    if (this.pending.length === 0) return;
    const chunk = frameMessages(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const { stream } = this;
    if (stream.closed || stream.destroyed) return;
    if (!this.headersSent) {
      this.headersSent = true;
      stream.respond(responseHeaders, { waitForTrailers: true });
    }
    stream.write(chunk);
  };

  end(): void {
    this.finish(Code.OK, 'OK');
  }

  fail(err: RpcError): void {
    this.finish(err.code, err.details);
  }

  private finish(code: CodeNumber, details: string): void {
    if (this.ended) return;
    this.flush();
    this.ended = true;
    const { stream } = this;
    if (stream.closed || stream.destroyed) return;
    if (!this.headersSent) {
      sendTrailersOnly(stream, code, details);
      return;
    }
    stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(code), 'grpc-message': encodeURI(details) }));
    stream.end();
  }
}

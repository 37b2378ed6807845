// gRPC's length-prefixed messages on an HTTP/2 stream (the gRPC over HTTP/2
// spec): a 1-byte compressed flag, a 4-byte big-endian length, the message.
// DATA frames cut messages anywhere, so bytes are gathered until a whole
// message is in.
import { gunzipSync, inflateSync } from 'node:zlib';
import { Code, RpcError } from './rpc-error.js';

const prefixBytes = 5;

/** The message framed for a DATA frame: the 5-byte prefix, then `body`. */
export function frameMessage(body: Buffer): Buffer {
  return frameMessages([body], body.length);
}

/** Several messages framed back to back in one Buffer; `bytes` is the bodies' total length. */
export function frameMessages(bodies: readonly Buffer[], bytes: number): Buffer {
  const out = Buffer.allocUnsafe(bodies.length * prefixBytes + bytes);
  let at = 0;
  for (const body of bodies) {
    out[at] = 0;
    out.writeUInt32BE(body.length, at + 1);
    body.copy(out, at + prefixBytes);
    at += prefixBytes + body.length;
  }
  return out;
}

/**
 * Cuts a stream's bytes into messages. `encoding` is the request's
 * `grpc-encoding` (a compressed message is inflated with it); messages over
 * `maxBytes` are refused with RESOURCE_EXHAUSTED, as grpc servers do.
 */
export class MessageReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly encoding: string,
  ) {}

  /** The whole messages `chunk` completes, in order. Throws RpcError on a bad or oversized message. */
  push(chunk: Buffer): Buffer[] {
    let buf: Buffer;
    if (this.pendingBytes === 0) buf = chunk;
    else {
      this.pending.push(chunk);
      buf = Buffer.concat(this.pending, this.pendingBytes + chunk.length);
      this.pending = [];
      this.pendingBytes = 0;
    }
    const out: Buffer[] = [];
    let at = 0;
    while (buf.length - at >= prefixBytes) {
      const length = buf.readUInt32BE(at + 1);
      if (length > this.maxBytes) {
        throw new RpcError(Code.RESOURCE_EXHAUSTED, `Received message larger than max (${length} vs. ${this.maxBytes})`);
      }
      if (buf.length - at - prefixBytes < length) break;
      const body = buf.subarray(at + prefixBytes, at + prefixBytes + length);
      out.push(buf[at] === 0 ? body : this.inflate(body));
      at += prefixBytes + length;
    }
    if (at < buf.length) {
      this.pending.push(buf.subarray(at));
      this.pendingBytes = buf.length - at;
    }
    return out;
  }

  /** True when bytes of an unfinished message are held. */
  get partial(): boolean {
    return this.pendingBytes > 0;
  }

  private inflate(body: Buffer): Buffer {
    const opts = { maxOutputLength: this.maxBytes };
    try {
      if (this.encoding === 'gzip') return gunzipSync(body, opts);
      if (this.encoding === 'deflate') return inflateSync(body, opts);
    } catch (err) {
      if (err instanceof RangeError) {
        throw new RpcError(Code.RESOURCE_EXHAUSTED, `Received message that decompresses to a size larger than ${this.maxBytes}`);
      }
      throw new RpcError(Code.INTERNAL, `Received a message that could not be decompressed with "${this.encoding}"`);
    }
    throw new RpcError(Code.UNIMPLEMENTED, `Received message compressed with unsupported encoding "${this.encoding}"`);
  }
}

// WebSocket framing (RFC 6455), the server's side: the handshake answer,
// reading the client's masked frames, writing unmasked ones. Enough for
// the Kubernetes streaming protocols, which carry binary messages only.
import { createHash } from 'node:crypto';

const handshakeGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

export interface WebSocketFrame {
  fin: boolean;
  opcode: number;
  /** Unmasked payload. */
  payload: Buffer;
}

/** `Sec-WebSocket-Accept` for a client's `Sec-WebSocket-Key`. */
export function websocketAccept(key: string): string {
  return createHash('sha1').update(`${key}${handshakeGuid}`).digest('base64');
}

/** The subprotocols a request offers, in its order. */
export function offeredProtocols(header: string | string[] | undefined): string[] {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  return values.flatMap((v) => v.split(',')).map((p) => p.trim()).filter((p) => p !== '');
}

/** The 101 answer accepting a WebSocket upgrade with `protocol`. */
export function websocketHandshake(key: string, protocol: string): string {
  return (
    'HTTP/1.1 101 Switching Protocols\r\n' +
    'Upgrade: websocket\r\n' +
    'Connection: Upgrade\r\n' +
    `Sec-WebSocket-Accept: ${websocketAccept(key)}\r\n` +
    (protocol === '' ? '' : `Sec-WebSocket-Protocol: ${protocol}\r\n`) +
    '\r\n'
  );
}

/** One frame as the server sends it (never masked). */
export function encodeFrame(opcode: number, payload: Buffer = Buffer.alloc(0), fin = true): Buffer {
  const first = (fin ? 0x80 : 0) | opcode;
  let head: Buffer;
  if (payload.length < 126) {
    head = Buffer.from([first, payload.length]);
  } else if (payload.length < 0x10000) {
    head = Buffer.alloc(4);
    head[0] = first;
    head[1] = 126;
    head.writeUInt16BE(payload.length, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = first;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([head, payload]);
}

/** A close frame with a status code (1000 = normal). */
export function closeFrame(code = 1000, reason = ''): Buffer {
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return encodeFrame(Opcode.Close, payload);
}

/** Largest message payload accepted from a client (frames beyond it are a protocol error). */
export const maxFramePayload = 16 * 1024 * 1024;

/** Splits the bytes of a connection into frames; holds back an incomplete one. Throws on a malformed frame. */
export class FrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): WebSocketFrame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: WebSocketFrame[] = [];
    for (;;) {
      const frame = this.next();
      if (!frame) return frames;
      frames.push(frame);
    }
  }

  private next(): WebSocketFrame | undefined {
    const b = this.buf;
    if (b.length < 2) return undefined;
    const b0 = b[0] ?? 0;
    const b1 = b[1] ?? 0;
    if ((b0 & 0x70) !== 0) throw new Error('websocket: reserved bits set');
    let length = b1 & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (b.length < 4) return undefined;
      length = b.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (b.length < 10) return undefined;
      const long = b.readBigUInt64BE(2);
      if (long > BigInt(maxFramePayload)) throw new Error('websocket: frame too large');
      length = Number(long);
      offset = 10;
    }
    if (length > maxFramePayload) throw new Error('websocket: frame too large');
    const masked = (b1 & 0x80) !== 0;
    const maskEnd = offset + (masked ? 4 : 0);
    if (b.length < maskEnd + length) return undefined;
    const payload = Buffer.from(b.subarray(maskEnd, maskEnd + length));
    if (masked) {
      const mask = b.subarray(offset, maskEnd);
      for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0);
    }
    this.buf = b.subarray(maskEnd + length);
    return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload };
  }
}

/** A frame as a client sends it (masked), for tests and clients. */
export function encodeMaskedFrame(opcode: number, payload: Buffer, mask: Buffer = Buffer.from([1, 2, 3, 4]), fin = true): Buffer {
  const plain = encodeFrame(opcode, payload, fin);
  const headLength = plain.length - payload.length;
  const head = Buffer.from(plain.subarray(0, headLength));
  head[1] = (head[1] ?? 0) | 0x80;
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = (body[i] ?? 0) ^ (mask[i & 3] ?? 0);
  return Buffer.concat([head, mask.subarray(0, 4), body]);
}

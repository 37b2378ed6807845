// SPDY/3.1 framing, as much as a client of the Kubernetes streaming
// protocols needs: opening streams (SYN_STREAM), data with FIN, answering
// PINGs, and reading every frame's type, flags and stream id.
//
// Header blocks are zlib streams, one per connection. Ours are written as
// stored (uncompressed) deflate blocks after one zlib header, each header
// block ending with the empty stored block of a sync flush; any inflater
// reads them, with or without the SPDY dictionary. The headers the
// peer sends are not needed here (replies are matched by stream id), so
// they are never inflated.

export const ControlType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

export const FlagFin = 0x01;

export type SpdyFrame =
  | { control: true; type: number; flags: number; streamId: number; body: Buffer }
  | { control: false; flags: number; streamId: number; data: Buffer };

/** Largest frame accepted from the peer. */
const maxFrameLength = 16 * 1024 * 1024;

/** Splits a connection's bytes into frames; holds back an incomplete one. */
export class SpdyFrameDecoder {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): SpdyFrame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: SpdyFrame[] = [];
    while (this.buf.length >= 8) {
      const length = this.buf.readUIntBE(5, 3);
      if (length > maxFrameLength) throw new Error('spdy: frame too large');
      if (this.buf.length < 8 + length) break;
      const first = this.buf.readUInt32BE(0);
      const flags = this.buf[4] ?? 0;
      const body = this.buf.subarray(8, 8 + length);
      if ((first & 0x80000000) !== 0) {
        const type = first & 0xffff;
        // Every control frame this side reads that names a stream has it first in the body.
        const streamId = body.length >= 4 && type !== ControlType.Settings && type !== ControlType.Ping ? body.readUInt32BE(0) & 0x7fffffff : 0;
        out.push({ control: true, type, flags, streamId, body: Buffer.from(body) });
      } else {
        out.push({ control: false, flags, streamId: first & 0x7fffffff, data: Buffer.from(body) });
      }
      this.buf = this.buf.subarray(8 + length);
    }
    return out;
  }
}

function controlFrame(type: number, flags: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE((0x8000 | 3) * 0x10000 + type, 0);
  head[4] = flags;
  head.writeUIntBE(body.length, 5, 3);
  return Buffer.concat([head, body]);
}

/** A DATA frame; `fin` half-closes the stream. */
export function dataFrame(streamId: number, data: Buffer, fin = false): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head[4] = fin ? FlagFin : 0;
  head.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([head, data]);
}

/** The uncompressed name/value block: count, then length-prefixed names (lower case) and values. */
export function headerBlock(headers: Readonly<Record<string, string>>): Buffer {
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(Object.keys(headers).length);
  parts.push(count);
  for (const [name, value] of Object.entries(headers)) {
    for (const s of [name.toLowerCase(), value]) {
      const bytes = Buffer.from(s);
      const len = Buffer.alloc(4);
      len.writeUInt32BE(bytes.length);
      parts.push(len, bytes);
    }
  }
  return Buffer.concat(parts);
}

const syncFlushMarker = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);

/** The writing side of one connection's header compression: a zlib header once, then stored blocks. */
export class HeaderWriter {
  private started = false;

  encode(block: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      parts.push(Buffer.from([0x78, 0x01]));
      this.started = true;
    }
    for (let off = 0; off < block.length || off === 0; off += 0xffff) {
      const piece = block.subarray(off, off + 0xffff);
      const head = Buffer.alloc(5);
      head[0] = 0x00; // not final, stored
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(head, piece);
      if (block.length === 0) break;
    }
    // An empty stored block ends the header block as a zlib sync flush does: an inflater hands out
    // what it holds when it reads this marker, without reading on into the next frame.
    parts.push(syncFlushMarker);
    return Buffer.concat(parts);
  }
}

/** SYN_STREAM opening a client stream (odd id) with `headers`. */
export function synStreamFrame(writer: HeaderWriter, streamId: number, headers: Readonly<Record<string, string>>, fin = false): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt32BE(streamId & 0x7fffffff, 0);
  fixed.writeUInt32BE(0, 4); // associated stream
  fixed[8] = 0; // priority
  fixed[9] = 0; // slot
  return controlFrame(ControlType.SynStream, fin ? FlagFin : 0, Buffer.concat([fixed, writer.encode(headerBlock(headers))]));
}

/** The answer to a PING: the same frame back. */
export function pingFrame(id: Buffer): Buffer {
  return controlFrame(ControlType.Ping, 0, id);
}

export function goAwayFrame(lastStreamId: number): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt32BE(lastStreamId & 0x7fffffff, 0);
  return controlFrame(ControlType.GoAway, 0, body);
}

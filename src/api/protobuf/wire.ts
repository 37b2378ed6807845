// A protobuf wire reader, just what decoding request bodies needs: tags,
// varints, fixed-width numbers, length-delimited slices and skipping.
//
// Our own rather than protobufjs's Reader: protobufjs is not a dependency of
// this package (it only arrives with the gRPC loader), and we want int64 as
// bigint (not Long), zero-copy sub-readers over one Buffer, and every
// failure as a coded ProtobufError naming the byte offset.
import { ProtobufError } from './errors.js';

export const WireType = {
  varint: 0,
  fixed64: 1,
  bytes: 2,
  startGroup: 3,
  endGroup: 4,
  fixed32: 5,
} as const;

export type WireTypeNumber = (typeof WireType)[keyof typeof WireType];

export interface Tag {
  field: number;
  wireType: number;
}

/** Reads the fields in `buf[start, end)`; positions stay those of `buf`, so errors name the byte of the whole body. */
export class WireReader {
  private pos: number;

  constructor(
    private readonly buf: Buffer,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** The current position, for error messages. */
  get at(): number {
    return this.pos;
  }

  private byte(): number {
    if (this.pos >= this.end) throw new ProtobufError('truncated', `unexpected end of data at byte ${this.at}`);
    return this.buf[this.pos++] as number;
  }

  /** An unsigned varint of at most 53 bits (tags, lengths). */
  uint(): number {
    const start = this.at;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (value > Number.MAX_SAFE_INTEGER) break;
        return value;
      }
      scale *= 128;
    }
    throw new ProtobufError('bad-varint', `varint at byte ${start} is too large for a length or tag`);
  }

  /** A varint as the unsigned 64-bit value it encodes. */
  varint(): bigint {
    const start = this.at;
    let value = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      value |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, value);
      shift += 7n;
    }
    throw new ProtobufError('bad-varint', `varint at byte ${start} is longer than 10 bytes`);
  }

  tag(): Tag {
    const start = this.at;
    const key = this.uint();
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field === 0) throw new ProtobufError('bad-field', `field number 0 at byte ${start}`);
    return { field, wireType };
  }

  fixed64(): Buffer {
    return this.take(8);
  }

  fixed32(): Buffer {
    return this.take(4);
  }

  private take(n: number): Buffer {
    if (this.end - this.pos < n) throw new ProtobufError('truncated', `unexpected end of data at byte ${this.at}: ${n} bytes needed`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A length-delimited field's bytes (shared with the body, not copied). */
  bytes(): Buffer {
    const start = this.at;
    const length = this.uint();
    if (length > this.end - this.pos) throw new ProtobufError('truncated', `length ${length} at byte ${start} runs past the end of its message`);
    return this.take(length);
  }

  /** A reader over a length-delimited field (an embedded message). */
  message(): WireReader {
    const start = this.at;
    const length = this.uint();
    if (length > this.end - this.pos) throw new ProtobufError('truncated', `length ${length} at byte ${start} runs past the end of its message`);
    const child = new WireReader(this.buf, this.pos, this.pos + length);
    this.pos += length;
    return child;
  }

  /** Skips a field of an unknown number. Groups (deprecated, never sent by Kubernetes) are malformed. */
  skip(wireType: number): void {
    switch (wireType) {
      case WireType.varint:
        this.varint();
        return;
      case WireType.fixed64:
        this.take(8);
        return;
      case WireType.bytes:
        this.bytes();
        return;
      case WireType.fixed32:
        this.take(4);
        return;
      default:
        throw new ProtobufError('bad-field', `unsupported wire type ${wireType} before byte ${this.at}`);
    }
  }
}

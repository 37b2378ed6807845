// A minimal protocol-buffers writer (proto3 wire format): varints,
// length-delimited fields and doubles. Zero values are written by the
// caller's choice; proto3 readers treat an absent field as its zero value.

export class ProtoWriter {
  private readonly chunks: Buffer[] = [];

  private varint(value: number): void {
    let v = BigInt.asUintN(64, BigInt(Math.trunc(value)));
    const out: number[] = [];
    do {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      out.push(v > 0n ? b | 0x80 : b);
    } while (v > 0n);
    this.chunks.push(Buffer.from(out));
  }

  private tag(field: number, wireType: 0 | 1 | 2): void {
    this.varint(field * 8 + wireType);
  }

  /** A varint field (int64, bool). */
  int(field: number, value: number): this {
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  bool(field: number, value: boolean): this {
    return value ? this.int(field, 1) : this;
  }

  double(field: number, value: number): this {
    this.tag(field, 1);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    this.chunks.push(b);
    return this;
  }

  bytes(field: number, value: Buffer): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.chunks.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, Buffer.from(value, 'utf8'));
  }

  /** An embedded message, written by `build`. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

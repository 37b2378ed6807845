// Rewrites the HTTP/2 `:authority` of every request a client sends.
//
// Why: Go etcd clients send invalid authorities: etcdctl 3.4 and clientv3
// send the socket path ("/var/lib/tsk8s/server/db/etcd.sock") for a
// `unix:///…` endpoint, and the whole URL ("http://127.0.0.1:2379") for the
// endpoints of `etcdctl --endpoints http://… endpoint status`. RFC 3986 has
// no "/" in an authority, and Node's HTTP/2 layer (nghttp2) resets every
// such stream with PROTOCOL_ERROR before gRPC sees it (a Go server accepts
// them). This server does not look at the authority, so every request
// header block from the client is re-encoded with `:authority: localhost`;
// all other frames, and everything the server sends, pass through
// untouched.
//
// How (RFC 7540 §4, §6.2, §6.10; RFC 7541): header blocks (HEADERS plus
// CONTINUATION frames) are decoded only as far as their structure. Every
// field is re-emitted either as a static-table index or as a literal
// *without indexing*, copying the client's string bytes as they are (Huffman
// or not). So the server's HPACK dynamic table stays empty and nothing has to
// be Huffman-decoded. The client's dynamic table is mirrored, so that its
// references can be resolved into literals; entries are never evicted in the
// mirror because a client only references live entries, and HPACK indexes
// count from the newest entry. Limitation: a literal `:authority` name sent
// Huffman-coded instead of by static index is not recognised (no known
// client does that; they all use static index 1).

export const preface = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const frameHeaderBytes = 9;
const typeHeaders = 0x1;
const typeContinuation = 0x9;
const flagEndStream = 0x1;
const flagEndHeaders = 0x4;
const flagPadded = 0x8;
const flagPriority = 0x20;
/** The server's SETTINGS_MAX_FRAME_SIZE is Node's default; re-encoded blocks are cut to it. */
const maxFramePayload = 16384;
/** A header block larger than this is refused (the connection is dropped). */
const maxHeaderBlock = 256 * 1024;
/** Mirrored client table entries kept; a 4 KiB table holds at most 128 (32 bytes overhead each). */
const maxMirroredEntries = 512;
const staticTableSize = 61;
const authorityStaticIndex = 1;
const authorityValue = Buffer.from('localhost', 'latin1');

/** A string literal exactly as the client encoded it (the Huffman flag and the bytes). */
interface EncodedString {
  huffman: boolean;
  bytes: Buffer;
}

type Name = { index: number } | { literal: EncodedString };

interface Entry {
  name: Name;
  value: EncodedString;
  authority: boolean;
}

export class AuthorityRewriter {
  private input: Buffer = Buffer.alloc(0);
  private prefaceSeen = false;
  /** Payload bytes of a non-header frame still to pass through as they arrive. */
  private passLeft = 0;
  private block: { streamId: number; flags: number; fragments: Buffer[]; size: number } | undefined;
  private readonly table: Entry[] = [];

  /** Consumes bytes from the client; returns the bytes to hand to the HTTP/2 server. Throws on a malformed stream. */
  push(chunk: Buffer): Buffer[] {
    const out: Buffer[] = [];
    this.input = this.input.length === 0 ? chunk : Buffer.concat([this.input, chunk]);
    for (;;) {
      if (this.passLeft > 0) {
        if (this.input.length === 0) break;
        const n = Math.min(this.passLeft, this.input.length);
        out.push(this.input.subarray(0, n));
        this.input = this.input.subarray(n);
        this.passLeft -= n;
        continue;
      }
      if (!this.prefaceSeen) {
        if (this.input.length < preface.length) break;
        if (!this.input.subarray(0, preface.length).equals(preface)) throw new Error('not an HTTP/2 client');
        out.push(this.input.subarray(0, preface.length));
        this.input = this.input.subarray(preface.length);
        this.prefaceSeen = true;
        continue;
      }
      if (this.input.length < frameHeaderBytes) break;
      const length = this.input.readUIntBE(0, 3);
      const type = this.input[3]!;
      if (type !== typeHeaders && type !== typeContinuation) {
        if (this.block) throw new Error('frame interleaved in a header block');
        out.push(this.input.subarray(0, frameHeaderBytes));
        this.input = this.input.subarray(frameHeaderBytes);
        this.passLeft = length;
        continue;
      }
      if (this.input.length < frameHeaderBytes + length) break;
      const flags = this.input[4]!;
      const streamId = this.input.readUInt32BE(5) & 0x7fffffff;
      const payload = this.input.subarray(frameHeaderBytes, frameHeaderBytes + length);
      this.input = this.input.subarray(frameHeaderBytes + length);
      const done = this.headerFrame(type, flags, streamId, payload);
      if (done) out.push(...done);
    }
    // Keep no reference into a large chunk already passed on.
    if (this.input.length > 0) this.input = Buffer.from(this.input);
    return out;
  }

  /** Collects one HEADERS/CONTINUATION frame; returns the rewritten frames once the block is complete. */
  private headerFrame(type: number, flags: number, streamId: number, payload: Buffer): Buffer[] | undefined {
    let fragment = payload;
    if (type === typeHeaders) {
      if (this.block) throw new Error('HEADERS inside a header block');
      let start = 0;
      let end = payload.length;
      if (flags & flagPadded) {
        end -= payload[0] ?? 0;
        start = 1;
      }
      if (flags & flagPriority) start += 5;
      if (start > end) throw new Error('bad HEADERS padding');
      fragment = payload.subarray(start, end);
      this.block = { streamId, flags, fragments: [], size: 0 };
    } else if (!this.block || this.block.streamId !== streamId) {
      throw new Error('CONTINUATION without HEADERS');
    }
    const block = this.block;
    block.fragments.push(Buffer.from(fragment));
    block.size += fragment.length;
    if (block.size > maxHeaderBlock) throw new Error('header block too large');
    if (!(flags & flagEndHeaders)) return undefined;
    this.block = undefined;
    return frames(block.streamId, block.flags & flagEndStream, this.rewrite(Buffer.concat(block.fragments)));
  }

  /** Decodes a header block's structure and re-encodes it without dynamic-table use. */
  private rewrite(block: Buffer): Buffer {
    const r = new Reader(block);
    const out: Buffer[] = [];
    while (!r.done()) {
      const first = r.peek();
      if (first & 0x80) {
        const index = r.int(7);
        if (index === authorityStaticIndex) out.push(authorityField());
        else if (index <= staticTableSize) out.push(encodeInt(index, 7, 0x80));
        else out.push(this.fieldOf(this.entry(index)));
      } else if ((first & 0xe0) === 0x20) {
        r.int(5); // dynamic table size update: the server's table stays empty, so it has no use
      } else {
        const indexed = (first & 0xc0) === 0x40;
        const neverIndexed = (first & 0xf0) === 0x10;
        const nameIndex = r.int(indexed ? 6 : 4);
        const name: Name = nameIndex === 0 ? { literal: r.string() } : this.nameAt(nameIndex);
        const value = r.string();
        const authority = isAuthorityName(name, nameIndex === 0 ? undefined : this.authorityAt(nameIndex));
        if (indexed) {
          this.table.unshift({ name, value, authority });
          if (this.table.length > maxMirroredEntries) this.table.pop();
        }
        out.push(authority ? authorityField() : literalField(name, value, neverIndexed));
      }
    }
    return Buffer.concat(out);
  }

  private entry(index: number): Entry {
    const e = this.table[index - staticTableSize - 1];
    if (!e) throw new Error(`header index ${index} out of range`);
    return e;
  }

  private nameAt(index: number): Name {
    return index <= staticTableSize ? { index } : this.entry(index).name;
  }

  private authorityAt(index: number): boolean {
    return index <= staticTableSize ? index === authorityStaticIndex : this.entry(index).authority;
  }

  private fieldOf(e: Entry): Buffer {
    return e.authority ? authorityField() : literalField(e.name, e.value, false);
  }
}

function isAuthorityName(name: Name, byIndex: boolean | undefined): boolean {
  if (byIndex !== undefined) return byIndex;
  return 'literal' in name && !name.literal.huffman && name.literal.bytes.toString('latin1') === ':authority';
}

/** `:authority: localhost` as a literal without indexing, name from the static table. */
function authorityField(): Buffer {
  return Buffer.concat([encodeInt(authorityStaticIndex, 4, 0x00), encodeString({ huffman: false, bytes: authorityValue })]);
}

function literalField(name: Name, value: EncodedString, neverIndexed: boolean): Buffer {
  const flags = neverIndexed ? 0x10 : 0x00;
  const head = 'index' in name ? encodeInt(name.index, 4, flags) : Buffer.concat([Buffer.from([flags]), encodeString(name.literal)]);
  return Buffer.concat([head, encodeString(value)]);
}

/** A header block as HEADERS (+ CONTINUATION) frames no larger than the server accepts. */
function frames(streamId: number, endStream: number, block: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let offset = 0;
  do {
    const part = block.subarray(offset, offset + maxFramePayload);
    offset += part.length;
    const last = offset >= block.length;
    const header = Buffer.alloc(frameHeaderBytes);
    header.writeUIntBE(part.length, 0, 3);
    header[3] = out.length === 0 ? typeHeaders : typeContinuation;
    header[4] = (out.length === 0 ? endStream : 0) | (last ? flagEndHeaders : 0);
    header.writeUInt32BE(streamId, 5);
    out.push(header, part);
  } while (offset < block.length);
  return out;
}

// RFC 7541 §5.1 (prefix integers) and §5.2 (string literals).
function encodeInt(value: number, prefixBits: number, flags: number): Buffer {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Buffer.from([flags | value]);
  const bytes = [flags | max];
  let rest = value - max;
  while (rest >= 128) {
    bytes.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function encodeString(s: EncodedString): Buffer {
  return Buffer.concat([encodeInt(s.bytes.length, 7, s.huffman ? 0x80 : 0x00), s.bytes]);
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}

  done(): boolean {
    return this.pos >= this.buf.length;
  }

  peek(): number {
    return this.buf[this.pos] ?? 0;
  }

  int(prefixBits: number): number {
    const max = (1 << prefixBits) - 1;
    let value = this.byte() & max;
    if (value < max) return value;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) return value;
      if (shift > 28) throw new Error('HPACK integer too large');
    }
  }

  string(): EncodedString {
    const huffman = (this.peek() & 0x80) !== 0;
    const length = this.int(7);
    if (this.pos + length > this.buf.length) throw new Error('HPACK string overruns the block');
    const bytes = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return { huffman, bytes };
  }

  private byte(): number {
    const b = this.buf[this.pos];
    if (b === undefined) throw new Error('HPACK block ends early');
    this.pos++;
    return b;
  }
}

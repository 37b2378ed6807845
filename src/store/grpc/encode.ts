// Protobuf encoding of the responses that carry key-values in bulk: watch
// responses and range responses. Everything else goes through proto-loader.
//
// The bytes are those protobufjs would write for the same wire object (every
// field that is present, in field-number order), so clients see no
// difference; the gain is in what is not redone. A watch event reaches every
// watcher of its key through one shared store KeyValue (codec.ts hands out
// one WireKeyValue per KeyValue), so its encoding is kept with it and a put
// seen by 100 watchers is encoded once, not 100 times. The header's fixed
// fields are encoded once per process. Range results are fresh objects each
// time and are encoded without keeping anything.
import { identity } from './header.js';
import type { Int64Out, WireEvent, WireHeader, WireKeyValue, WireRangeResponse, WireWatchResponse } from './wire.js';

const lengthDelimited = 2;
const varintType = 0;

function tag(field: number, type: number): number {
  return (field << 3) | type;
}

/** A growable output buffer. */
class Out {
  private buf: Buffer;
  private pos = 0;

  constructor(sizeHint = 256) {
    this.buf = Buffer.allocUnsafe(sizeHint);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** A non-negative integer below 2^53. */
  uvarint(n: number): void {
    this.room(10);
    while (n > 0x7f) {
      this.buf[this.pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.buf[this.pos++] = n;
  }

  /** Any int64/uint64 (negative values as their 64-bit two's complement, as protobuf does). */
  varint64(value: Int64Out): void {
    if (typeof value === 'number' && value >= 0 && Number.isSafeInteger(value)) {
      this.uvarint(value);
      return;
    }
    let n = BigInt.asUintN(64, BigInt(value));
    this.room(10);
    while (n > 0x7fn) {
      this.buf[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.pos++] = Number(n);
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** A length-delimited field. */
  field(field: number, b: Uint8Array): void {
    this.uvarint(tag(field, lengthDelimited));
    this.uvarint(b.length);
    this.bytes(b);
  }

  int64Field(field: number, value: Int64Out | undefined): void {
    if (value === undefined) return;
    this.uvarint(tag(field, varintType));
    this.varint64(value);
  }

  boolField(field: number, value: boolean | undefined): void {
    if (value === undefined) return;
    this.uvarint(tag(field, varintType));
    this.uvarint(value ? 1 : 0);
  }

  done(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

/** Room for a KeyValue's tags, lengths and four int64s besides its key and value. */
const keyValueOverhead = 64;

function encodeKeyValue(kv: WireKeyValue): Buffer {
  const out = new Out(kv.key.length + (kv.value?.length ?? 0) + keyValueOverhead);
  out.field(1, kv.key);
  out.int64Field(2, kv.create_revision);
  out.int64Field(3, kv.mod_revision);
  out.int64Field(4, kv.version);
  if (kv.value !== undefined) out.field(5, kv.value);
  out.int64Field(6, kv.lease);
  return out.done();
}

const keptKeyValues = new WeakMap<WireKeyValue, Buffer>();

/** An event's KeyValue, encoded once: it never changes once handed out, and every watcher of its key gets the same object. */
function keptKeyValue(kv: WireKeyValue): Buffer {
  let bytes = keptKeyValues.get(kv);
  if (!bytes) {
    bytes = encodeKeyValue(kv);
    keptKeyValues.set(kv, bytes);
  }
  return bytes;
}

function encodeEvent(e: WireEvent): Buffer {
  const out = new Out();
  if (e.type !== undefined) {
    out.uvarint(tag(1, varintType));
    out.uvarint(e.type === 'DELETE' ? 1 : 0);
  }
  out.field(2, keptKeyValue(e.kv));
  if (e.prev_kv) out.field(3, keptKeyValue(e.prev_kv));
  return out.done();
}

const fixedHeader = ((): { head: Buffer; tail: Buffer } => {
  const head = new Out();
  head.int64Field(1, identity.clusterId);
  head.int64Field(2, identity.memberId);
  const tail = new Out();
  tail.int64Field(4, identity.raftTerm);
  return { head: Buffer.from(head.done()), tail: Buffer.from(tail.done()) };
})();

function encodeHeader(h: WireHeader): Buffer {
  const out = new Out();
  if (h.cluster_id === identity.clusterId && h.member_id === identity.memberId) out.bytes(fixedHeader.head);
  else {
    out.int64Field(1, h.cluster_id);
    out.int64Field(2, h.member_id);
  }
  out.int64Field(3, h.revision);
  if (h.raft_term === identity.raftTerm) out.bytes(fixedHeader.tail);
  else out.int64Field(4, h.raft_term);
  return out.done();
}

/** etcdserverpb.WatchResponse. */
export function encodeWatchResponse(res: WireWatchResponse): Buffer {
  const out = new Out();
  out.field(1, encodeHeader(res.header));
  out.int64Field(2, res.watch_id);
  out.boolField(3, res.created);
  out.boolField(4, res.canceled);
  out.int64Field(5, res.compact_revision);
  if (res.cancel_reason !== undefined) out.field(6, Buffer.from(res.cancel_reason, 'utf8'));
  for (const e of res.events ?? []) out.field(11, encodeEvent(e));
  return out.done();
}

/** etcdserverpb.RangeResponse. */
export function encodeRangeResponse(res: WireRangeResponse): Buffer {
  const out = new Out();
  out.field(1, encodeHeader(res.header));
  for (const kv of res.kvs) out.field(2, encodeKeyValue(kv));
  out.boolField(3, res.more);
  out.int64Field(4, res.count);
  return out.done();
}

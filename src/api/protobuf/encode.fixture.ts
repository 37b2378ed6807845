// A tiny protobuf writer for tests: builds bodies byte by byte, so decoder
// tests say exactly what is on the wire. Not used by the server.
import { protobufMagic } from './envelope.js';

export function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? b | 0x80 : b);
  } while (v > 0n);
  return Buffer.from(out);
}

export const tag = (field: number, wireType: number): Buffer => varint(field * 8 + wireType);

/** A varint field. */
export const num = (field: number, value: number | bigint): Buffer => Buffer.concat([tag(field, 0), varint(value)]);

/** A length-delimited field from parts (bytes, strings or nested fields). */
export function ld(field: number, ...parts: (Buffer | string)[]): Buffer {
  const body = Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
  return Buffer.concat([tag(field, 2), varint(body.length), body]);
}

/** A map<string, …> entry field. */
export const entry = (field: number, key: string, value?: Buffer): Buffer => ld(field, ld(1, key), ...(value ? [value] : []));

/** A whole body: magic, then runtime.Unknown{typeMeta, raw, contentEncoding, contentType}. */
export function body(apiVersion: string, kind: string, raw: Buffer, extra: Buffer[] = []): Buffer {
  return Buffer.concat([protobufMagic, ld(1, ld(1, apiVersion), ld(2, kind)), ld(2, raw), ...extra, ld(3), ld(4)]);
}

/** Bytes from a hex dump ("6b 38 73 00 ..."). */
export const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

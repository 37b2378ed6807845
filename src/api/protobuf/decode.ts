// Decodes a protobuf message into the object upstream's JSON encoding of the
// same Go value would give, so everything after body decoding sees JSON.
//
// gogo-protobuf writes every non-pointer field, zero or not; Go's JSON
// leaves zero values of omitempty fields out. So:
//  - a zero scalar is dropped unless the field is a pointer (`*int32`: an
//    explicit `replicas: 0` stays) or its JSON tag lacks omitempty (`!`);
//  - an embedded message is kept even when empty (`spec: {}`), as JSON
//    writes structs; a zero Time is null, a zero IntOrString 0;
//  - lists and maps appear only with entries (nil and empty are one on the wire);
//  - bytes are base64, map<string,string> an object, int64 a number.
// Fields come out in the table's (upstream struct) order. Unknown field
// numbers are skipped; a field with the wrong wire type is an error.
import { ProtobufError } from './errors.js';
import { messageSpec } from './messages.js';
import type { FieldSpec, MessageSpec, ScalarType, ValueType } from './schema.js';
import { WireReader, WireType } from './wire.js';
import { wellKnownJson } from './wellknown.js';

function wireTypeOf(type: ValueType): number {
  if (type.kind !== 'scalar') return WireType.bytes;
  switch (type.scalar) {
    case 'string':
    case 'bytes':
      return WireType.bytes;
    case 'double':
      return WireType.fixed64;
    default:
      return WireType.varint;
  }
}

function int64(value: bigint, where: string): number {
  const n = BigInt.asIntN(64, value);
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ProtobufError('int64-range', `${where}: ${n} does not fit in a JSON number`);
  }
  return Number(n);
}

function readScalar(r: WireReader, scalar: ScalarType, where: string): string | number | boolean {
  switch (scalar) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes':
      return r.bytes().toString('base64');
    case 'bool':
      return r.varint() !== 0n;
    case 'int32':
      return Number(BigInt.asIntN(32, r.varint()));
    case 'int64':
      return int64(r.varint(), where);
    case 'double':
      return r.fixed64().readDoubleLE(0);
  }
}

function zeroScalar(scalar: ScalarType): string | number | boolean {
  if (scalar === 'bool') return false;
  return scalar === 'string' || scalar === 'bytes' ? '' : 0;
}

const isZero = (v: unknown): boolean => v === '' || v === 0 || v === false;

function where(spec: MessageSpec, f: FieldSpec): string {
  return `${spec.id}.${f.json || '(inline)'} (field ${f.number})`;
}

/** One value of `type` whose wire type has been checked. */
function readValue(r: WireReader, type: ValueType, at: string): unknown {
  switch (type.kind) {
    case 'scalar':
      return readScalar(r, type.scalar, at);
    case 'message':
      return decodeMessage(r.message(), messageSpec(type.id));
    case 'wellKnown': {
      const sub = r.message();
      const empty = sub.done;
      return wellKnownJson(type.name, decodeMessage(sub, messageSpec(`wellKnown.${type.name}`)), empty);
    }
  }
}

function zeroValue(type: ValueType): unknown {
  switch (type.kind) {
    case 'scalar':
      return zeroScalar(type.scalar);
    case 'message':
      return {};
    case 'wellKnown':
      return wellKnownJson(type.name, {}, true);
  }
}

function checkWireType(spec: MessageSpec, f: FieldSpec, got: number, expected: number): void {
  if (got !== expected) throw new ProtobufError('wire-type', `${where(spec, f)} has wire type ${got}, expected ${expected}`);
}

/** A map entry: key 1 (string), value 2. A missing part is its zero value. */
function readEntry(r: WireReader, spec: MessageSpec, f: FieldSpec): [string, unknown] {
  let key = '';
  let value: unknown;
  let seen = false;
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field === 1) {
      checkWireType(spec, f, wireType, WireType.bytes);
      key = r.bytes().toString('utf8');
    } else if (field === 2) {
      checkWireType(spec, f, wireType, wireTypeOf(f.type));
      value = readValue(r, f.type, where(spec, f));
      seen = true;
    } else {
      r.skip(wireType);
    }
  }
  return [key, seen ? value : zeroValue(f.type)];
}

/** Sets an own, enumerable property even for keys such as `__proto__`. */
function define(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Decodes the fields `r` holds as message `spec`. */
export function decodeMessage(r: WireReader, spec: MessageSpec): Record<string, unknown> {
  const values = new Map<FieldSpec, unknown>();
  while (!r.done) {
    const { field, wireType } = r.tag();
    const f = spec.byNumber.get(field);
    if (!f) {
      r.skip(wireType);
      continue;
    }
    const expected = wireTypeOf(f.type);
    if (f.map) {
      checkWireType(spec, f, wireType, WireType.bytes);
      const entries = (values.get(f) as Record<string, unknown> | undefined) ?? {};
      const [key, value] = readEntry(r.message(), spec, f);
      define(entries, key, value);
      values.set(f, entries);
    } else if (f.repeated) {
      const list = (values.get(f) as unknown[] | undefined) ?? [];
      if (wireType === WireType.bytes && expected !== WireType.bytes) {
        // A packed list of numbers or bools.
        const packed = r.message();
        while (!packed.done) list.push(readValue(packed, f.type, where(spec, f)));
      } else {
        checkWireType(spec, f, wireType, expected);
        list.push(readValue(r, f.type, where(spec, f)));
      }
      values.set(f, list);
    } else {
      checkWireType(spec, f, wireType, expected);
      const value = readValue(r, f.type, where(spec, f));
      const previous = values.get(f);
      if (f.type.kind === 'scalar' && !f.pointer && !f.always && isZero(value)) values.delete(f);
      else if (f.type.kind === 'message' && previous !== undefined) Object.assign(previous as object, value); // a repeated message field merges
      else values.set(f, value);
    }
  }
  const out: Record<string, unknown> = {};
  for (const f of spec.fields) {
    if (!values.has(f)) continue;
    const value = values.get(f);
    if (f.json === '') Object.assign(out, value);
    else out[f.json] = value;
  }
  return out;
}

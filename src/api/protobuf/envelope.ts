// The Kubernetes protobuf body: the 4-byte magic "k8s\0", then a
// runtime.Unknown whose typeMeta names the object's apiVersion and kind and
// whose raw field holds the object's own message (tables/meta.ts `runtime`).
import { ProtobufError } from './errors.js';
import { decodeMessage } from './decode.js';
import { protobufMessageFor } from './kinds.js';
import { messageSpec } from './messages.js';
import type { FieldSpec } from './schema.js';
import { WireReader, WireType } from './wire.js';

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';

/** "k8s" and a zero byte. */
export const protobufMagic: Readonly<Buffer> = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

export interface Envelope {
  apiVersion: string;
  kind: string;
  /** A reader over the object's message (positions are those of the whole body). */
  raw: WireReader;
}

function numberOf(fields: readonly FieldSpec[], json: string): number {
  const f = fields.find((x) => x.json === json);
  if (!f) throw new Error(`runtime.Unknown has no field ${json}`);
  return f.number;
}

const unknownSpec = messageSpec('runtime.Unknown');
const typeMetaSpec = messageSpec('runtime.TypeMeta');
const field = {
  typeMeta: numberOf(unknownSpec.fields, 'typeMeta'),
  raw: numberOf(unknownSpec.fields, 'raw'),
  contentEncoding: numberOf(unknownSpec.fields, 'contentEncoding'),
  contentType: numberOf(unknownSpec.fields, 'contentType'),
};

/** Checks the magic and reads the runtime.Unknown envelope. */
export function readEnvelope(body: Buffer): Envelope {
  if (body.length < protobufMagic.length || !body.subarray(0, protobufMagic.length).equals(protobufMagic)) {
    throw new ProtobufError('bad-magic', 'the body does not start with the protobuf prefix "k8s\\x00"');
  }
  const r = new WireReader(body, protobufMagic.length);
  let typeMeta: Record<string, unknown> = {};
  let raw = new WireReader(body, body.length);
  let contentEncoding = '';
  let contentType = '';
  while (!r.done) {
    const { field: number, wireType } = r.tag();
    const known = number === field.typeMeta || number === field.raw || number === field.contentEncoding || number === field.contentType;
    if (!known) {
      r.skip(wireType);
      continue;
    }
    if (wireType !== WireType.bytes) throw new ProtobufError('wire-type', `runtime.Unknown field ${number} has wire type ${wireType}, expected ${WireType.bytes}`);
    if (number === field.typeMeta) typeMeta = decodeMessage(r.message(), typeMetaSpec);
    else if (number === field.raw) raw = r.message();
    else if (number === field.contentEncoding) contentEncoding = r.bytes().toString('utf8');
    else contentType = r.bytes().toString('utf8');
  }
  if (contentEncoding !== '') throw new ProtobufError('content-encoding', `content encoding "${contentEncoding}" is not supported`);
  if (contentType !== '' && contentType !== protobufMediaType) throw new ProtobufError('content-encoding', `content type "${contentType}" in the envelope is not supported`);
  const apiVersion = typeof typeMeta.apiVersion === 'string' ? typeMeta.apiVersion : '';
  const kind = typeof typeMeta.kind === 'string' ? typeMeta.kind : '';
  if (kind === '') throw new ProtobufError('no-kind', "Object 'Kind' is missing in the protobuf envelope");
  if (apiVersion === '') throw new ProtobufError('no-kind', "Object 'apiVersion' is missing in the protobuf envelope");
  return { apiVersion, kind, raw };
}

/**
 * Decodes a whole protobuf body into the JSON object of its kind, `kind`
 * and `apiVersion` first as upstream's JSON writes them. A kind without a
 * table is a ProtobufError `no-table`; a malformed body any other code.
 */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  const envelope = readEnvelope(body);
  const spec = protobufMessageFor(envelope.apiVersion, envelope.kind);
  if (!spec) throw new ProtobufError('no-table', `no protobuf table for ${envelope.apiVersion}, Kind=${envelope.kind}`);
  return { kind: envelope.kind, apiVersion: envelope.apiVersion, ...decodeMessage(envelope.raw, spec) };
}

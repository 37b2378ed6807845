// Kubernetes protobuf request bodies, decoded into the JSON objects of their
// kinds from our own tables of upstream's field numbers (see schema.ts for
// the notation, tables/ for the facts and where they come from).
export { decodeMessage } from './decode.js';
export { decodeProtobufObject, protobufMagic, protobufMediaType, readEnvelope, type Envelope } from './envelope.js';
export { ProtobufError, protobufErrorCodes, type ProtobufErrorCode } from './errors.js';
export { protobufKinds, protobufMessageFor } from './kinds.js';
export { messageSpec } from './messages.js';
export type { FieldSpec, MessageSpec } from './schema.js';
export { WireReader, WireType } from './wire.js';

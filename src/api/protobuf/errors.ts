// Why a protobuf request body could not be read. One code per failure, so the
// apiserver can map them to Status responses: `no-table` is a kind we cannot
// decode (415), every other code is a malformed body (400).

export const protobufErrorCodes = {
  'bad-magic': 'the body does not start with the Kubernetes protobuf prefix "k8s\\x00"',
  truncated: 'the body ends in the middle of a field',
  'bad-varint': 'a varint is longer than 10 bytes or does not fit its field',
  'wire-type': 'a field is encoded with a wire type its declaration does not allow',
  'bad-field': 'a field number of 0 or a deprecated group encoding',
  'int64-range': 'an integer does not fit in a JSON number without losing precision',
  'no-kind': 'the envelope does not name an apiVersion and kind',
  'no-table': 'the kind has no protobuf table',
  'content-encoding': 'the envelope names a content encoding or type other than plain protobuf',
  'bad-json': 'an embedded JSON document (managedFields fieldsV1) is not valid JSON',
} as const;

export type ProtobufErrorCode = keyof typeof protobufErrorCodes;

export class ProtobufError extends Error {
  override readonly name = 'ProtobufError';

  constructor(
    readonly code: ProtobufErrorCode,
    detail: string,
  ) {
    super(detail);
  }
}

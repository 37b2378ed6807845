// The notation of our protobuf tables and its compiler.
//
// A table maps a message's JSON field names, in the upstream struct's order,
// to `<field number> <type>`:
//
//   scalar      string | bool | int32 | int64 | double | bytes
//   pointer     *int32, *bool, *string, *Time ...   (Go pointer: an explicit zero is kept)
//   list        []T          map   map[string]T
//   message     Name (same package) | core/v1.Name (another package)
//   well-known  Time | MicroTime | Quantity | IntOrString | FieldsV1 | ExtraValue
//
// A trailing `!` marks a scalar whose JSON tag lacks omitempty: JSON writes
// its zero value, so the decoder keeps it too. The key `(inline)` marks an
// embedded struct (`json:",inline"`): a nested message on the wire, its fields
// flattened into the parent in JSON.

/** One message: JSON field name → `<number> <type>`. */
export type MessageTable = Readonly<Record<string, string>>;
/** The messages of one package, by upstream type name. */
export type MessageTables = Readonly<Record<string, MessageTable>>;

export const scalarTypes = ['string', 'bool', 'int32', 'int64', 'double', 'bytes'] as const;
export type ScalarType = (typeof scalarTypes)[number];

export const wellKnownTypes = ['Time', 'MicroTime', 'Quantity', 'IntOrString', 'FieldsV1', 'ExtraValue'] as const;
export type WellKnownType = (typeof wellKnownTypes)[number];

export type ValueType = { kind: 'scalar'; scalar: ScalarType } | { kind: 'wellKnown'; name: WellKnownType } | { kind: 'message'; id: string };

export interface FieldSpec {
  /** The JSON name; '' for an inline (embedded) struct. */
  json: string;
  number: number;
  type: ValueType;
  repeated: boolean;
  map: boolean;
  /** A Go pointer: present means set, even to a zero value. */
  pointer: boolean;
  /** No omitempty: a zero scalar is written. */
  always: boolean;
}

export interface MessageSpec {
  /** `<package>.<Name>`, e.g. `apps/v1.Deployment`. */
  id: string;
  /** In JSON order. */
  fields: readonly FieldSpec[];
  byNumber: ReadonlyMap<number, FieldSpec>;
}

export const inlineKey = '(inline)';

const isScalar = (t: string): t is ScalarType => (scalarTypes as readonly string[]).includes(t);
const isWellKnown = (t: string): t is WellKnownType => (wellKnownTypes as readonly string[]).includes(t);

function valueType(name: string, pkg: string): ValueType {
  if (isScalar(name)) return { kind: 'scalar', scalar: name };
  if (isWellKnown(name)) return { kind: 'wellKnown', name };
  return { kind: 'message', id: name.includes('.') ? name : `${pkg}.${name}` };
}

/** Parses one table entry; throws on notation errors (a programming error, caught by the tables' test). */
export function parseField(json: string, text: string, pkg: string): FieldSpec {
  const match = /^(\d+) (\*|\[\]|map\[string\])?([\w/.]+)(!?)$/.exec(text);
  if (!match) throw new Error(`protobuf table ${pkg}: cannot read "${json}: ${text}"`);
  const [, num = '', prefix = '', name = '', bang = ''] = match;
  const type = valueType(name, pkg);
  const field: FieldSpec = {
    json: json === inlineKey ? '' : json,
    number: Number(num),
    type,
    repeated: prefix === '[]',
    map: prefix === 'map[string]',
    pointer: prefix === '*',
    always: bang === '!',
  };
  if (field.pointer && type.kind === 'message') throw new Error(`protobuf table ${pkg}: "${json}" points to a message; write it without *`);
  if (field.always && (type.kind !== 'scalar' || prefix !== '')) throw new Error(`protobuf table ${pkg}: "${json}" marks a non-scalar with !`);
  if (field.json === '' && (type.kind !== 'message' || prefix !== '')) throw new Error(`protobuf table ${pkg}: inline field must be a message`);
  return field;
}

/**
 * Compiles packages of tables (package id → tables) into message specs by
 * id. Every message reference must resolve and no message may reuse a field
 * number.
 */
export function compileTables(packages: Readonly<Record<string, MessageTables>>): ReadonlyMap<string, MessageSpec> {
  const out = new Map<string, MessageSpec>();
  for (const [pkg, tables] of Object.entries(packages)) {
    for (const [name, table] of Object.entries(tables)) {
      const id = `${pkg}.${name}`;
      const fields = Object.entries(table).map(([json, text]) => parseField(json, text, pkg));
      const byNumber = new Map<number, FieldSpec>();
      for (const f of fields) {
        if (byNumber.has(f.number)) throw new Error(`protobuf table ${id}: field number ${f.number} used twice`);
        byNumber.set(f.number, f);
      }
      out.set(id, { id, fields, byNumber });
    }
  }
  for (const spec of out.values()) {
    for (const f of spec.fields) {
      if (f.type.kind === 'message' && !out.has(f.type.id)) throw new Error(`protobuf table ${spec.id}: "${f.json}" refers to unknown message ${f.type.id}`);
    }
  }
  return out;
}

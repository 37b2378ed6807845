// The Swagger 2.0 document in the protobuf form kubectl asks /openapi/v2 for
// (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, gnostic's
// openapi.v2.Document). Field numbers are interface facts of that message
// set. The document's info and definitions are encoded — what clients
// build their models from (`kubectl explain --output=plaintext-openapiv2`);
// paths are left out. Extension and free-form values (x-*, default, enum,
// example) travel as YAML text, written as JSON, which YAML reads.
import { ProtoWriter } from './proto-writer.js';
import type { SwaggerDocument } from './swagger.js';

/** What clients ask for; the `@` form is what kubectl sends. */
export const swaggerProtobufAccept = ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'] as const;
/** What the answer is labelled (a `@` is not valid in a media type, and Go's parser refuses it). */
export const swaggerProtobufMediaType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

type Json = SwaggerDocument['definitions'][string];
type JsonObject = { [key: string]: Json };

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** openapi.v2.Any{yaml = 2}. */
function anyValue(w: ProtoWriter, field: number, value: Json): void {
  w.message(field, (a) => a.string(2, JSON.stringify(value)));
}

const stringFields: Readonly<Record<string, number>> = { $ref: 1, format: 2, title: 3, description: 4, pattern: 13, discriminator: 26 };
const doubleFields: Readonly<Record<string, number>> = { multipleOf: 6, maximum: 7, minimum: 9 };
const intFields: Readonly<Record<string, number>> = { maxLength: 11, minLength: 12, maxItems: 14, minItems: 15, maxProperties: 17, minProperties: 18 };
const boolFields: Readonly<Record<string, number>> = { exclusiveMaximum: 8, exclusiveMinimum: 10, uniqueItems: 16, readOnly: 27 };

/** openapi.v2.Schema. */
function schema(w: ProtoWriter, s: JsonObject): void {
  for (const [key, value] of Object.entries(s)) {
    const str = stringFields[key];
    if (str !== undefined && typeof value === 'string') w.string(str, value);
    const dbl = doubleFields[key];
    if (dbl !== undefined && typeof value === 'number') w.double(dbl, value);
    const int = intFields[key];
    if (int !== undefined && typeof value === 'number') w.int(int, value);
    const bool = boolFields[key];
    if (bool !== undefined && typeof value === 'boolean') w.bool(bool, value);
  }
  if (s.default !== undefined) anyValue(w, 5, s.default);
  if (Array.isArray(s.required)) for (const name of s.required) if (typeof name === 'string') w.string(19, name);
  if (Array.isArray(s.enum)) for (const value of s.enum) anyValue(w, 20, value);
  const additional = s.additionalProperties;
  if (isObject(additional)) w.message(21, (a) => a.message(1, (x) => schema(x, additional)));
  else if (typeof additional === 'boolean') w.message(21, (a) => a.int(2, additional ? 1 : 0));
  const type = s.type;
  if (typeof type === 'string') w.message(22, (t) => t.string(1, type));
  else if (Array.isArray(type)) w.message(22, (t) => type.forEach((v) => typeof v === 'string' && t.string(1, v)));
  const items = s.items;
  if (isObject(items)) w.message(23, (i) => i.message(1, (x) => schema(x, items)));
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) if (isObject(sub)) w.message(24, (x) => schema(x, sub));
  const properties = s.properties;
  if (isObject(properties)) {
    w.message(25, (p) => {
      for (const [name, sub] of Object.entries(properties)) if (isObject(sub)) p.message(1, (n) => n.string(1, name).message(2, (x) => schema(x, sub)));
    });
  }
  if (s.example !== undefined) anyValue(w, 30, s.example);
  for (const [key, value] of Object.entries(s)) {
    if (key.startsWith('x-')) w.message(31, (n) => n.string(1, key).message(2, (a) => a.string(2, JSON.stringify(value))));
  }
}

/** openapi.v2.Document{swagger = 1, info = 2, definitions = 9}. */
export function encodeSwaggerProtobuf(doc: SwaggerDocument): Buffer {
  const w = new ProtoWriter();
  w.string(1, doc.swagger);
  w.message(2, (i) => i.string(1, doc.info.title).string(2, doc.info.version));
  w.message(9, (d) => {
    for (const [name, s] of Object.entries(doc.definitions)) if (isObject(s)) d.message(1, (n) => n.string(1, name).message(2, (x) => schema(x, s)));
  });
  return w.finish();
}

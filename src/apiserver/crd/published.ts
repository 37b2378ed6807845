// The OpenAPI definitions of a custom kind: what /openapi/v3 publishes (the
// version's schema with apiVersion, kind and metadata filled in and the
// kind's x-kubernetes-group-version-kind, so `kubectl explain` finds it),
// and the shape the unknown-field scan walks (where pruning rules become
// plain properties: an object that declares nothing keeps nothing, one
// that preserves unknown fields keeps everything).
import type { Definitions, Schema } from '../openapi/schema.js';
import { schemaRefPrefix } from '../openapi/schema.js';
import type { JSONSchemaProps } from './types.js';

const metaPkg = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const objectMetaRef = `${schemaRefPrefix}${metaPkg}.ObjectMeta`;
const listMetaRef = `${schemaRefPrefix}${metaPkg}.ListMeta`;

const apiVersionDoc =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const kindDoc =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const metadataDoc = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

export interface KindNames {
  group: string;
  version: string;
  kind: string;
  listKind: string;
}

/** Upstream's definition name of a custom kind: the group reversed, then version and kind (`com.example.stable.v1.CronTab`). */
export function definitionName(group: string, version: string, kind: string): string {
  return [...group.split('.').reverse(), version, kind].join('.');
}

function typeMeta(): Record<string, Schema> {
  return { apiVersion: { description: apiVersionDoc, type: 'string' }, kind: { description: kindDoc, type: 'string' } };
}

/** The published definitions of one served version: the kind and its list. */
export function publishedDefinitions(names: KindNames, schema: JSONSchemaProps): Record<string, Schema> {
  const name = definitionName(names.group, names.version, names.kind);
  const root = structuredClone(schema) as Schema & Record<string, unknown>;
  const properties: Record<string, Schema> = { ...typeMeta(), metadata: { description: metadataDoc, allOf: [{ $ref: objectMetaRef }] } };
  for (const [key, prop] of Object.entries(root.properties ?? {})) {
    if (key !== 'apiVersion' && key !== 'kind' && key !== 'metadata') properties[key] = prop;
  }
  const kindSchema: Schema = { ...root, type: 'object', properties, 'x-kubernetes-group-version-kind': [{ group: names.group, version: names.version, kind: names.kind }] };
  const listSchema: Schema = {
    description: `${names.listKind} is a list of ${names.kind}`,
    type: 'object',
    required: ['items'],
    properties: {
      ...typeMeta(),
      items: { description: `List of ${names.kind.toLowerCase()}s. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md`, type: 'array', items: { $ref: schemaRefPrefix + name } },
      metadata: { description: 'Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds', allOf: [{ $ref: listMetaRef }] },
    },
    'x-kubernetes-group-version-kind': [{ group: names.group, version: names.version, kind: names.listKind }],
  };
  return { [name]: kindSchema, [definitionName(names.group, names.version, names.listKind)]: listSchema };
}

/** The scan shape of one schema node (see the file comment). */
function scanShape(s: JSONSchemaProps): Schema {
  const out: Schema = {};
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s['x-kubernetes-int-or-string']) return out;
  if (s.items !== undefined) out.items = scanShape(s.items);
  const properties: Record<string, Schema> = {};
  for (const [key, prop] of Object.entries(s.properties ?? {})) properties[key] = scanShape(prop);
  if (s['x-kubernetes-embedded-resource']) {
    Object.assign(properties, { apiVersion: {}, kind: {}, metadata: { $ref: objectMetaRef } });
  }
  if (typeof s.additionalProperties === 'object') {
    out.additionalProperties = scanShape(s.additionalProperties);
    if (Object.keys(properties).length > 0) out.properties = properties;
    return out;
  }
  if (preserve || s.additionalProperties === true) {
    if (Object.keys(properties).length > 0) {
      out.properties = properties;
      out.additionalProperties = true;
    }
    return out;
  }
  if (s.type === 'object' || s.properties !== undefined || s['x-kubernetes-embedded-resource']) out.properties = properties;
  return out;
}

/** The scan shape of a whole custom object, filed under its definition name. */
export function scanDefinitions(names: KindNames, schema: JSONSchemaProps): Definitions {
  const shape = scanShape({ ...schema, type: 'object' });
  const properties = { ...(shape.properties ?? {}), apiVersion: {}, kind: {}, metadata: { $ref: objectMetaRef } };
  const gvk = [{ group: names.group, version: names.version, kind: names.kind }];
  // The root always declares its type meta and metadata, so preserving unknown fields there needs saying.
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true ? { additionalProperties: true } : {};
  return { [definitionName(names.group, names.version, names.kind)]: { ...shape, ...preserve, properties, 'x-kubernetes-group-version-kind': gvk } };
}

// The subset of OpenAPI schema objects the generated definitions use, and
// the helpers that follow references between them.

export interface GroupVersionKindExtension {
  group: string;
  kind: string;
  version: string;
}

export interface Schema {
  description?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  $ref?: string;
  allOf?: Schema[];
  'x-kubernetes-group-version-kind'?: GroupVersionKindExtension[];
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-int-or-string'?: boolean;
}

/** Definition name → schema, as the build wrote them. */
export type Definitions = Readonly<Record<string, Schema>>;

/** How the generated definitions refer to one another (OpenAPI v3 form). */
export const schemaRefPrefix = '#/components/schemas/';

/** The definition name a `$ref` names, or undefined for a reference outside the definitions. */
export function refName(ref: string): string | undefined {
  return ref.startsWith(schemaRefPrefix) ? ref.slice(schemaRefPrefix.length) : undefined;
}

/**
 * The schema that describes a value: references (bare or in a one-element
 * allOf) are followed to their definition. A dangling reference describes
 * nothing (undefined), so callers treat the value as opaque.
 */
export function resolveSchema(defs: Definitions, schema: Schema | undefined): Schema | undefined {
  let current = schema;
  for (let hops = 0; current !== undefined && hops < 16; hops++) {
    const ref = current.$ref ?? (current.allOf?.length === 1 && current.properties === undefined ? current.allOf[0]?.$ref : undefined);
    if (ref === undefined) return current;
    const name = refName(ref);
    current = name === undefined ? undefined : defs[name];
  }
  return current;
}

/** Every definition name referenced anywhere inside `schema`. */
export function referencedNames(schema: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) referencedNames(item, out);
  } else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string') {
        const name = refName(value);
        if (name !== undefined) out.add(name);
      } else {
        referencedNames(value, out);
      }
    }
  }
  return out;
}

// Turns a CRD's structural schema into a JSON schema ajv runs: the
// Kubernetes extensions become plain keywords (int-or-string → two types,
// nullable → a "null" type, draft-4 exclusive bounds → draft-7 numbers,
// embedded resources → apiVersion and kind required), descriptions and
// formats are dropped. `default` stays: ajv fills it in (useDefaults),
// which is upstream's structural defaulting of absent fields. The root's
// apiVersion, kind and metadata are left to the generic rules.
import type { JSONSchemaProps } from './types.js';

export type AjvSchema = Record<string, unknown>;

const copied = [
  'required',
  'enum',
  'default',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'multipleOf',
] as const;

function convertList(list: readonly JSONSchemaProps[] | undefined): AjvSchema[] | undefined {
  return list?.map((s) => toAjvSchema(s, false));
}

/** The ajv form of one schema node (`root`: the object's top level, whose type meta and metadata are not checked here). */
export function toAjvSchema(s: JSONSchemaProps, root = true): AjvSchema {
  const out: AjvSchema = {};
  for (const key of copied) if (s[key] !== undefined) out[key] = s[key];
  const types = s['x-kubernetes-int-or-string'] ? ['integer', 'string'] : s.type !== undefined && s.type !== '' ? [s.type] : [];
  if (s.nullable && types.length > 0) types.push('null');
  if (types.length > 0) out.type = types.length === 1 ? types[0] : types;
  if (s.nullable && Array.isArray(s.enum)) out.enum = [...s.enum, null];
  if (s.maximum !== undefined) {
    if (s.exclusiveMaximum) out.exclusiveMaximum = s.maximum;
    else out.maximum = s.maximum;
  }
  if (s.minimum !== undefined) {
    if (s.exclusiveMinimum) out.exclusiveMinimum = s.minimum;
    else out.minimum = s.minimum;
  }
  if (s.properties !== undefined) {
    const props: Record<string, AjvSchema> = {};
    for (const [name, prop] of Object.entries(s.properties)) {
      if (root && (name === 'metadata' || name === 'apiVersion' || name === 'kind')) continue;
      props[name] = toAjvSchema(prop, false);
    }
    out.properties = props;
  }
  if (s.items !== undefined) out.items = toAjvSchema(s.items, false);
  if (typeof s.additionalProperties === 'object') out.additionalProperties = toAjvSchema(s.additionalProperties, false);
  const allOf = convertList(s.allOf);
  if (allOf !== undefined) out.allOf = allOf;
  const anyOf = convertList(s.anyOf);
  if (anyOf !== undefined) out.anyOf = anyOf;
  const oneOf = convertList(s.oneOf);
  if (oneOf !== undefined) out.oneOf = oneOf;
  if (s.not !== undefined) out.not = toAjvSchema(s.not, false);
  if (s['x-kubernetes-embedded-resource']) {
    out.required = [...new Set([...((out.required as string[] | undefined) ?? []), 'apiVersion', 'kind'])];
  }
  if (root && Array.isArray(out.required)) {
    out.required = (out.required as string[]).filter((name) => name !== 'metadata' && name !== 'apiVersion' && name !== 'kind');
  }
  return out;
}

// Upstream's structural-schema rules, as far as common CRDs need them: every
// node says what type it is (unless it preserves unknown fields or is
// int-or-string), properties and additionalProperties exclude each other,
// arrays name their items, no $ref, and the root's metadata may restrict
// only name and generateName. Paths are printed as upstream prints them:
// `openAPIV3Schema.properties[spec].type`.
import { fieldForbidden, fieldInvalid, fieldRequired, type FieldError } from '../../machinery/index.js';
import type { JSONSchemaProps } from './types.js';

const types: ReadonlySet<string> = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);

function checkNode(s: JSONSchemaProps, path: string, root: boolean, inValueValidation: boolean, out: FieldError[]): void {
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  if (s.$ref !== undefined) out.push(fieldForbidden(`${path}.$ref`, '$ref is not supported'));
  if (intOrString) {
    if (s.type !== undefined && s.type !== '') out.push(fieldInvalid(`${path}.type`, s.type, 'must be empty to be structural'));
  } else if (s.type === undefined || s.type === '') {
    if (!inValueValidation && !preserve) {
      out.push(fieldRequired(`${path}.type`, root ? 'must not be empty at the root' : 'must not be empty for specified object fields'));
    }
  } else if (!types.has(s.type)) {
    out.push(fieldInvalid(`${path}.type`, s.type, `must be one of ${[...types].join(', ')}`));
  }
  if (root && s.type !== undefined && s.type !== 'object') out.push(fieldInvalid(`${path}.type`, s.type, 'must be object at the root'));
  if (s.properties !== undefined && s.additionalProperties !== undefined && s.additionalProperties !== true) {
    out.push(fieldForbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  }
  if (s.additionalProperties === false) out.push(fieldForbidden(`${path}.additionalProperties`, 'must not be false'));
  if (s.type === 'array' && s.items === undefined && !inValueValidation) out.push(fieldRequired(`${path}.items`, 'must be specified'));
  if (s.type !== undefined && s.type !== 'object' && s.properties !== undefined) {
    out.push(fieldForbidden(`${path}.properties`, `must not be specified for type ${s.type}`));
  }
  if (s['x-kubernetes-embedded-resource'] && s.type !== 'object') out.push(fieldInvalid(`${path}.type`, s.type ?? '', 'must be object if x-kubernetes-embedded-resource is true'));
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const at = `${path}.properties[${name}]`;
    if (root && name === 'metadata') checkRootMetadata(prop, at, out);
    checkNode(prop, at, false, inValueValidation, out);
  }
  if (s.items !== undefined) checkNode(s.items, `${path}.items`, false, inValueValidation, out);
  if (typeof s.additionalProperties === 'object') checkNode(s.additionalProperties, `${path}.additionalProperties`, false, inValueValidation, out);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    (s[key] ?? []).forEach((sub, i) => checkNode(sub, `${path}.${key}[${i}]`, false, true, out));
  }
  if (s.not !== undefined) checkNode(s.not, `${path}.not`, false, true, out);
}

/** The root's metadata may only be typed as an object and restrict name and generateName. */
function checkRootMetadata(s: JSONSchemaProps, path: string, out: FieldError[]): void {
  const extra = Object.keys(s).filter((k) => k !== 'type' && k !== 'properties' && k !== 'description');
  const props = Object.keys(s.properties ?? {}).filter((k) => k !== 'name' && k !== 'generateName');
  if (extra.length > 0 || props.length > 0 || (s.type !== undefined && s.type !== 'object')) {
    out.push(fieldForbidden(path, 'must not specify anything other than name and generateName, but metadata is implicitly specified'));
  }
}

/** The structural-schema violations of a version's openAPIV3Schema found at `path`. */
export function checkStructural(schema: JSONSchemaProps, path: string): FieldError[] {
  const out: FieldError[] = [];
  checkNode(schema, path, true, false, out);
  return out;
}

// Facts the generated definitions miss: the kubernetes-types declarations
// leave out the x-kubernetes-* fields of JSONSchemaProps, which CRD schemas
// use (and fieldValidation=Strict would otherwise reject as unknown); and
// the metrics.k8s.io kinds, which are not among those declarations.
import { metricsDefinitions } from '../metrics/schemas.js';
import { schemaRefPrefix, type Schema } from './schema.js';

const pkg = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';

const jsonSchemaPropsExtensions: Record<string, Schema> = {
  'x-kubernetes-embedded-resource': {
    description: 'x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta. The type must be object. It is allowed to further restrict the embedded object. kind, apiVersion and metadata are validated automatically. x-kubernetes-preserve-unknown-fields is allowed to be true, but does not have to be if the object is fully specified (up to kind, apiVersion, metadata).',
    type: 'boolean',
  },
  'x-kubernetes-int-or-string': {
    description: 'x-kubernetes-int-or-string specifies that this value is either an integer or a string. If this is true, an empty type is allowed and type as child of anyOf is permitted if following one of the following patterns: 1) anyOf: - type: integer - type: string 2) allOf: - anyOf: - type: integer - type: string - ... zero or more',
    type: 'boolean',
  },
  'x-kubernetes-list-map-keys': {
    description: 'x-kubernetes-list-map-keys annotates an array with the x-kubernetes-list-type `map` by specifying the keys used as the index of the map.',
    type: 'array',
    items: { type: 'string' },
    'x-kubernetes-list-type': 'atomic',
  },
  'x-kubernetes-list-type': {
    description: 'x-kubernetes-list-type annotates an array to further describe its topology: atomic, set or map.',
    type: 'string',
  },
  'x-kubernetes-map-type': {
    description: 'x-kubernetes-map-type annotates an object to further describe its topology: granular or atomic.',
    type: 'string',
  },
  'x-kubernetes-preserve-unknown-fields': {
    description: 'x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema. This affects fields recursively, but switches back to normal pruning behaviour if nested properties or additionalProperties are specified in the schema.',
    type: 'boolean',
  },
  'x-kubernetes-validations': {
    description: 'x-kubernetes-validations describes a list of validation rules written in the CEL expression language.',
    type: 'array',
    items: { $ref: `${schemaRefPrefix}${pkg}.ValidationRule` },
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['rule'],
    'x-kubernetes-patch-strategy': 'merge',
    'x-kubernetes-patch-merge-key': 'rule',
  },
};

/** The definitions with the missing facts added (a copy where anything changed). */
export function supplementDefinitions(defs: Readonly<Record<string, Schema>>): Record<string, Schema> {
  const name = `${pkg}.JSONSchemaProps`;
  const props = defs[name];
  if (props === undefined) return { ...defs, ...metricsDefinitions };
  return { ...defs, ...metricsDefinitions, [name]: { ...props, properties: { ...props.properties, ...jsonSchemaPropsExtensions } } };
}

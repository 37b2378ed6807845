// What field management knows of one resource: the type of its objects,
// its API version, and the fields a write through the main resource or a
// subresource does not own (upstream's reset fields: status for the main
// resource of a kind with a status subresource; everything but status for
// the status subresource). Fields that only the server sets are never owned.
import type { ResourceDefinition } from '../../api/registry/types.js';
import { apiVersionOf } from '../../api/object.js';
import { FieldSet } from './fieldset.js';
import { isObject, type JsonObject } from './json.js';
import { fieldElement } from './pathelement.js';
import { kindType, type FieldType } from './schema.js';

export interface KindFields {
  readonly type: FieldType;
  readonly apiVersion: string;
  /** The fields a write through `subresource` ('' for the main resource) of `obj` leaves unowned. */
  ignored(subresource: string, obj: JsonObject): FieldSet;
  /** The object a create is compared with: the empty structs a Go zero value of the kind has where the new object sets them. */
  zero(obj: JsonObject): JsonObject;
}

/** Metadata the server sets, never recorded for anyone (upstream's stripped fields). */
export const serverFields: FieldSet = FieldSet.of(
  [[], ['name'], ['namespace'], ['creationTimestamp'], ['selfLink'], ['uid'], ['clusterName'], ['generation'], ['managedFields'], ['resourceVersion']]
    .map((p) => ['metadata', ...p].map(fieldElement))
    .concat([[fieldElement('apiVersion')], [fieldElement('kind')]]),
);

/**
 * Struct fields that are values, not pointers, in upstream's Go types
 * below the top level (where every struct field is one): a new object is
 * compared with their empty value, so creating them does not own the
 * struct itself. `<definition>.<field>`.
 */
const valueStructs: ReadonlySet<string> = new Set([
  'io.k8s.api.apps.v1.DeploymentSpec.template',
  'io.k8s.api.apps.v1.DeploymentSpec.strategy',
  'io.k8s.api.apps.v1.StatefulSetSpec.template',
  'io.k8s.api.apps.v1.StatefulSetSpec.updateStrategy',
  'io.k8s.api.apps.v1.DaemonSetSpec.template',
  'io.k8s.api.apps.v1.DaemonSetSpec.updateStrategy',
  'io.k8s.api.apps.v1.ReplicaSetSpec.template',
  'io.k8s.api.batch.v1.JobSpec.template',
  'io.k8s.api.batch.v1.CronJobSpec.jobTemplate',
  'io.k8s.api.batch.v1.JobTemplateSpec.metadata',
  'io.k8s.api.batch.v1.JobTemplateSpec.spec',
  'io.k8s.api.core.v1.PodTemplateSpec.metadata',
  'io.k8s.api.core.v1.PodTemplateSpec.spec',
]);

/** The empty value of every struct of `obj` that a Go zero value of its type has. */
function zeroOf(obj: JsonObject, type: FieldType, top: boolean): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(obj)) {
    const field = type.field(key);
    if (!isObject(value) || field.kind !== 'struct') continue;
    if (top || (type.name !== undefined && valueStructs.has(`${type.name}.${key}`))) out[key] = zeroOf(value, field, false);
  }
  return out;
}

const statusOnly = FieldSet.of([[fieldElement('status')]]);
const nothing = new FieldSet();

const kinds = new WeakMap<ResourceDefinition, KindFields>();

export function kindFields(def: ResourceDefinition): KindFields {
  const known = kinds.get(def);
  if (known) return known;
  const type = kindType({ group: def.group, version: def.version, kind: def.kind });
  const hasStatus = def.subresources.some((s) => s.name === 'status');
  const fields: KindFields = {
    type,
    apiVersion: apiVersionOf(def.group, def.version),
    ignored: (subresource, obj) => {
      if (subresource === 'status') return FieldSet.of(Object.keys(obj).filter((k) => k !== 'status').map((k) => [fieldElement(k)]));
      return subresource === '' && hasStatus ? statusOnly : nothing;
    },
    zero: (obj) => ({ metadata: {}, ...zeroOf(obj, type, true) }),
  };
  kinds.set(def, fields);
  return fields;
}

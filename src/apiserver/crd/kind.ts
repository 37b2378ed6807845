// One served version of a custom kind: its resource definition (printer
// from the printer columns; a defaulter that fills schema defaults and
// rejects objects the schema does not admit — upstream's CRD strategy
// defaults and validates against the same schema in one step, and the
// defaulter runs on every create and main-resource update, dry runs included), the definitions field
// validation walks, and the definitions /openapi/v3 publishes.
import { crudVerbs, type ResourceDefinition, type SubresourceDefinition } from '../../api/registry/types.js';
import type { KubeObject } from '../../api/types.js';
import { invalid } from '../../machinery/index.js';
import { indexDefinitions, type DefinitionIndex } from '../openapi/definitions.js';
import type { Definitions, Schema } from '../openapi/schema.js';
import { columnPrinter } from './printer.js';
import { publishedDefinitions, scanDefinitions, type KindNames } from './published.js';
import type { CustomResourceDefinition, CustomResourceScale, CustomResourceVersion, JSONSchemaProps } from './types.js';
import { compileValidator } from './validator.js';

/** A custom resource definition as the REST layer serves it; `fieldDefinitions` drives fieldValidation. */
export interface CustomResourceServing extends ResourceDefinition {
  fieldDefinitions: DefinitionIndex;
}

export interface CustomKind {
  def: CustomResourceServing;
  /** The kind's and its list's definitions for /openapi/v3. */
  published: Record<string, Schema>;
  scale?: CustomResourceScale;
  /** Fills schema defaults into an object and throws a 422 when the schema does not admit it (the defaulter's job). */
  admit: (obj: KubeObject) => void;
  /** The Warning every request to a deprecated version gets. */
  deprecation?: string;
  /** The apiVersion objects are stored with. */
  storageApiVersion: string;
  /** The CRD this version belongs to. */
  crd: CustomResourceDefinition;
}

const preserveAll: JSONSchemaProps = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

/** The names a CRD's spec leaves to defaults, filled in. */
export function namesOf(crd: CustomResourceDefinition): { plural: string; singular: string; kind: string; listKind: string; shortNames: string[]; categories: string[] } {
  const n = crd.spec.names;
  return {
    plural: n.plural,
    singular: n.singular || n.kind.toLowerCase(),
    kind: n.kind,
    listKind: n.listKind || `${n.kind}List`,
    shortNames: n.shortNames ?? [],
    categories: n.categories ?? [],
  };
}

function subresources(group: string, v: CustomResourceVersion, kind: string): SubresourceDefinition[] {
  const out: SubresourceDefinition[] = [];
  if (v.subresources?.status !== undefined) out.push({ name: 'status', kind: { group, version: v.name, kind }, verbs: ['get', 'patch', 'update'] });
  if (v.subresources?.scale !== undefined) out.push({ name: 'scale', kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
  return out;
}

/** Builds the serving of one version; `builtin` are the generated definitions (ObjectMeta and friends). */
export function customKind(crd: CustomResourceDefinition, v: CustomResourceVersion, builtin: Definitions): CustomKind {
  const group = crd.spec.group;
  const names = namesOf(crd);
  const schema = v.schema?.openAPIV3Schema ?? preserveAll;
  const kindNames: KindNames = { group, version: v.name, kind: names.kind, listKind: names.listKind };
  const validator = compileValidator(schema);
  const gk = `${names.kind}.${group}`;
  const admit = (obj: KubeObject): void => {
    const errors = validator.validate(obj);
    if (errors.length > 0) throw invalid(gk, obj.metadata?.name ?? obj.metadata?.generateName ?? '', errors);
  };
  const scan = indexDefinitions(`CustomResourceDefinition ${crd.metadata.name ?? ''}`, { ...builtin, ...scanDefinitions(kindNames, schema) });
  const def: CustomResourceServing = {
    group,
    version: v.name,
    resource: names.plural,
    singular: names.singular,
    kind: names.kind,
    listKind: names.listKind,
    namespaced: crd.spec.scope === 'Namespaced',
    shortNames: names.shortNames,
    categories: names.categories,
    verbs: crudVerbs,
    subresources: subresources(group, v, names.kind),
    selectableFields: {},
    stored: true,
    printer: columnPrinter(v.additionalPrinterColumns),
    defaulter: admit,
    fieldDefinitions: scan,
  };
  const storage = crd.spec.versions.find((x) => x.storage)?.name ?? v.name;
  const kind: CustomKind = { def, admit, published: publishedDefinitions(kindNames, schema), storageApiVersion: `${group}/${storage}`, crd };
  if (v.subresources?.scale !== undefined) kind.scale = v.subresources.scale;
  if (v.deprecated) kind.deprecation = v.deprecationWarning ?? `${group}/${v.name} ${names.kind} is deprecated`;
  return kind;
}

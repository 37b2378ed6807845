// The structure field management sees in a kind: which objects are structs
// (declared fields) and which are maps (any key), which lists are keyed
// maps, sets or atomic, and which values are owned and replaced whole. It
// is read from the generated OpenAPI definitions, whose list types come
// from the kinds' patch metadata (a list merged by key is a map keyed by
// its merge key, a merged primitive list a set, every other list atomic).
// A kind without a definition (a custom resource) is deduced from its
// values: objects are maps, lists are atomic.
import type { GroupVersionKind } from '../../api/object.js';
import { loadDefinitions, type DefinitionIndex } from '../openapi/definitions.js';
import { refName, type Definitions, type Schema } from '../openapi/schema.js';

export type TypeKind = 'struct' | 'map' | 'list' | 'scalar' | 'untyped';
export type ListType = 'atomic' | 'set' | 'map';

export interface FieldType {
  readonly kind: TypeKind;
  /** The definition a struct comes from (`io.k8s.api.apps.v1.DeploymentSpec`), when it has one. */
  readonly name?: string;
  /** Owned and replaced as one value (scalars, atomic lists, structs and maps marked atomic). */
  readonly atomic: boolean;
  /** Lists: how items are told apart; atomic lists are one value. */
  readonly listType: ListType;
  /** Lists of type map: the fields that identify an item. */
  readonly keys: readonly string[];
  /** True for a declared field of a struct; map keys and undeclared fields are not. */
  declares(name: string): boolean;
  /** The type of a field, or of a map's values. */
  field(name: string): FieldType;
  /** The type of a list's items. */
  item(): FieldType;
}

/** Structs upstream marks `+structType=atomic`: owned and applied whole. */
const atomicStructs: ReadonlySet<string> = new Set([
  'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
  'io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference',
  'io.k8s.api.core.v1.ConfigMapKeySelector',
  'io.k8s.api.core.v1.LocalObjectReference',
  'io.k8s.api.core.v1.NodeSelector',
  'io.k8s.api.core.v1.NodeSelectorTerm',
  'io.k8s.api.core.v1.ObjectFieldSelector',
  'io.k8s.api.core.v1.ObjectReference',
  'io.k8s.api.core.v1.ResourceFieldSelector',
  'io.k8s.api.core.v1.SecretKeySelector',
  'io.k8s.api.core.v1.SecretReference',
  'io.k8s.api.core.v1.TopologySelectorTerm',
  'io.k8s.api.core.v1.TypedLocalObjectReference',
]);

/** Map fields upstream marks `+mapType=atomic`, as `<definition>.<field>`. */
const atomicMaps: ReadonlySet<string> = new Set([
  'io.k8s.api.core.v1.PodSpec.nodeSelector',
  'io.k8s.api.core.v1.ServiceSpec.selector',
  'io.k8s.api.core.v1.ReplicationControllerSpec.selector',
]);

const scalarTypes: ReadonlySet<string> = new Set(['string', 'integer', 'number', 'boolean']);

function leafType(kind: 'scalar' | 'untyped'): FieldType {
  const self: FieldType = {
    kind,
    atomic: kind === 'scalar',
    listType: 'atomic',
    keys: [],
    declares: () => false,
    field: () => self,
    item: () => self,
  };
  return Object.freeze(self);
}

/** A value nothing is known about: objects are maps of the same, lists are atomic. */
export const untypedType: FieldType = leafType('untyped');
export const scalarType: FieldType = leafType('scalar');

/** Builds types from definitions, once per definition name. */
class TypeBuilder {
  private readonly named = new Map<string, FieldType>();

  constructor(private readonly defs: Definitions) {}

  definition(name: string): FieldType {
    const known = this.named.get(name);
    if (known) return known;
    const schema = this.defs[name];
    const type = schema === undefined ? untypedType : this.build(schema, name, undefined);
    this.named.set(name, type);
    return type;
  }

  /** The type of a property schema (`owner.field` names it for the atomic-map table). */
  property(prop: Schema | undefined, owner: string | undefined, field: string | undefined): FieldType {
    if (prop === undefined) return untypedType;
    const ref = prop.$ref ?? (prop.allOf?.length === 1 && prop.properties === undefined ? prop.allOf[0]?.$ref : undefined);
    if (ref !== undefined) {
      const name = refName(ref);
      return name === undefined ? untypedType : this.definition(name);
    }
    return this.build(prop, undefined, owner !== undefined && field !== undefined ? `${owner}.${field}` : undefined);
  }

  private build(schema: Schema, name: string | undefined, fieldName: string | undefined): FieldType {
    if (schema['x-kubernetes-int-or-string'] || (schema.type !== undefined && scalarTypes.has(schema.type))) return scalarType;
    if (schema.type === 'array') {
      const declared = schema['x-kubernetes-list-type'] ?? 'atomic';
      const keys = declared === 'map' ? [...(schema['x-kubernetes-list-map-keys'] ?? [])] : [];
      const listType: ListType = declared === 'map' && keys.length === 0 ? 'atomic' : declared;
      let item: FieldType | undefined;
      const items = schema.items;
      return this.freeze({
        kind: 'list',
        atomic: listType === 'atomic',
        listType,
        keys,
        declares: () => false,
        field: () => untypedType,
        item: () => (item ??= this.property(items, undefined, undefined)),
      });
    }
    const properties = schema.properties;
    if (properties !== undefined) {
      const fields = new Map<string, FieldType>();
      return this.freeze({
        kind: 'struct',
        ...(name !== undefined ? { name } : {}),
        atomic: name !== undefined && atomicStructs.has(name),
        listType: 'atomic',
        keys: [],
        declares: (f) => Object.hasOwn(properties, f),
        field: (f) => {
          if (!Object.hasOwn(properties, f)) return untypedType;
          let type = fields.get(f);
          if (!type) {
            type = this.property(properties[f], name, f);
            fields.set(f, type);
          }
          return type;
        },
        item: () => untypedType,
      });
    }
    const values = schema.additionalProperties;
    if (typeof values === 'object') {
      let value: FieldType | undefined;
      return this.freeze({
        kind: 'map',
        atomic: fieldName !== undefined && atomicMaps.has(fieldName),
        listType: 'atomic',
        keys: [],
        declares: () => false,
        field: () => (value ??= this.property(values, undefined, undefined)),
        item: () => untypedType,
      });
    }
    return untypedType;
  }

  private freeze(type: FieldType): FieldType {
    return Object.freeze(type);
  }
}

const builders = new WeakMap<Definitions, TypeBuilder>();

function builderFor(index: DefinitionIndex): TypeBuilder {
  let builder = builders.get(index.definitions);
  if (!builder) {
    builder = new TypeBuilder(index.definitions);
    builders.set(index.definitions, builder);
  }
  return builder;
}

const objectMeta = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/**
 * The type of a kind's objects. A kind without a definition gets a deduced
 * type whose metadata is still ObjectMeta (custom resources share it).
 */
export function kindType(gvk: GroupVersionKind, index: DefinitionIndex | undefined = loadDefinitions()): FieldType {
  const name = index?.nameOf(gvk);
  if (index !== undefined && name !== undefined) return builderFor(index).definition(name);
  const metadata = index === undefined ? untypedType : builderFor(index).definition(objectMeta);
  const declared = new Set(['apiVersion', 'kind', 'metadata']);
  return Object.freeze({
    kind: 'untyped',
    atomic: false,
    listType: 'atomic',
    keys: [],
    declares: (f: string) => declared.has(f),
    field: (f: string) => (f === 'metadata' ? metadata : f === 'apiVersion' || f === 'kind' ? scalarType : untypedType),
    item: () => untypedType,
  } satisfies FieldType);
}

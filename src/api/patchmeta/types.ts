// The patch metadata of the built-in kinds: which lists merge by key, which
// primitive lists merge as sets, which objects are replaced whole or clear
// the keys a patch does not retain. These are upstream's `patchStrategy` and
// `patchMergeKey` struct tags (k8s.io/api, apimachinery meta/v1), which the
// OpenAPI documents publish as x-kubernetes-patch-strategy and
// x-kubernetes-patch-merge-key and strategic merge patch obeys.

/** A value of the patchStrategy tag. A tag may carry two, e.g. `merge,retainKeys`. */
export type PatchStrategy = 'merge' | 'retainKeys' | 'replace';

/** What is known about one field: its strategies, its merge key, and the navigator below it. */
export interface FieldPatchMeta {
  /** The tag's strategies in tag order; empty when the field has none (maps merge, lists are replaced). */
  readonly strategies: readonly PatchStrategy[];
  /** The merge key of a list of objects merged element by element; '' otherwise (also for primitive sets). */
  readonly mergeKey: string;
  /** The navigator of the field's value when it is an object, of its elements when it is a list. */
  readonly meta: PatchMeta;
}

/**
 * A navigator over one type. `field` never fails: a field the table does not
 * know has no strategies and an empty navigator below it, so objects under it
 * merge recursively and lists under it are replaced.
 */
export interface PatchMeta {
  /** The type's name (upstream's Go type name), for messages. */
  readonly name: string;
  field(name: string): FieldPatchMeta;
}

/**
 * One entry of a type table: the type of the value (objects) or of the
 * elements (lists), with the field's tag. A bare string is an object field
 * of that type without a tag. A type absent from the table is a leaf.
 */
export type FieldSpec = string | { readonly type?: string; readonly strategy: readonly PatchStrategy[]; readonly key?: string };

/** The fields of one type that carry a tag or lead to one. */
export type TypeSpec = Readonly<Record<string, FieldSpec>>;

/** Type name → fields. */
export type TypeTable = Readonly<Record<string, TypeSpec>>;

/** A list of objects merged by `key`. */
export function keyed(type: string, key: string): FieldSpec {
  return { type, strategy: ['merge'], key };
}

/** A list of objects merged by `key` whose elements also clear the keys a patch does not retain. */
export function keyedRetained(type: string, key: string): FieldSpec {
  return { type, strategy: ['merge', 'retainKeys'], key };
}

/** A list of primitives merged as an ordered set. */
export const primitiveSet: FieldSpec = { strategy: ['merge'] };

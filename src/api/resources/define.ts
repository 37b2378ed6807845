// A compact way to declare the resources of one group-version. Each group
// file lists its resources with only the facts that differ from the usual
// case; `defineGroupVersion` fills in the rest the way upstream does
// (singular = lower-case kind, list kind = kind + "List", all eight verbs,
// stored in the object store).
import type { GroupVersionKind, KubeObject } from '../object.js';
import { crudVerbs, type FieldReader, type ResourceDefinition, type SubresourceDefinition, type Verb } from '../registry/types.js';

export interface SubresourceSpec {
  name: string;
  verbs: readonly Verb[];
  /**
   * What the subresource sends or returns: absent means the parent's kind,
   * a string a kind in the parent's group-version, a full GVK a kind from
   * another group (autoscaling/v1 Scale, policy/v1 Eviction, ...).
   */
  kind?: string | GroupVersionKind;
}

export interface ResourceSpec {
  resource: string;
  kind: string;
  namespaced: boolean;
  shortNames?: readonly string[];
  categories?: readonly string[];
  /** Defaults to the eight CRUD verbs. */
  verbs?: readonly Verb[];
  subresources?: readonly SubresourceSpec[];
  selectableFields?: Readonly<Record<string, FieldReader>>;
  /** Defaults to true; false for review kinds that are answered, never kept. */
  stored?: boolean;
}

/** `get`, `patch`, `update`: the verbs of every status-like subresource. */
export const readWrite: readonly Verb[] = ['get', 'patch', 'update'];
/** Verbs of the proxy subresources as discovery lists them. */
export const proxyVerbs: readonly Verb[] = ['create', 'delete', 'get', 'patch', 'update'];
/** Verbs of the streaming subresources (exec, attach, portforward). */
export const connectVerbs: readonly Verb[] = ['create', 'get'];
export const createOnly: readonly Verb[] = ['create'];

export const statusSubresource: SubresourceSpec = { name: 'status', verbs: readWrite };
export const scaleSubresource: SubresourceSpec = {
  name: 'scale',
  verbs: readWrite,
  kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
};

/** Declares the resources of one group-version, in the order given. */
export function defineGroupVersion(group: string, version: string, specs: readonly ResourceSpec[]): ResourceDefinition[] {
  return specs.map((spec) => ({
    group,
    version,
    resource: spec.resource,
    singular: spec.kind.toLowerCase(),
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    namespaced: spec.namespaced,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    verbs: spec.verbs ?? crudVerbs,
    subresources: (spec.subresources ?? []).map((sub) => subresource(group, version, spec.kind, sub)),
    selectableFields: spec.selectableFields ?? {},
    stored: spec.stored ?? true,
  }));
}

function subresource(group: string, version: string, parentKind: string, sub: SubresourceSpec): SubresourceDefinition {
  const kind =
    sub.kind === undefined
      ? { group, version, kind: parentKind }
      : typeof sub.kind === 'string'
        ? { group, version, kind: sub.kind }
        : sub.kind;
  return { name: sub.name, kind, verbs: sub.verbs };
}

// Field readers. Upstream builds its field sets from Go structs, so a
// missing string reads as '', a missing integer as '0' and a missing
// boolean as 'false'; these readers reproduce that from plain JSON.

function lookup(obj: KubeObject, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** A string field at a dotted path; '' when absent. */
export function text(path: string): FieldReader {
  return (obj) => {
    const v = lookup(obj, path);
    return typeof v === 'string' ? v : '';
  };
}

/** An integer field at a dotted path, in decimal; '0' when absent. */
export function count(path: string): FieldReader {
  return (obj) => {
    const v = lookup(obj, path);
    return typeof v === 'number' ? String(v) : '0';
  };
}

/** A boolean field at a dotted path: 'true' or 'false' ('false' when absent). */
export function flag(path: string): FieldReader {
  return (obj) => String(lookup(obj, path) === true);
}

/** The first of several string fields that is set; '' when none is. */
export function firstText(...paths: string[]): FieldReader {
  const readers = paths.map(text);
  return (obj) => {
    for (const read of readers) {
      const v = read(obj);
      if (v !== '') return v;
    }
    return '';
  };
}

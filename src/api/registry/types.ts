// What the registry declares about each served resource. One
// ResourceDefinition per resource drives discovery, routing, defaulting,
// field selectors and Table output; the apiserver adds behaviour (strategy,
// validation) keyed by the same group/resource.
import type { GroupVersionKind, KubeObject } from '../object.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export const crudVerbs: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface SubresourceDefinition {
  /** `status`, `scale`, `binding`, `eviction`, `token`, `log`, `exec`, ... */
  name: string;
  /** The kind a request to the subresource sends or returns (`autoscaling/v1 Scale`, or the parent kind for status). */
  kind: GroupVersionKind;
  verbs: readonly Verb[];
}

/** A column of a meta.k8s.io/v1 Table (upstream's TableColumnDefinition). */
export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  /** 0: always shown; 1 and above: only with `-o wide`. */
  priority: number;
}

/** Turns objects of one kind into Table rows (upstream's printers). */
export interface Printer<T extends KubeObject = KubeObject> {
  columns: readonly ColumnDefinition[];
  /** One cell per column, in order. `now` is the time ages are computed against. */
  cells(obj: T, now: Date): unknown[];
}

/** Reads a selectable field (`spec.nodeName`) from an object as the string a field selector compares. */
export type FieldReader<T extends KubeObject = KubeObject> = (obj: T) => string;

/** Fills the fields users rely on being set (upstream's SetDefaults_*). Mutates `obj`. */
export type Defaulter<T extends KubeObject = KubeObject> = (obj: T) => void;

export interface ResourceDefinition {
  group: string;
  version: string;
  /** Plural lower-case name in URLs: `pods`. */
  resource: string;
  /** `pod` */
  singular: string;
  kind: string;
  /** `PodList` */
  listKind: string;
  namespaced: boolean;
  shortNames: readonly string[];
  categories: readonly string[];
  verbs: readonly Verb[];
  subresources: readonly SubresourceDefinition[];
  /**
   * Fields a field selector may use besides metadata.name and
   * metadata.namespace (which every resource supports).
   */
  selectableFields: Readonly<Record<string, FieldReader>>;
  /** Create-only review kinds (TokenReview, SelfSubjectAccessReview, ...) are answered, never stored. */
  stored: boolean;
  printer?: Printer;
  defaulter?: Defaulter;
}

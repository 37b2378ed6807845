// The shape every stored API object shares. Kind-specific types come from
// the `kubernetes-types` package and are re-exported by types.ts; code that
// handles any kind works on KubeObject.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.js';

export type { ListMeta, ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.js';

/** Any API object: apiVersion, kind, metadata, and kind-specific fields. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

/** An object whose metadata is known to be present (every object the apiserver stores). */
export type StoredObject = KubeObject & { metadata: ObjectMeta };

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** `v1` for the core group, `apps/v1` otherwise. */
export function apiVersionOf(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

// PartialObjectMetadata: an object reduced to its metadata, as upstream
// answers `Accept: ...;as=PartialObjectMetadata(List);g=meta.k8s.io;v=v1`
// and fills Table rows for includeObject=Metadata.
import type { KubeObject, ListMeta, ObjectMeta } from '../../api/types.js';
import type { MetaVersion } from './accept.js';

export interface PartialObjectMetadata {
  kind: 'PartialObjectMetadata';
  apiVersion: string;
  metadata: ObjectMeta;
}

export interface PartialObjectMetadataList {
  kind: 'PartialObjectMetadataList';
  apiVersion: string;
  metadata: ListMeta;
  items: PartialObjectMetadata[];
}

/** The list metadata a paged read reports. */
export interface ListMetaInput {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** ListMeta with only the fields that are set, as Go's omitempty leaves it. */
export function listMetaOf(input: ListMetaInput | undefined): ListMeta {
  return {
    ...(input?.resourceVersion ? { resourceVersion: input.resourceVersion } : {}),
    ...(input?.continue ? { continue: input.continue } : {}),
    ...(typeof input?.remainingItemCount === 'number' ? { remainingItemCount: input.remainingItemCount } : {}),
  };
}

/**
 * The object's full metadata under kind PartialObjectMetadata. The
 * metadata is shared with `obj`, not copied: encode the result, do not
 * mutate it. An object without metadata yields empty metadata.
 */
export function toPartialObjectMetadata(obj: KubeObject, version: MetaVersion = 'v1'): PartialObjectMetadata {
  const metadata = typeof obj.metadata === 'object' && obj.metadata !== null ? obj.metadata : {};
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata };
}

/** A PartialObjectMetadataList of `objs` carrying the list's resourceVersion, continue token and remaining count. */
export function toPartialObjectMetadataList(
  objs: readonly KubeObject[],
  listMeta?: ListMetaInput,
  version: MetaVersion = 'v1',
): PartialObjectMetadataList {
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${version}`,
    metadata: listMetaOf(listMeta),
    items: objs.map((obj) => toPartialObjectMetadata(obj, version)),
  };
}

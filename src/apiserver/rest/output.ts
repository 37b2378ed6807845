// Chooses the representation of a response by the Accept header: the
// object itself, a meta.k8s.io Table, or PartialObjectMetadata.
import type { StoredObject } from '../../api/types.js';
import type { ResourceContext } from './context.js';
import { objectResponse, type ApiRequest, type ApiResponse, type WatchEvent } from './types.js';

export interface ListBody {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: StoredObject[];
}

export function presentList(_ctx: ResourceContext, _req: ApiRequest, body: ListBody): ApiResponse {
  return objectResponse(200, body);
}

export function presentObject(_ctx: ResourceContext, _req: ApiRequest, obj: StoredObject, code = 200): ApiResponse {
  return objectResponse(code, obj);
}

export function presentWatch(_ctx: ResourceContext, _req: ApiRequest, events: AsyncIterable<WatchEvent>): ApiResponse {
  return { type: 'watch', contentType: 'application/json', events };
}

// Chooses the representation of a read by the Accept header: the object
// itself, a meta.k8s.io Table (kubectl get), or PartialObjectMetadata(List).
// Only JSON is served; anything else is a 406.
import type { StoredObject } from '../../api/types.js';
import { notAcceptable } from '../../machinery/index.js';
import {
  conversionContentType,
  negotiate,
  parseIncludeObject,
  toPartialObjectMetadata,
  toPartialObjectMetadataList,
  toTable,
  type Negotiated,
} from '../table/index.js';
import type { ResourceContext } from './context.js';
import { objectResponse, type ApiRequest, type ApiResponse, type WatchEvent } from './types.js';

export interface ListBody {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: StoredObject[];
}

const served = ['application/json'] as const;

function negotiated(req: ApiRequest): Negotiated {
  const chosen = negotiate(req.accept, { served });
  if (!chosen) throw notAcceptable(served);
  return chosen;
}

function includeObject(req: ApiRequest) {
  const value = parseIncludeObject(req.query.get('includeObject'));
  if (typeof value !== 'string') throw value;
  return value;
}

export function presentList(ctx: ResourceContext, req: ApiRequest, body: ListBody): ApiResponse {
  const chosen = negotiated(req);
  const convert = chosen.convert;
  if (!convert) return objectResponse(200, body);
  const contentType = conversionContentType(chosen.mediaType, convert);
  if (convert.kind === 'Table') {
    const table = toTable(ctx.def.printer, body.items, { includeObject: includeObject(req), now: ctx.now(), listMeta: body.metadata, version: convert.version });
    return objectResponse(200, table, contentType);
  }
  if (convert.kind === 'PartialObjectMetadata') throw notAcceptable(served, 'PartialObjectMetadata');
  return objectResponse(200, toPartialObjectMetadataList(body.items, body.metadata, convert.version), contentType);
}

export function presentObject(ctx: ResourceContext, req: ApiRequest, obj: StoredObject, code = 200): ApiResponse {
  const chosen = negotiated(req);
  const convert = chosen.convert;
  if (!convert) return objectResponse(code, obj);
  const contentType = conversionContentType(chosen.mediaType, convert);
  if (convert.kind === 'Table') {
    return objectResponse(code, toTable(ctx.def.printer, [obj], { includeObject: includeObject(req), now: ctx.now(), version: convert.version }), contentType);
  }
  if (convert.kind === 'PartialObjectMetadataList') throw notAcceptable(served, 'PartialObjectMetadataList');
  return objectResponse(code, toPartialObjectMetadata(obj, convert.version), contentType);
}

/** Watch events in the negotiated form: Table events carry one row, column definitions only in the first. */
export function presentWatch(ctx: ResourceContext, req: ApiRequest, events: AsyncIterable<WatchEvent>): ApiResponse {
  const chosen = negotiated(req);
  const convert = chosen.convert;
  if (!convert) return { type: 'watch', contentType: chosen.mediaType, events };
  const include = convert.kind === 'Table' ? includeObject(req) : 'None';
  async function* converted(): AsyncGenerator<WatchEvent> {
    let first = true;
    for await (const ev of events) {
      if (ev.type === 'ERROR' || ev.type === 'BOOKMARK' || !convert) {
        yield ev;
        continue;
      }
      const obj = ev.object as StoredObject;
      if (convert.kind === 'Table') {
        yield { type: ev.type, object: toTable(ctx.def.printer, [obj], { includeObject: include, now: ctx.now(), noHeaders: !first, version: convert.version }) };
        first = false;
      } else {
        yield { type: ev.type, object: toPartialObjectMetadata(obj, convert.version) };
      }
    }
  }
  return { type: 'watch', contentType: conversionContentType(chosen.mediaType, convert), events: converted() };
}

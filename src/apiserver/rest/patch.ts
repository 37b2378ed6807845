// PATCH with a JSON merge patch (the other patch types arrive with the
// OpenAPI-driven strategic merge). A resourceVersion inside the patch is a
// precondition, as kubectl diff relies on.
import { applyMergePatch, badRequest, unsupportedMediaType } from '../../machinery/index.js';
import { decodeBody, mediaType, patchMediaTypes } from './body.js';
import type { ResourceContext } from './context.js';
import { checkTypeMeta } from './meta.js';
import { writeOptions } from './options.js';
import { presentObject } from './output.js';
import type { ApiRequest, ApiResponse } from './types.js';
import { guaranteedUpdate } from './write.js';

export async function patch(ctx: ResourceContext, req: ApiRequest, namespace: string, name: string, status: boolean): Promise<ApiResponse> {
  const opts = writeOptions(req.query);
  if (!patchMediaTypes.includes(mediaType(req.contentType) as (typeof patchMediaTypes)[number])) {
    throw unsupportedMediaType(patchMediaTypes);
  }
  const body = decodeBody(req, patchMediaTypes);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body of the request must be a JSON object');
  const result = await guaranteedUpdate(
    ctx,
    namespace,
    name,
    (current) => {
      const patched = applyMergePatch(current, body) as Record<string, unknown>;
      const obj = checkTypeMeta(ctx, patched);
      if (obj.metadata.name !== name) throw badRequest(`metadata.name: Invalid value: "${String(obj.metadata.name)}": field is immutable`);
      if (ctx.def.namespaced && obj.metadata.namespace !== namespace) throw badRequest('metadata.namespace: field is immutable');
      // A patch that does not name a resourceVersion must not inherit one as a precondition.
      const patchedRv = (body as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
      if (patchedRv === undefined) obj.metadata = { ...obj.metadata, resourceVersion: '' };
      return obj;
    },
    { dryRun: opts.dryRun, part: status ? 'status' : 'main' },
  );
  return presentObject(ctx, req, result.obj);
}

// PATCH in the formats kubectl and clients send: JSON merge patch,
// strategic merge patch (built-in kinds, by their patch metadata), JSON
// patch, and server-side apply (apply.ts). A resourceVersion the patch
// sets is a precondition (kubectl diff relies on it): the patched object
// keeps it, and guaranteedUpdate compares it with the stored revision.
// Every patch but an apply is recorded as an Update in managedFields.
import { patchMetaFor } from '../../api/patchmeta/index.js';
import type { StoredObject } from '../../api/types.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, badRequest, unsupportedMediaType } from '../../machinery/index.js';
import { managerFor } from '../fieldmanager/index.js';
import { fieldCheck, withWarnings } from '../openapi/index.js';
import { serverSideApply } from './apply.js';
import { applyPatchType, decodeBody, mediaType } from './body.js';
import type { ResourceContext } from './context.js';
import { recordingUpdate } from './managed.js';
import { checkTypeMeta } from './meta.js';
import { writeOptions } from './options.js';
import { presentObject } from './output.js';
import type { ApiRequest, ApiResponse } from './types.js';
import { guaranteedUpdate } from './write.js';

export const patchTypes = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'] as const;

/** Applies a patch body of `contentType` to a document of the given group/kind. */
export function applyPatch(contentType: string, group: string, kind: string, current: unknown, body: unknown): unknown {
  switch (mediaType(contentType)) {
    case 'application/merge-patch+json':
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body of a merge patch must be a JSON object');
      return applyMergePatch(current, body);
    case 'application/strategic-merge-patch+json': {
      const meta = patchMetaFor(group, kind);
      if (!meta) throw unsupportedMediaType(patchTypes.filter((t) => t !== 'application/strategic-merge-patch+json'));
      return applyStrategicMergePatch(current, body, meta);
    }
    case 'application/json-patch+json':
      return applyJsonPatch(current, body);
    default:
      throw unsupportedMediaType(patchTypes);
  }
}

export async function patch(ctx: ResourceContext, req: ApiRequest, namespace: string, name: string, status: boolean): Promise<ApiResponse> {
  if (mediaType(req.contentType) === applyPatchType) return serverSideApply(ctx, req, namespace, name, status);
  const opts = writeOptions(req.query, 'PatchOptions');
  const fields = fieldCheck(ctx.def, req.query);
  if (!(patchTypes as readonly string[]).includes(mediaType(req.contentType))) throw unsupportedMediaType([...patchTypes, applyPatchType]);
  const body = decodeBody(req, patchTypes);
  if (body === undefined) throw badRequest('the body of the request was empty');
  const result = await guaranteedUpdate(
    ctx,
    namespace,
    name,
    (current: StoredObject) => {
      const patched = applyPatch(req.contentType, ctx.def.group, ctx.def.kind, current, body);
      if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) throw badRequest('the patched object must be a JSON object');
      const obj = checkTypeMeta(ctx, patched as Record<string, unknown>);
      if (obj.metadata.name !== name) throw badRequest(`metadata.name: Invalid value: "${String(obj.metadata.name)}": field is immutable`);
      if (ctx.def.namespaced && obj.metadata.namespace !== namespace) throw badRequest('metadata.namespace: field is immutable');
      return obj;
    },
    { dryRun: opts.dryRun, part: status ? 'status' : 'main', fields, manage: recordingUpdate(ctx, managerFor(opts.fieldManager, req.userAgent), status ? 'status' : ''), user: req.user },
  );
  return withWarnings(presentObject(ctx, req, result.obj), fields.warnings);
}

// PUT of an object or of its status subresource.
import { badRequest } from '../../machinery/index.js';
import { managerFor } from '../fieldmanager/index.js';
import { fieldCheck, withWarnings } from '../openapi/index.js';
import { decodeObjectBody } from './body.js';
import type { ResourceContext } from './context.js';
import { recordingUpdate } from './managed.js';
import { checkNamespace, checkTypeMeta } from './meta.js';
import { writeOptions } from './options.js';
import { presentObject } from './output.js';
import type { ApiRequest, ApiResponse } from './types.js';
import { guaranteedUpdate } from './write.js';

export async function update(ctx: ResourceContext, req: ApiRequest, namespace: string, name: string, status: boolean): Promise<ApiResponse> {
  const opts = writeOptions(req.query, 'UpdateOptions');
  const fields = fieldCheck(ctx.def, req.query);
  const body = decodeObjectBody(req);
  const obj = checkTypeMeta(ctx, body);
  if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
  }
  obj.metadata = { ...obj.metadata, name };
  checkNamespace(ctx, obj, namespace);
  const manage = recordingUpdate(ctx, managerFor(opts.fieldManager, req.userAgent), status ? 'status' : '');
  const result = await guaranteedUpdate(ctx, namespace, name, () => structuredClone(obj), { dryRun: opts.dryRun, part: status ? 'status' : 'main', fields, manage, user: req.user });
  return withWarnings(presentObject(ctx, req, result.obj), fields.warnings);
}

// Requests to a custom resource: the scale subresource reads the CRD's
// paths; status writes use a context that checks them against the schema;
// everything else is the generic REST handling of the kind's context. A
// deprecated version's answers carry its deprecation warning.
import type { ResourceRequest } from '../request/info.js';
import { handleResource } from '../rest/resource.js';
import type { ApiRequest, ApiResponse } from '../rest/types.js';
import type { ServedCustomKind } from './custom-resources.js';
import { scale } from '../rest/scale.js';
import { customScaleView } from './scale.js';

function route(served: ServedCustomKind, info: ResourceRequest, req: ApiRequest): Promise<ApiResponse> {
  const { ctx, kind } = served;
  if (info.subresource === 'scale' && kind.scale !== undefined && info.name !== '' && ['GET', 'HEAD', 'PUT', 'PATCH'].includes(req.method)) {
    return scale(ctx, req, ctx.def.namespaced ? info.namespace : '', info.name, customScaleView(kind.scale));
  }
  const writesStatus = info.subresource === 'status' && (req.method === 'PUT' || req.method === 'PATCH');
  return handleResource(writesStatus ? served.statusCtx : ctx, info, req);
}

export async function handleCustomResource(served: ServedCustomKind, info: ResourceRequest, req: ApiRequest): Promise<ApiResponse> {
  const answer = await route(served, info, req);
  const deprecation = served.kind.deprecation;
  if (deprecation === undefined || answer.type !== 'object') return answer;
  const warning = `299 - ${JSON.stringify(deprecation)}`;
  const previous = answer.headers?.Warning;
  return { ...answer, headers: { ...answer.headers, Warning: previous === undefined ? warning : `${warning}, ${previous}` } };
}

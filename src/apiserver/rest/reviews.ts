// Create-only review kinds, answered and never stored. Until RBAC arrives
// every authenticated user may do everything, and the access reviews say so.
import { apiVersionOf } from '../../api/types.js';
import { decodeObjectBody } from './body.js';
import type { ResourceContext } from './context.js';
import { checkTypeMeta } from './meta.js';
import { objectResponse, type ApiRequest, type ApiResponse } from './types.js';

const allowedReason = 'every authenticated user is allowed (no authorizer configured)';

export function review(ctx: ResourceContext, req: ApiRequest): ApiResponse {
  const body = decodeObjectBody(req);
  const obj = checkTypeMeta(ctx, body);
  const base = { kind: ctx.def.kind, apiVersion: apiVersionOf(ctx.def.group, ctx.def.version), metadata: { ...obj.metadata, creationTimestamp: null } };
  switch (ctx.def.resource) {
    case 'selfsubjectreviews':
      return objectResponse(201, { ...base, status: { userInfo: { username: req.user.username, ...(req.user.uid ? { uid: req.user.uid } : {}), groups: req.user.groups } } });
    case 'selfsubjectaccessreviews':
    case 'subjectaccessreviews':
    case 'localsubjectaccessreviews':
      return objectResponse(201, { ...base, spec: obj.spec ?? {}, status: { allowed: true, reason: allowedReason } });
    case 'selfsubjectrulesreviews':
      return objectResponse(201, {
        ...base,
        spec: obj.spec ?? {},
        status: {
          resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
          nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
          incomplete: false,
        },
      });
    default:
      // tokenreviews: no bearer tokens are issued yet, so none authenticates.
      return objectResponse(201, { ...base, spec: obj.spec ?? {}, status: { authenticated: false, error: 'token authentication is not enabled' } });
  }
}

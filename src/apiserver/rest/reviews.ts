// Create-only review kinds, answered and never stored. Until RBAC arrives
// every authenticated user may do everything, and the access reviews say so.
// TokenReview checks a service-account token as a bearer token would be.
import { apiVersionOf } from '../../api/types.js';
import { badRequest } from '../../machinery/index.js';
import { decodeObjectBody } from './body.js';
import type { ResourceContext } from './context.js';
import { checkTypeMeta } from './meta.js';
import { objectResponse, type ApiRequest, type ApiResponse } from './types.js';

const allowedReason = 'every authenticated user is allowed (no authorizer configured)';

export async function review(ctx: ResourceContext, req: ApiRequest): Promise<ApiResponse> {
  const body = decodeObjectBody(req);
  const obj = checkTypeMeta(ctx, body);
  const base = { kind: ctx.def.kind, apiVersion: apiVersionOf(ctx.def.group, ctx.def.version), metadata: { ...obj.metadata, creationTimestamp: null } };
  switch (ctx.def.resource) {
    case 'selfsubjectreviews': {
      const { extra } = req.user;
      const userInfo = { username: req.user.username, ...(req.user.uid ? { uid: req.user.uid } : {}), groups: req.user.groups, ...(extra ? { extra } : {}) };
      return objectResponse(201, { ...base, status: { userInfo } });
    }
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
    case 'tokenreviews':
    default:
      return tokenReview(ctx, base, (obj.spec ?? {}) as Record<string, unknown>);
  }
}

/**
 * tokenreviews, as upstream: spec.token is required (400); audiences
 * default to the API's. A bad token is still a 201 whose status says why;
 * upstream leaves `authenticated: false` out and an empty user in.
 */
async function tokenReview(ctx: ResourceContext, base: Record<string, unknown>, spec: Record<string, unknown>): Promise<ApiResponse> {
  if (typeof spec.token !== 'string' || spec.token === '') throw badRequest('token is required for TokenReview in authentication.k8s.io');
  const tokens = ctx.serviceAccountTokens;
  if (!tokens) return objectResponse(201, { ...base, spec, status: { user: {}, error: 'token authentication is not enabled' } });
  const wanted = spec.audiences ?? [];
  if (!Array.isArray(wanted) || !wanted.every((a): a is string => typeof a === 'string')) {
    throw badRequest('the object provided is unrecognized or malformed: spec.audiences must be a list of strings');
  }
  const result = await tokens.authenticator.authenticateToken(spec.token, wanted.length > 0 ? wanted : tokens.apiAudiences);
  if (!result.authenticated) return objectResponse(201, { ...base, spec, status: { user: {}, error: result.error } });
  const { username, uid, groups, extra } = result.user;
  return objectResponse(201, { ...base, spec, status: { authenticated: true, user: { username, uid, groups, extra }, audiences: result.audiences } });
}

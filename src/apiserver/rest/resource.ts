// Routes a resource request to its verb handler: the main resource, its
// status and scale subresources, pod binding and eviction, namespace
// finalize, service-account tokens. Verbs the resource does not declare are 405.
import type { Verb } from '../../api/registry/types.js';
import { methodNotSupported, notFound } from '../../machinery/index.js';
import type { ResourceRequest } from '../request/info.js';
import { bind } from './binding.js';
import type { ResourceContext } from './context.js';
import { create } from './create.js';
import { remove, removeCollection } from './delete.js';
import { evict } from './eviction.js';
import { get } from './get.js';
import { list } from './list.js';
import { patch } from './patch.js';
import { review } from './reviews.js';
import { scale } from './scale.js';
import { requestToken } from './token.js';
import type { ApiRequest, ApiResponse } from './types.js';
import { update } from './update.js';
import { watch } from './watch.js';

const subresourceVerbs: Readonly<Record<string, Verb>> = { GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', POST: 'create', DELETE: 'delete' };

export async function handleResource(ctx: ResourceContext, info: ResourceRequest, req: ApiRequest): Promise<ApiResponse> {
  const { def } = ctx;
  const namespace = def.namespaced ? info.namespace : '';
  if (info.subresource !== '') {
    const sub = def.subresources.find((s) => s.name === info.subresource);
    if (!sub || info.name === '') throw notFound(ctx.gr, info.name);
    const verb = subresourceVerbs[req.method];
    if (!verb || !sub.verbs.includes(verb)) throw methodNotSupported(`${ctx.gr}/${info.subresource}`, verb ?? req.method);
    switch (info.subresource) {
      case 'status':
        if (verb === 'get') return get(ctx, req, namespace, info.name);
        return verb === 'patch' ? patch(ctx, req, namespace, info.name, true) : update(ctx, req, namespace, info.name, true);
      case 'finalize':
        return update(ctx, req, namespace, info.name, false);
      case 'scale':
        return scale(ctx, req, namespace, info.name);
      case 'binding':
        return bind(ctx, req, namespace, info.name);
      case 'eviction':
        return evict(ctx, req, namespace, info.name);
      case 'token':
        return requestToken(ctx, req, namespace, info.name);
      default:
        throw methodNotSupported(`${ctx.gr}/${info.subresource}`, verb);
    }
  }
  if (!def.verbs.includes(info.verb)) throw methodNotSupported(ctx.gr, info.verb);
  // PUT and PATCH address one object; POST addresses the collection.
  if ((info.verb === 'update' || info.verb === 'patch') && info.name === '') throw methodNotSupported(ctx.gr, info.verb);
  if (!def.stored) return review(ctx, req);
  switch (info.verb) {
    case 'get':
      return get(ctx, req, namespace, info.name);
    case 'list':
      return list(ctx, req, namespace);
    case 'watch':
      return watch(ctx, req, namespace, info.name);
    case 'create':
      if (info.name !== '') throw methodNotSupported(ctx.gr, 'create');
      return create(ctx, req, namespace);
    case 'update':
      return update(ctx, req, namespace, info.name, false);
    case 'patch':
      return patch(ctx, req, namespace, info.name, false);
    case 'delete':
      return remove(ctx, req, namespace, info.name);
    case 'deletecollection':
      return removeCollection(ctx, req, namespace);
  }
}

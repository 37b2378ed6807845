// GET of one object.
import { notFound } from '../../machinery/index.js';
import { objectKey } from '../storage/keys.js';
import type { ResourceContext } from './context.js';
import { presentObject } from './output.js';
import type { ApiRequest, ApiResponse } from './types.js';
import type { Current } from '../storage/store.js';

export async function mustGet(ctx: ResourceContext, namespace: string, name: string): Promise<Current> {
  const current = await ctx.store.get(objectKey(ctx.def, namespace, name));
  if (!current) throw notFound(ctx.gr, name);
  return current;
}

export async function get(ctx: ResourceContext, req: ApiRequest, namespace: string, name: string): Promise<ApiResponse> {
  const { obj } = await mustGet(ctx, namespace, name);
  return presentObject(ctx, req, obj);
}

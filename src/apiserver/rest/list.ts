// LIST: a consistent snapshot read, paged with limit/continue, filtered by
// label and field selectors (over-reading pages when filtering), at the
// revision resourceVersion/resourceVersionMatch ask for.
import { apiVersionOf, type StoredObject } from '../../api/types.js';
import { badRequest, continueExpired, isResourceExpired, tooLargeResourceVersion } from '../../machinery/index.js';
import { decodeObject } from '../storage/codec.js';
import { decodeContinue, encodeContinue } from '../storage/continue.js';
import { listPrefix } from '../storage/keys.js';
import type { ResourceContext } from './context.js';
import { objectFilter, type ObjectFilter } from './filter.js';
import { presentList } from './output.js';
import type { ApiRequest, ApiResponse } from './types.js';

export interface ListResult {
  items: StoredObject[];
  revision: number;
  continue?: string;
  remainingItemCount?: number;
}

/** Parses a non-negative integer query parameter. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw badRequest(`invalid value for ${name}: ${text}`);
  return n;
}

/** The revision a list reads at: 0 for the latest. */
async function readRevision(ctx: ResourceContext, query: URLSearchParams): Promise<number> {
  const rvText = query.get('resourceVersion') ?? '';
  const match = query.get('resourceVersionMatch') ?? '';
  if (match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
    throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  if (rvText === '' || rvText === '0') {
    if (match === 'Exact' || (match !== '' && rvText === '')) {
      throw badRequest(`resourceVersionMatch is forbidden ${rvText === '' ? 'unless resourceVersion is provided' : 'for resourceVersion "0" with Exact'}`);
    }
    return 0;
  }
  const rv = Number(rvText);
  if (!Number.isSafeInteger(rv) || rv < 0) throw badRequest(`resourceVersion: Invalid value: "${rvText}": must be a non-negative integer`);
  const current = await ctx.store.revision();
  if (rv > current) throw tooLargeResourceVersion(rv, current, 1);
  return match === 'Exact' ? rv : 0;
}

/** Reads one page of matching objects. */
export async function listObjects(ctx: ResourceContext, query: URLSearchParams, namespace: string, filter: ObjectFilter): Promise<ListResult> {
  const limit = intParam(query, 'limit') ?? 0;
  const continueText = query.get('continue') ?? '';
  const prefix = listPrefix(ctx.def, namespace);
  let revision: number;
  let start: string | undefined;
  if (continueText !== '') {
    if ((query.get('resourceVersion') ?? '') !== '' && query.get('resourceVersion') !== '0') {
      throw badRequest('specifying resource version is not allowed when using continue');
    }
    const token = decodeContinue(continueText);
    revision = token.revision;
    start = token.start;
  } else {
    revision = await readRevision(ctx, query);
  }

  const items: StoredObject[] = [];
  const chunk = limit === 0 ? 0 : filter.everything ? limit : Math.max(limit, 256);
  for (;;) {
    let page;
    try {
      page = await ctx.store.page({ prefix, limit: chunk, start, revision });
    } catch (err) {
      if (continueText !== '' && isResourceExpired(err)) throw continueExpired();
      throw err;
    }
    revision = page.revision;
    for (let i = 0; i < page.items.length; i++) {
      const { key, kv } = page.items[i]!;
      const obj = decodeObject(kv);
      if (!filter.matches(obj)) continue;
      items.push(obj);
      if (limit > 0 && items.length === limit) {
        const moreHere = i < page.items.length - 1 || page.more;
        if (!moreHere) return { items, revision };
        const next = encodeContinue({ revision, start: `${key.slice(prefix.length)}\u0000` });
        const result: ListResult = { items, revision, continue: next };
        if (filter.everything) result.remainingItemCount = page.count - page.items.length;
        return result;
      }
    }
    const last = page.items[page.items.length - 1];
    if (!page.more || !last) return { items, revision };
    start = `${last.key.slice(prefix.length)}\u0000`;
  }
}

export async function list(ctx: ResourceContext, req: ApiRequest, namespace: string): Promise<ApiResponse> {
  const filter = objectFilter(ctx, req.query);
  const result = await listObjects(ctx, req.query, namespace, filter);
  const listMeta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: String(result.revision) };
  if (result.continue !== undefined) listMeta.continue = result.continue;
  if (result.remainingItemCount !== undefined) listMeta.remainingItemCount = result.remainingItemCount;
  const body = {
    kind: ctx.def.listKind,
    apiVersion: apiVersionOf(ctx.def.group, ctx.def.version),
    metadata: listMeta,
    items: result.items,
  };
  return presentList(ctx, req, body);
}

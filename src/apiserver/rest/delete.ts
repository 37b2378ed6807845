// DELETE of one object and of a collection. An object with finalizers, or
// a scheduled pod with a grace period, is only marked (deletionTimestamp)
// and lives on until its finalizers are gone or the kubelet confirms; a
// namespace becomes Terminating until the namespace controller finalizes it.
import { apiVersionOf, type StoredObject } from '../../api/types.js';
import { badRequest, conflict, isNotFound, successStatus } from '../../machinery/index.js';
import { objectKey } from '../storage/keys.js';
import { serviceReservations } from './allocate.js';
import { decodeBody, objectMediaTypes } from './body.js';
import type { ResourceContext } from './context.js';
import { objectFilter } from './filter.js';
import { mustGet } from './get.js';
import { intParam, listObjects } from './list.js';
import { rfc3339, type MutableMeta } from './meta.js';
import { writeOptions } from './options.js';
import { objectResponse, type ApiRequest, type ApiResponse } from './types.js';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

const policies = ['Orphan', 'Background', 'Foreground'];

export function deleteOptions(req: ApiRequest): DeleteOptions {
  const write = writeOptions(req.query);
  const body = (decodeBody(req, objectMediaTypes) ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the body of the request must be a DeleteOptions object');
  const grace = intParam(req.query, 'gracePeriodSeconds') ?? body.gracePeriodSeconds;
  const policy = req.query.get('propagationPolicy') ?? body.propagationPolicy;
  if (grace !== undefined && grace !== null && (typeof grace !== 'number' || !Number.isInteger(grace))) throw badRequest('gracePeriodSeconds must be an integer');
  if (policy !== undefined && policy !== null && !policies.includes(String(policy))) {
    throw badRequest(`propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"`);
  }
  const orphanText = req.query.get('orphanDependents');
  const orphan = orphanText === null ? body.orphanDependents : orphanText === 'true';
  const opts: DeleteOptions = { dryRun: write.dryRun || (Array.isArray(body.dryRun) && body.dryRun.includes('All')) };
  if (typeof grace === 'number') opts.gracePeriodSeconds = Math.max(0, grace);
  if (typeof policy === 'string') opts.propagationPolicy = policy as DeleteOptions['propagationPolicy'];
  if (typeof orphan === 'boolean') opts.orphanDependents = orphan;
  if (body.preconditions && typeof body.preconditions === 'object') opts.preconditions = body.preconditions as DeleteOptions['preconditions'];
  return opts;
}

/** The grace period a pod deletion gets: none for unscheduled or finished pods (upstream's CheckGracefulDelete). */
function podGrace(pod: StoredObject, opts: DeleteOptions): number {
  const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  return opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
}

function deletedResponse(ctx: ResourceContext, obj: StoredObject): ApiResponse {
  if (ctx.gr === 'pods') return objectResponse(200, obj);
  const details = { name: obj.metadata.name ?? '', group: ctx.def.group, kind: ctx.def.resource, uid: obj.metadata.uid ?? '' };
  return objectResponse(200, successStatus(details));
}

/** Deletes or marks one object; returns the response body object and whether it is gone. */
export async function deleteOne(ctx: ResourceContext, namespace: string, name: string, opts: DeleteOptions): Promise<{ obj: StoredObject; gone: boolean }> {
  const key = objectKey(ctx.def, namespace, name);
  for (let attempt = 0; ; attempt++) {
    const current = await mustGet(ctx, namespace, name);
    const obj = structuredClone(current.obj);
    const meta = obj.metadata as MutableMeta;
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== meta.uid) {
      throw conflict(ctx.gr, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
      throw conflict(ctx.gr, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`);
    }
    const finalizers = [...(meta.finalizers ?? [])];
    const policy = opts.propagationPolicy ?? (opts.orphanDependents === true ? 'Orphan' : undefined);
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    let grace = ctx.gr === 'pods' ? podGrace(obj, opts) : 0;
    const namespaceHeld = ctx.gr === 'namespaces' && ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0;
    if (finalizers.length > 0 || grace > 0 || namespaceHeld) {
      if (meta.deletionTimestamp !== undefined) {
        // Already being deleted: only a shorter grace period changes anything.
        const running = meta.deletionGracePeriodSeconds ?? 0;
        const added = finalizers.length !== (meta.finalizers ?? []).length;
        if (grace >= running && !added) return { obj: current.obj, gone: false };
        grace = Math.min(grace, running);
      }
      meta.finalizers = finalizers.length > 0 ? finalizers : undefined;
      if (meta.finalizers === undefined) delete meta.finalizers;
      meta.deletionTimestamp = rfc3339(new Date(ctx.now().getTime() + grace * 1000));
      meta.deletionGracePeriodSeconds = grace;
      if (ctx.gr === 'namespaces') obj.status = { ...((obj.status as object | undefined) ?? {}), phase: 'Terminating' };
      if (opts.dryRun) return { obj, gone: false };
      const out = await ctx.store.update(key, obj, current.modRevision);
      if (out.ok) return { obj: out.obj, gone: false };
    } else {
      if (opts.dryRun) return { obj: current.obj, gone: true };
      const reservations = ctx.gr === 'services' ? serviceReservations(current.obj, ctx.allocators) : [];
      const out = await ctx.store.deleteWith(key, current.modRevision, reservations);
      if (out.ok) return { obj: out.obj, gone: true };
    }
    if (attempt >= 16) throw conflict(ctx.gr, name);
  }
}

export async function remove(ctx: ResourceContext, req: ApiRequest, namespace: string, name: string): Promise<ApiResponse> {
  const opts = deleteOptions(req);
  const result = await deleteOne(ctx, namespace, name, opts);
  return result.gone ? deletedResponse(ctx, result.obj) : objectResponse(200, result.obj);
}

export async function removeCollection(ctx: ResourceContext, req: ApiRequest, namespace: string): Promise<ApiResponse> {
  const opts = deleteOptions(req);
  const filter = objectFilter(ctx, req.query);
  const query = new URLSearchParams(req.query);
  query.delete('limit');
  query.delete('continue');
  const { items, revision } = await listObjects(ctx, query, namespace, filter);
  const deleted: StoredObject[] = [];
  for (const item of items) {
    try {
      const result = await deleteOne(ctx, item.metadata.namespace ?? '', item.metadata.name ?? '', opts);
      deleted.push(result.obj);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  const body = { kind: ctx.def.listKind, apiVersion: apiVersionOf(ctx.def.group, ctx.def.version), metadata: { resourceVersion: String(revision) }, items: deleted };
  return objectResponse(200, body);
}

// Rules every object follows on create and update (upstream's
// BeforeCreate/BeforeUpdate): type meta matches the URL, server-set metadata
// (uid, creationTimestamp, generation) is the server's, and for resources
// with a status subresource spec and status are written separately.
import { randomUUID } from 'node:crypto';
import { apiVersionOf, type ObjectMeta, type StoredObject } from '../../api/types.js';
import { badRequest } from '../../machinery/index.js';
import { hasStatus, type ResourceContext } from './context.js';

export type MutableMeta = { -readonly [K in keyof ObjectMeta]: ObjectMeta[K] };

/** Fills or checks apiVersion and kind against the resource the URL names. */
export function checkTypeMeta(ctx: ResourceContext, body: Record<string, unknown>, expectKind = ctx.def.kind): StoredObject {
  const apiVersion = apiVersionOf(ctx.def.group, ctx.def.version);
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`);
  }
  if (body.kind !== undefined && body.kind !== expectKind) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${expectKind})`);
  }
  const metadata = body.metadata ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw badRequest('the object provided is unrecognized or malformed: metadata must be an object');
  }
  return { ...body, apiVersion, kind: expectKind, metadata: metadata as ObjectMeta };
}

/** The namespace the object lands in, checked against the URL's. */
export function checkNamespace(ctx: ResourceContext, obj: StoredObject, urlNamespace: string): void {
  const meta = obj.metadata as MutableMeta;
  if (!ctx.def.namespaced) {
    delete meta.namespace;
    return;
  }
  if (meta.namespace === undefined || meta.namespace === '') meta.namespace = urlNamespace;
  else if (meta.namespace !== urlNamespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export { rfc3339 };

/** Server-set metadata of a new object; status is dropped where a status subresource owns it. */
export function prepareForCreate(ctx: ResourceContext, obj: StoredObject): void {
  const meta = obj.metadata as MutableMeta;
  meta.uid = randomUUID();
  meta.creationTimestamp = rfc3339(ctx.now());
  meta.generation = 1;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if (hasStatus(ctx.def) && !keepsStatusOnCreate.has(ctx.gr)) delete obj.status;
}

/** Kinds whose creator may set status (upstream: nodes, events-like records). */
const keepsStatusOnCreate = new Set(['nodes']);

/** Fields outside metadata and status: what a generation bump compares. */
function specOf(obj: StoredObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return JSON.stringify(rest);
}

/**
 * What an update writes: the main resource (status kept from the stored
 * object), the status subresource (only status changes), or both (server
 * internal writes such as a binding).
 */
export type UpdatePart = 'main' | 'status' | 'all';

/** Carries server-set metadata from `old` into `obj` for an update of `part`. */
export function prepareForUpdate(ctx: ResourceContext, obj: StoredObject, old: StoredObject, part: UpdatePart): StoredObject {
  let next: StoredObject;
  if (part === 'status') {
    // The status subresource changes status only (plus nothing else of metadata).
    next = { ...old, status: obj.status };
    if (obj.status === undefined) delete next.status;
    next.metadata = { ...old.metadata };
  } else {
    next = obj;
    if (part === 'main' && hasStatus(ctx.def)) {
      if (old.status === undefined) delete next.status;
      else next.status = old.status;
    }
    const meta = next.metadata as MutableMeta;
    const prev = old.metadata;
    meta.uid = prev.uid;
    meta.creationTimestamp = prev.creationTimestamp;
    meta.generation = prev.generation ?? 1;
    meta.deletionTimestamp = prev.deletionTimestamp;
    meta.deletionGracePeriodSeconds = prev.deletionGracePeriodSeconds;
    if (meta.deletionTimestamp === undefined) delete meta.deletionTimestamp;
    if (meta.deletionGracePeriodSeconds === undefined) delete meta.deletionGracePeriodSeconds;
    if (prev.generateName !== undefined) meta.generateName = prev.generateName;
    if (specOf(next) !== specOf(old)) meta.generation = (prev.generation ?? 1) + 1;
  }
  return next;
}

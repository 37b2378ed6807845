// Read-modify-write of one object (upstream's GuaranteedUpdate): read the
// current object, let the caller build the next one, apply the update rules,
// and compare-and-swap; retry when someone else wrote in between, unless the
// caller asked for a specific resourceVersion (then 409 Conflict).
import type { StoredObject } from '../../api/types.js';
import { conflict, invalid, notFound } from '../../machinery/index.js';
import { admitMutating, admitValidating, type AdmissionAttributes } from '../admission/index.js';
import type { FieldCheck } from '../openapi/index.js';
import { objectKey } from '../storage/keys.js';
import type { Current } from '../storage/store.js';
import { validateUpdate } from '../validation/index.js';
import { carryServiceAllocations, serviceReservations } from './allocate.js';
import type { ResourceContext } from './context.js';
import { mustGet } from './get.js';
import { prepareForUpdate, type UpdatePart } from './meta.js';
import type { UserInfo } from './types.js';

export interface WriteResult {
  obj: StoredObject;
  /** True when the update removed the last finalizer of an object being deleted, so it is gone. */
  deleted: boolean;
}

export interface UpdateOptions {
  dryRun: boolean;
  part: UpdatePart;
  /** Checks the caller's object for fields its schema does not declare (the request's fieldValidation). */
  fields?: FieldCheck;
  /**
   * Sets the managedFields of the object about to be written, from the
   * stored object, the prepared next one and what the mutation returned.
   */
  manage?: (current: StoredObject, prepared: StoredObject, mutated: StoredObject) => StoredObject;
  /** The requesting user: the update passes admission (writes by the server itself, without one, do not). */
  user?: UserInfo;
}

/** Builds the next object from the current one; a resourceVersion on the result is a precondition. */
export type Mutation = (current: StoredObject) => StoredObject | Promise<StoredObject>;

const maxAttempts = 16;

function sameContent(a: StoredObject, b: StoredObject): boolean {
  const strip = (o: StoredObject) => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return strip(a) === strip(b);
}

/** Finalization ends in deletion: no finalizers left and no grace period running. */
function finished(obj: StoredObject): boolean {
  const meta = obj.metadata;
  // A namespace is also held by its spec finalizers until the namespace controller empties it.
  const held = ((obj.spec as { finalizers?: unknown[] } | undefined)?.finalizers ?? []).length > 0 && obj.kind === 'Namespace';
  return meta.deletionTimestamp !== undefined && !held && (meta.finalizers ?? []).length === 0 && (meta.deletionGracePeriodSeconds ?? 0) === 0;
}

export async function guaranteedUpdate(ctx: ResourceContext, namespace: string, name: string, mutate: Mutation, opts: UpdateOptions): Promise<WriteResult> {
  const key = objectKey(ctx.def, namespace, name);
  let current: Current = await mustGet(ctx, namespace, name);
  for (let attempt = 0; ; attempt++) {
    const mutated = await mutate(structuredClone(current.obj));
    const next = opts.fields ? opts.fields.check(mutated, current.obj) : mutated;
    const precondition = next.metadata.resourceVersion;
    if (precondition !== undefined && precondition !== '' && precondition !== String(current.modRevision)) {
      throw conflict(ctx.gr, name);
    }
    let prepared = prepareForUpdate(ctx, next, current.obj, opts.part);
    if (opts.part !== 'status') ctx.def.defaulter?.(prepared);
    if (ctx.gr === 'services' && opts.part !== 'status') carryServiceAllocations(prepared, current.obj);
    if (opts.manage) prepared = opts.manage(current.obj, prepared, next);
    const subresource = opts.part === 'status' ? 'status' : '';
    const admission: AdmissionAttributes | undefined = opts.user && {
      operation: 'UPDATE',
      gr: ctx.gr,
      subresource,
      namespace,
      name,
      object: prepared,
      oldObject: current.obj,
      user: opts.user,
      dryRun: opts.dryRun,
    };
    if (admission) await admitMutating(ctx, admission);
    const errors = validateUpdate(ctx.gr, ctx.def.namespaced, prepared, current.obj);
    if (errors.length > 0) throw invalid(ctx.gk, name, errors);
    if (admission) await admitValidating(ctx, admission);
    if (finished(prepared)) {
      if (opts.dryRun) return { obj: prepared, deleted: true };
      const reservations = ctx.gr === 'services' ? serviceReservations(current.obj, ctx.allocators) : [];
      const out = await ctx.store.deleteWith(key, current.modRevision, reservations);
      if (out.ok) return { obj: out.obj, deleted: true };
      current = await retryState(ctx, out.current, precondition, name, attempt);
      continue;
    }
    if (sameContent(prepared, current.obj)) return { obj: current.obj, deleted: false };
    if (opts.dryRun) return { obj: prepared, deleted: false };
    const out = await ctx.store.update(key, prepared, current.modRevision);
    if (out.ok) return { obj: out.obj, deleted: false };
    current = await retryState(ctx, out.current, precondition, name, attempt);
  }
}

async function retryState(ctx: ResourceContext, current: Current | undefined, precondition: string | undefined, name: string, attempt: number): Promise<Current> {
  if ((precondition !== undefined && precondition !== '') || attempt + 1 >= maxAttempts) throw conflict(ctx.gr, name);
  if (!current) throw notFound(ctx.gr, name);
  return current;
}

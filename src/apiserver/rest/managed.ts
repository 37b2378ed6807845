// Field management in the write verbs: every create, update and patch
// records who changed which fields (metadata.managedFields). Recording never
// fails a write (as upstream, a failure drops managedFields and is logged);
// entries the client supplied that would be stored invalid are a 422.
import type { StoredObject } from '../../api/types.js';
import { invalid } from '../../machinery/index.js';
import { kindFields, recordUpdate, validateManagedFields, type ManagedFieldsEntry } from '../fieldmanager/index.js';
import type { ResourceContext } from './context.js';
import { rfc3339, type MutableMeta } from './meta.js';

/** Throws 422 Invalid when the managedFields `obj` would be stored with are not valid. */
export function checkManagedFields(ctx: ResourceContext, obj: StoredObject): void {
  const entries = obj.metadata.managedFields as ManagedFieldsEntry[] | undefined;
  const errors = validateManagedFields(entries ?? []);
  if (errors.length > 0) throw invalid(ctx.gk, obj.metadata.name ?? obj.metadata.generateName ?? '', errors);
}

/** `next` with managedFields recording a write by `manager` (`live` undefined: a create). */
export function recordWrite(ctx: ResourceContext, live: StoredObject | undefined, next: StoredObject, manager: string, subresource: string): StoredObject {
  let out: StoredObject;
  try {
    out = recordUpdate(kindFields(ctx.def), live, next, { manager, subresource, time: rfc3339(ctx.now()) });
  } catch (err) {
    ctx.logger.error('failed to update managedFields', { resource: ctx.gr, name: next.metadata.name ?? '', err: err instanceof Error ? err.message : String(err) });
    const meta = { ...next.metadata } as MutableMeta;
    delete meta.managedFields;
    out = { ...next, metadata: meta };
  }
  checkManagedFields(ctx, out);
  return out;
}

/** The guaranteedUpdate hook that records an update or patch through `subresource` ('' for the main resource). */
export function recordingUpdate(ctx: ResourceContext, manager: string, subresource: string) {
  return (current: StoredObject, prepared: StoredObject): StoredObject => recordWrite(ctx, current, prepared, manager, subresource);
}

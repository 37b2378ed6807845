// Server-side apply (upstream's Apply path of the field manager): the
// applied configuration is merged into the live object; fields the same
// manager applied before and no longer applies are removed unless someone
// else owns them; fields the apply changes that other managers own are a
// conflict, unless forced, when they change hands. The manager's entry
// (operation Apply) is exactly the set of fields in the configuration.
import { capUpdateManagers } from './cap.js';
import { changed, compare, withoutIgnored } from './compare.js';
import { conflictError, type Conflict } from './conflicts.js';
import type { FieldSet } from './fieldset.js';
import { jsonEqual, type JsonObject } from './json.js';
import { serverFields, type KindFields } from './kind.js';
import { hasLastApplied, kubectlManager, stillLastApplied, withLastApplied } from './lastapplied.js';
import { decodeStored, dropEmpty, encodeManaged, managerIdentity, type ManagedEntry } from './managed.js';
import { mergeApplied } from './merge.js';
import { managedFieldsOf, withManagedFields, withoutManagedFields } from './objects.js';
import { fieldsOf } from './owned.js';
import { fieldElement } from './pathelement.js';
import { removeFields } from './remove.js';
import type { WriteOrigin } from './update.js';

/** The object without the top-level fields the write does not own (status, for the main resource). */
function ownablePart(obj: JsonObject, ignored: FieldSet): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(obj)) if (!ignored.has([fieldElement(key)])) out[key] = value;
  return out;
}

export interface ApplyOrigin extends WriteOrigin {
  /** Take fields other managers own instead of failing with a conflict. */
  force: boolean;
}

/**
 * The object after applying `config` to `live` (undefined: the apply
 * creates it), with its managedFields. Throws a 409 Conflict naming the
 * fields other managers own unless forced. The configuration is assumed
 * checked (apiVersion, kind, no managedFields).
 */
export function recordApply(kind: KindFields, live: JsonObject | undefined, config: JsonObject, origin: ApplyOrigin): JsonObject {
  const managed = decodeStored(managedFieldsOf(live));
  const before = live === undefined ? {} : withoutManagedFields(live);
  const who = { manager: origin.manager, operation: 'Apply' as const, apiVersion: kind.apiVersion, subresource: origin.subresource };
  const id = managerIdentity(who);
  const previous = managed.get(id);
  const ignored = kind.ignored(origin.subresource, config);
  const applied = fieldsOf(config, kind.type).recursiveDifference(ignored);

  let merged = mergeApplied(before, config, kind.type) as JsonObject;
  if (previous && !previous.set.isEmpty()) {
    let ownedByAnyone = applied;
    for (const [other, entry] of managed) if (other !== id) ownedByAnyone = ownedByAnyone.union(entry.set);
    const dropped = previous.set.withFieldsAsMembers().difference(ownedByAnyone.withFieldsAsMembers());
    if (!dropped.isEmpty()) merged = removeFields(merged, dropped, kind.type) as JsonObject;
  }

  const diff = withoutIgnored(compare(before, merged, kind.type), ignored);
  const taken = changed(diff);
  const conflicts: Conflict[] = [];
  for (const [other, entry] of managed) {
    if (other === id) continue;
    for (const path of entry.set.intersection(taken).paths()) conflicts.push({ manager: other, path });
  }
  if (conflicts.length > 0 && !origin.force) {
    const forgiven = origin.manager === kubectlManager && live !== undefined ? stillLastApplied(before, kind.type, kind.apiVersion) : undefined;
    const remaining = forgiven ? conflicts.filter((c) => !forgiven.has(c.path)) : conflicts;
    if (remaining.length > 0) throw conflictError(remaining);
  }
  for (const [other, entry] of managed) if (other !== id) entry.set = entry.set.difference(taken).difference(diff.removed);

  // A status in a main-resource apply is dropped when the object is prepared: it changes nothing.
  const changedObject = !jsonEqual(ownablePart(before, ignored), ownablePart(merged, ignored));
  const entry: ManagedEntry = { ...who, set: applied.difference(serverFields) };
  const time = changedObject ? origin.time : previous?.time;
  if (time !== undefined) entry.time = time;
  managed.set(id, entry);
  dropEmpty(managed);
  capUpdateManagers(managed);

  let result = withManagedFields(changedObject ? merged : before, encodeManaged(managed));
  if (origin.manager === kubectlManager && live !== undefined && hasLastApplied(before)) result = withLastApplied(result, config);
  return result;
}

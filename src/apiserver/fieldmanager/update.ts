// Records a create, update or non-apply patch (upstream's Update path of
// the field manager): the fields the write changed move to its manager,
// from whoever owned them; fields it removed are no longer anyone's. The
// manager's entry (operation Update) keeps what it owned before and gets
// the write's time when the write took anything.
import { capUpdateManagers } from './cap.js';
import { changed, compare, withoutIgnored } from './compare.js';
import type { JsonObject } from './json.js';
import { serverFields, type KindFields } from './kind.js';
import { decodeManaged, decodeStored, dropEmpty, encodeManaged, isResetList, managerIdentity, type Managed } from './managed.js';
import { managedFieldsOf, withManagedFields, withoutManagedFields } from './objects.js';

export interface WriteOrigin {
  manager: string;
  /** '' for the main resource, else `status`, `scale`, ... */
  subresource: string;
  /** The write's time, RFC 3339 with seconds. */
  time: string;
}

/**
 * Where an update starts: the list the request carries when it decodes and
 * is not empty (clients may edit managedFields), the reset list gives
 * nothing, otherwise (and always for subresources) the stored object's.
 */
function startingPoint(live: JsonObject | undefined, next: JsonObject, subresource: string): Managed {
  const supplied = managedFieldsOf(next);
  if (subresource === '') {
    if (isResetList(supplied)) return new Map();
    try {
      const managed = decodeManaged(supplied);
      if (managed.size > 0) return managed;
    } catch {
      // Malformed entries from the client are ignored.
    }
  }
  return decodeStored(managedFieldsOf(live));
}

/** `next` with the managedFields this write leaves; `live` is undefined for a create. */
export function recordUpdate<T extends JsonObject>(kind: KindFields, live: JsonObject | undefined, next: T, origin: WriteOrigin): T {
  const managed = startingPoint(live, next, origin.subresource);
  const after = withoutManagedFields(next);
  const before = live === undefined ? kind.zero(after) : withoutManagedFields(live);
  const diff = withoutIgnored(compare(before, after, kind.type), kind.ignored(origin.subresource, after));
  const taken = changed(diff);
  for (const entry of managed.values()) entry.set = entry.set.difference(taken).difference(diff.removed);
  dropEmpty(managed);
  const own = taken.difference(serverFields);
  if (!own.isEmpty()) {
    const who = { manager: origin.manager, operation: 'Update' as const, apiVersion: kind.apiVersion, subresource: origin.subresource };
    const id = managerIdentity(who);
    const previous = managed.get(id);
    managed.set(id, { ...who, time: origin.time, set: previous ? own.union(previous.set) : own });
  }
  capUpdateManagers(managed);
  return withManagedFields(next, encodeManaged(managed));
}

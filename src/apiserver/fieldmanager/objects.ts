// Reading and replacing an object's metadata.managedFields without
// touching the caller's object.
import { isObject, type JsonObject } from './json.js';
import type { ManagedFieldsEntry } from './managed.js';

function metadataOf(obj: JsonObject): JsonObject {
  return isObject(obj.metadata) ? obj.metadata : {};
}

export function managedFieldsOf(obj: JsonObject | undefined): unknown {
  return obj === undefined ? undefined : metadataOf(obj).managedFields;
}

/** A shallow copy without metadata.managedFields (what field sets are computed on). */
export function withoutManagedFields<T extends JsonObject>(obj: T): T {
  const { managedFields: _dropped, ...metadata } = metadataOf(obj);
  return { ...obj, metadata };
}

/**
 * A shallow copy carrying `entries` (none: the field is left out, as
 * upstream stores an empty list). The list is always the last field of
 * metadata, so a write that changes nothing stores the same bytes.
 */
export function withManagedFields<T extends JsonObject>(obj: T, entries: readonly ManagedFieldsEntry[]): T {
  const { managedFields: _dropped, ...metadata } = metadataOf(obj);
  return { ...obj, metadata: entries.length > 0 ? { ...metadata, managedFields: entries } : metadata };
}

// The directives of strategic merge patch and the two pieces of their
// handling that do not depend on lists: `$retainKeys`, and turning patch
// content that has nothing to merge with into plain data.
import { badPrimitiveList, badRetainKeys, badSetElementOrder } from './errors.js';
import { hasOwn, isObject, put, type JsonObject } from './json.js';

/** `$patch: replace|delete|merge` on a map or as a list element. */
export const directiveMarker = '$patch';
/** `$retainKeys: [...]`: the map keeps only these keys before the patch merges in. */
export const retainKeysDirective = '$retainKeys';
/** `$deleteFromPrimitiveList/<list>: [...]`: values to remove from a primitive list. */
export const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';
/** `$setElementOrder/<list>: [...]`: the order the merged list must follow. */
export const setElementOrderPrefix = '$setElementOrder';

export function isDirectiveKey(key: string): boolean {
  return (
    key === directiveMarker ||
    key === retainKeysDirective ||
    key.startsWith(deleteFromPrimitiveListPrefix) ||
    key.startsWith(setElementOrderPrefix)
  );
}

/** The list a `<prefix>/<list>` key names; the prefix must be followed by `/`. */
export function extractKey(key: string, prefix: typeof deleteFromPrimitiveListPrefix | typeof setElementOrderPrefix): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === deleteFromPrimitiveListPrefix ? badPrimitiveList() : badSetElementOrder();
  }
  return key.slice(slash + 1);
}

/**
 * Applies `$retainKeys` of `patch` to `target` (a copy the caller owns):
 * every key of the patch that is set must be listed, and keys of `target`
 * not listed are dropped. Nothing happens without the directive.
 */
export function applyRetainKeys(target: JsonObject, patch: Readonly<JsonObject>): void {
  if (!hasOwn(patch, retainKeysDirective)) return;
  const retained = patch[retainKeysDirective];
  if (!Array.isArray(retained)) throw badRetainKeys();
  for (const [key, value] of Object.entries(patch)) {
    if (key === retainKeysDirective || value === null) continue;
    if (key.startsWith(deleteFromPrimitiveListPrefix) || key.startsWith(setElementOrderPrefix)) continue;
    if (!retained.includes(key)) throw badRetainKeys();
  }
  for (const key of Object.keys(target)) if (!retained.includes(key)) delete target[key];
}

/**
 * Patch content taken as it is because the original has nothing there: nulls
 * in maps are dropped, directive keys removed, and a list element or map
 * value carrying `$patch` is dropped, as upstream does. One exception: a map
 * value with `$patch: replace` keeps its content (upstream drops it, losing
 * the replacement). Returns undefined when the value itself is dropped.
 */
export function stripPatch(value: unknown): unknown {
  if (Array.isArray(value)) return stripList(value);
  if (!isObject(value)) return value;
  if (hasOwn(value, directiveMarker) && value[directiveMarker] !== 'replace') return undefined;
  return stripMap(value);
}

/** A map of patch content without nulls and directives. */
export function stripMap(map: Readonly<JsonObject>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(map)) {
    if (value === null || isDirectiveKey(key)) continue;
    const stripped = stripPatch(value);
    if (stripped !== undefined) put(out, key, stripped);
  }
  return out;
}

/** A list of patch content without directive elements; nested maps stripped. */
export function stripList(list: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const value of list) {
    if (isObject(value) && hasOwn(value, directiveMarker)) continue;
    out.push(Array.isArray(value) ? stripList(value) : isObject(value) ? stripMap(value) : value);
  }
  return out;
}

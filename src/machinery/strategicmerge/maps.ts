// Merging a map of the original with a map of the patch, key by key, in
// upstream's order of work: a `$patch` directive on the map first, then
// `$retainKeys`, then every `$setElementOrder` list together with the list
// it orders, then the remaining keys (`null` deletes, `$deleteFromPrimitiveList`
// removes values, maps recurse, lists merge by their field's strategy,
// anything else replaces).
import type { PatchMeta } from '../../api/patchmeta/index.js';
import { badRequest } from '../errors.js';
import {
  applyRetainKeys,
  deleteFromPrimitiveListPrefix,
  directiveMarker,
  extractKey,
  retainKeysDirective,
  setElementOrderPrefix,
  stripList,
  stripMap,
  stripPatch,
} from './directives.js';
import { badArgType, badPatchType } from './errors.js';
import { goValue, hasOwn, isObject, kindOf, put, type JsonObject } from './json.js';
import { fieldStrategy, mergeListField, serverOrderAfterMerge } from './lists.js';
import { elementKind, normalizeOrder, partition, sameElement } from './order.js';

const sliceType = '[]interface {}';

/** The merge of `patch` into `original`; neither is modified, the result shares no maps or lists with the patch. */
export function mergeMap(original: Readonly<JsonObject>, patch: Readonly<JsonObject>, meta: PatchMeta): JsonObject {
  if (hasOwn(patch, directiveMarker)) {
    const directive = patch[directiveMarker];
    if (directive === 'replace') return stripMap(patch);
    if (directive === 'delete') return {};
    throw badPatchType(directive, patch);
  }
  const out: JsonObject = { ...original };
  applyRetainKeys(out, patch);
  const done = applyElementOrders(out, patch, meta);
  for (const [key, value] of Object.entries(patch)) {
    if (key !== retainKeysDirective && !done.has(key)) mergeEntry(out, key, value, meta);
  }
  return out;
}

function setStripped(out: JsonObject, key: string, value: unknown): void {
  const stripped = stripPatch(value);
  if (stripped === undefined) delete out[key];
  else put(out, key, stripped);
}

function mergeEntry(out: JsonObject, key: string, value: unknown, meta: PatchMeta): void {
  const isDeleteList = key.startsWith(deleteFromPrimitiveListPrefix);
  const name = isDeleteList ? extractKey(key, deleteFromPrimitiveListPrefix) : key;
  if (value === null) {
    delete out[name];
    return;
  }
  if (!hasOwn(out, name) || kindOf(out[name]) !== kindOf(value)) {
    // Nothing to merge with: take the patch's value, unless it only lists values to delete.
    if (!isDeleteList) setStripped(out, name, value);
    return;
  }
  const current = out[name];
  const field = meta.field(name);
  if (isObject(current) && isObject(value)) {
    put(out, name, fieldStrategy(field) === 'replace' ? stripMap(value) : mergeMap(current, value, field.meta));
  } else if (Array.isArray(current) && Array.isArray(value)) {
    put(out, name, mergeListField(current, value, field, isDeleteList, mergeMap));
  } else {
    put(out, name, value);
  }
}

/**
 * Processes each `$setElementOrder/<list>` of the patch: merges the named
 * list (if the patch has it) and orders the result. Returns the keys it
 * consumed, directives and lists, so the main loop skips them.
 */
function applyElementOrders(out: JsonObject, patch: Readonly<JsonObject>, meta: PatchMeta): Set<string> {
  const done = new Set<string>();
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    done.add(key);
    if (!Array.isArray(order)) throw badArgType(sliceType, order);
    const name = extractKey(key, setElementOrderPrefix);
    const original = listAt(out, name);
    const patchList = listAt(patch, name);
    const field = meta.field(name);
    checkOrder(patchList ?? [], order, field.mergeKey);
    if (original === undefined && patchList === undefined) continue;
    let merged: unknown[];
    let serverOrder = original ?? [];
    if (patchList === undefined) merged = [...serverOrder];
    else if (original === undefined) merged = stripList(patchList);
    else {
      merged = mergeListField(original, patchList, field, false, mergeMap);
      if (fieldStrategy(field) === 'merge' && field.mergeKey !== '') serverOrder = serverOrderAfterMerge(original, patchList, field.mergeKey);
    }
    done.add(name);
    put(out, name, orderLike(merged, order, serverOrder, original ?? [], patchList ?? [], field.mergeKey));
  }
  return done;
}

/** The list at `key`, undefined when absent; any other value there is an error. */
function listAt(map: Readonly<JsonObject>, key: string): readonly unknown[] | undefined {
  if (!hasOwn(map, key)) return undefined;
  const value = map[key];
  if (!Array.isArray(value)) throw badArgType(sliceType, value);
  return value;
}

/** Orders `merged` by a `$setElementOrder` list: named elements in its order, server-only ones interleaved. */
function orderLike(
  merged: unknown[],
  order: readonly unknown[],
  serverOrder: readonly unknown[],
  original: readonly unknown[],
  patch: readonly unknown[],
  mergeKey: string,
): unknown[] {
  // Nothing to order. (Upstream fails here on an empty list; a list of maps without a key has no identities.)
  if (merged.length === 0) return merged;
  const kind = elementKind([original, patch]);
  if (kind === 'object' && mergeKey === '') return merged;
  const [named, serverOnly] = partition(merged, order, mergeKey);
  return normalizeOrder(named, serverOnly, order, serverOrder, mergeKey, kind);
}

/**
 * Checks that the patch list names its elements in the relative order of
 * the `$setElementOrder` list and names none it lacks (deletions and other
 * directive elements aside).
 */
function checkOrder(patchList: readonly unknown[], order: readonly unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items =
    mergeKey === ''
      ? patchList
      : patchList.filter((v) => {
          if (!isObject(v)) throw badArgType('map[string]interface {}', v);
          return v[directiveMarker] !== 'delete';
        });
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isObject(item) && hasOwn(item, directiveMarker)) {
      p++;
      continue;
    }
    if (sameElement(item, order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length) {
    throw badRequest(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${goValue(order)}\n`);
  }
}

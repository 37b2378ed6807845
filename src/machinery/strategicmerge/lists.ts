// Merging a list of the original with a list of the patch. Lists whose
// field has the merge strategy merge: maps element by element by merge key
// (honouring `$patch: delete|replace` elements), primitives as an ordered
// set; a `$deleteFromPrimitiveList` list removes values whatever the field's
// strategy. Every other list is replaced by the patch's.
import type { FieldPatchMeta, PatchMeta } from '../../api/patchmeta/index.js';
import { badRequest } from '../errors.js';
import { directiveMarker, stripList, stripMap } from './directives.js';
import { badPatchType, noMergeKey } from './errors.js';
import { hasOwn, isObject, type JsonObject } from './json.js';
import { elementKind, normalizeOrder, partition } from './order.js';

/** Merges two maps under a navigator; passed in to keep the files free of import cycles. */
export type MergeMap = (original: Readonly<JsonObject>, patch: Readonly<JsonObject>, meta: PatchMeta) => JsonObject;

/** The field's strategy other than retainKeys ('' when none). */
export function fieldStrategy(field: FieldPatchMeta): string {
  return field.strategies.find((s) => s !== 'retainKeys') ?? '';
}

/** The list that results from patching `original` with `patch` at a field described by `field`. */
export function mergeListField(
  original: readonly unknown[],
  patch: readonly unknown[],
  field: FieldPatchMeta,
  isDeleteList: boolean,
  mergeMap: MergeMap,
): unknown[] {
  if (fieldStrategy(field) === 'merge' || isDeleteList) return mergeList(original, patch, field, isDeleteList, mergeMap);
  return stripList(patch);
}

function mergeList(original: readonly unknown[], patch: readonly unknown[], field: FieldPatchMeta, isDeleteList: boolean, mergeMap: MergeMap): unknown[] {
  if (original.length === 0 && patch.length === 0) return [];
  const kind = elementKind([original, patch]);
  const mergeKey = field.mergeKey;
  let base: readonly unknown[] = original;
  let items: readonly unknown[] = patch;
  let merged: unknown[];
  if (kind !== 'object') {
    if (isDeleteList) return original.filter((v) => !patch.includes(v));
    merged = [...new Set([...original, ...patch])];
  } else {
    if (mergeKey === '') throw badRequest(`cannot merge lists without merge key for ${field.meta.name}`);
    // elementKind saw only maps, so filtering keeps every element and narrows the type.
    const [kept, rest] = applySpecialElements(original, patch.filter(isObject), mergeKey);
    base = kept;
    items = rest;
    merged = mergeByKey(kept, rest, mergeKey, field.meta, mergeMap);
  }
  const [named, serverOnly] = partition(merged, items, mergeKey);
  return normalizeOrder(named, serverOnly, items, base, mergeKey, kind);
}

/**
 * Handles the directive elements of a patch list of maps: `$patch: delete`
 * removes every original element with that key value, `$patch: replace`
 * makes the patch's other elements the whole list. Returns the original to
 * merge into and the patch elements left to merge.
 */
function applySpecialElements(original: readonly unknown[], patch: readonly JsonObject[], mergeKey: string): [unknown[], JsonObject[]] {
  let base = [...original];
  const items: JsonObject[] = [];
  let replace = false;
  for (const element of patch) {
    if (!hasOwn(element, directiveMarker)) {
      items.push(element);
      continue;
    }
    const directive = element[directiveMarker];
    if (directive === 'delete') {
      if (!hasOwn(element, mergeKey)) throw noMergeKey(element, mergeKey);
      const value = element[mergeKey];
      base = base.filter((e) => !(isObject(e) && hasOwn(e, mergeKey) && e[mergeKey] === value));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw badRequest('merging lists cannot yet be specified in the patch');
    } else {
      throw badPatchType(directive, element);
    }
  }
  return replace ? [items.map((e) => stripMap(e)), []] : [base, items];
}

/** Merges each patch element into the original element with its key value, or appends it. */
function mergeByKey(base: readonly unknown[], items: readonly JsonObject[], mergeKey: string, meta: PatchMeta, mergeMap: MergeMap): unknown[] {
  const out = [...base];
  for (const item of items) {
    if (!hasOwn(item, mergeKey)) throw noMergeKey(item, mergeKey);
    const value = item[mergeKey];
    const at = out.findIndex((e) => isObject(e) && hasOwn(e, mergeKey) && e[mergeKey] === value);
    const existing = at >= 0 ? out[at] : undefined;
    if (isObject(existing)) out[at] = mergeMap(existing, item, meta);
    else out.push(stripMap(item));
  }
  return out;
}

/**
 * The server order the `$setElementOrder` step compares against after a list
 * of maps was merged. Upstream merges in place: a deletion shifts the later
 * elements left (the last slot keeps a stale copy) and new elements fill the
 * freed slots, and its ordering step then reads that same storage. So a new
 * element takes the place of a deleted one relative to server-only elements.
 * Without deletions this is the original list unchanged.
 */
export function serverOrderAfterMerge(original: readonly unknown[], patch: readonly unknown[], mergeKey: string): unknown[] {
  const slots = [...original];
  let length = slots.length;
  const indexOf = (value: unknown): number => slots.slice(0, length).findIndex((e) => isObject(e) && hasOwn(e, mergeKey) && e[mergeKey] === value);
  let replace = false;
  for (const element of patch) {
    if (!isObject(element)) continue;
    if (element[directiveMarker] === 'replace') replace = true;
    if (element[directiveMarker] !== 'delete') continue;
    for (let i = indexOf(element[mergeKey]); i >= 0; i = indexOf(element[mergeKey])) {
      slots.copyWithin(i, i + 1, length);
      length--;
    }
  }
  if (replace) return slots;
  for (const element of patch) {
    if (!isObject(element) || hasOwn(element, directiveMarker) || indexOf(element[mergeKey]) >= 0) continue;
    if (length === slots.length) break;
    slots[length++] = element;
  }
  return slots;
}

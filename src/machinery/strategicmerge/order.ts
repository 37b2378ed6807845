// Ordering of merged lists, as upstream's strategic merge orders them:
// elements named by the patch (or by `$setElementOrder`) come in that order,
// elements only the server has keep their server order, and the two runs
// are interleaved so that a server-only element stays ahead of a patch
// element it preceded on the server. Elements are identified by their merge
// key value, primitives by value.
import { badRequest } from '../errors.js';
import { directiveMarker } from './directives.js';
import { badArgType, noMergeKey, unprocessablePatch } from './errors.js';
import { goValue, hasOwn, isObject, kindOf, type JsonKind } from './json.js';

const mapType = 'map[string]interface {}';

/**
 * The one kind shared by the elements of all `lists`. Lists of lists are
 * refused (422, as upstream); mixed kinds and all-empty lists are errors.
 */
export function elementKind(lists: readonly (readonly unknown[])[]): JsonKind {
  let kind: JsonKind | undefined;
  for (const list of lists) {
    for (const value of list) {
      const k = kindOf(value);
      if (kind === undefined) {
        if (k === 'array') throw unprocessablePatch('lists of lists are not supported');
        kind = k;
      } else if (k !== kind) {
        throw badRequest(`list element types are not identical: ${goValue(lists)}`);
      }
    }
  }
  if (kind === undefined) throw badRequest('no elements in any of the given slices');
  return kind;
}

/** Checks that every element is a map carrying the merge key. */
export function requireMergeKey(mergeKey: string, ...lists: (readonly unknown[])[]): void {
  for (const list of lists) {
    for (const value of list) {
      if (!isObject(value)) throw badArgType(mapType, value);
      if (!hasOwn(value, mergeKey)) throw noMergeKey(value, mergeKey);
    }
  }
}

/** Whether two elements have the same identity: equal merge key values, or equal primitives without a key. */
export function sameElement(left: unknown, right: unknown, mergeKey: string): boolean {
  if (mergeKey === '') return left === right;
  if (!isObject(left)) throw badArgType(mapType, left);
  if (!isObject(right)) throw badArgType(mapType, right);
  if (!hasOwn(left, mergeKey)) throw noMergeKey(left, mergeKey);
  if (!hasOwn(right, mergeKey)) throw noMergeKey(right, mergeKey);
  return left[mergeKey] === right[mergeKey];
}

function identity(value: unknown, mergeKey: string, kind: JsonKind): unknown {
  if (kind !== 'object') return value;
  return isObject(value) ? value[mergeKey] : undefined;
}

function indexIn(list: readonly unknown[], value: unknown, mergeKey: string, kind: JsonKind): number {
  const id = identity(value, mergeKey, kind);
  return list.findIndex((item) => identity(item, mergeKey, kind) === id);
}

/** Splits `merged` into the elements `by` names and the others, keeping their order. */
export function partition(merged: readonly unknown[], by: readonly unknown[], mergeKey: string): [unknown[], unknown[]] {
  const named: unknown[] = [];
  const others: unknown[] = [];
  for (const value of merged) {
    let found: boolean;
    if (mergeKey === '') {
      found = by.includes(value);
    } else {
      if (!isObject(value)) throw badArgType(mapType, value);
      if (!hasOwn(value, mergeKey)) throw noMergeKey(value, mergeKey);
      found = by.some((item, i) => {
        if (!isObject(item)) throw badRequest(`value for key ${i} is not a map`);
        return hasOwn(item, mergeKey) && item[mergeKey] === value[mergeKey];
      });
    }
    (found ? named : others).push(value);
  }
  return [named, others];
}

/** `list` sorted by position in `order` (stable; unlisted elements last), `$patch: delete` elements at the end. */
function sortByOrder(list: readonly unknown[], order: readonly unknown[], mergeKey: string, kind: JsonKind): unknown[] {
  let kept = [...list];
  let deletions: unknown[] = [];
  if (kind === 'object') {
    requireMergeKey(mergeKey, list, order);
    deletions = kept.filter((v) => isObject(v) && v[directiveMarker] === 'delete');
    kept = kept.filter((v) => !(isObject(v) && v[directiveMarker] === 'delete'));
  }
  const position = (v: unknown): number => {
    const i = indexIn(order, v, mergeKey, kind);
    return i < 0 ? order.length : i;
  };
  return [...kept.sort((a, b) => position(a) - position(b)), ...deletions];
}

/**
 * The final order of a merged list: `named` sorted by `namedOrder`,
 * `serverOnly` by `serverOrder`, then interleaved, taking a server-only
 * element first only when both are on the server and it came first there.
 */
export function normalizeOrder(
  named: readonly unknown[],
  serverOnly: readonly unknown[],
  namedOrder: readonly unknown[],
  serverOrder: readonly unknown[],
  mergeKey: string,
  kind: JsonKind,
): unknown[] {
  const right = sortByOrder(named, namedOrder, mergeKey, kind);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey, kind);
      const ri = indexIn(serverOrder, right[j], mergeKey, kind);
      out.push(li >= 0 && ri >= 0 && li < ri ? left[i++] : right[j++]);
    }
  }
  return out;
}

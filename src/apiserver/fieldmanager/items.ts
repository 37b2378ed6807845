// How field management walks a value of a given type: objects field by
// field unless atomic, lists item by item when keyed or a set.
import { isObject, type JsonObject } from './json.js';
import { keyElement, valueElement, type PathElement } from './pathelement.js';
import type { FieldType } from './schema.js';

/** True when a struct or map is walked field by field (not atomic, and the value is an object). */
export function granularObject(type: FieldType, value: unknown): value is JsonObject {
  return isObject(value) && !type.atomic && (type.kind === 'struct' || type.kind === 'map' || type.kind === 'untyped');
}

/**
 * The path elements of a keyed list's or a set's items, or undefined when
 * the list cannot be taken item by item (an item without any key field, a
 * duplicate key or value, an object in a set): it is then owned whole.
 */
export function itemElements(type: FieldType, list: readonly unknown[]): PathElement[] | undefined {
  if (type.kind !== 'list' || type.listType === 'atomic') return undefined;
  const out: PathElement[] = [];
  const seen = new Set<PathElement>();
  for (const item of list) {
    let pe: PathElement;
    if (type.listType === 'map') {
      if (!isObject(item)) return undefined;
      const key: JsonObject = {};
      for (const k of type.keys) if (item[k] !== undefined) key[k] = item[k];
      if (Object.keys(key).length === 0) return undefined;
      pe = keyElement(key);
    } else {
      if (typeof item === 'object' && item !== null) return undefined;
      pe = valueElement(item);
    }
    if (seen.has(pe)) return undefined;
    seen.add(pe);
    out.push(pe);
  }
  return out;
}

// What changed between two versions of an object, as field sets (upstream's
// typed Compare): fields only the new version has are added, fields only
// the old one has are removed, leaves whose values differ are modified.
// Structs, maps, keyed lists and sets are walked item by item; an object or
// list item that appears or disappears is itself added or removed, besides
// the fields inside it. Empty or null on both sides compares as one value.
import { FieldSet } from './fieldset.js';
import { fieldElement, type Path, type PathElement } from './pathelement.js';
import type { FieldType } from './schema.js';
import { granularObject, itemElements } from './items.js';
import { emptyValue, jsonEqual } from './json.js';

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

export function compare(before: unknown, after: unknown, type: FieldType): Comparison {
  const out: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  walk(before, after, type, [], out);
  return out;
}

/** The changed fields: modified or added (what a writer takes from other managers). */
export function changed(c: Comparison): FieldSet {
  return c.modified.union(c.added);
}

/** The comparison without the fields at or below `ignored`. */
export function withoutIgnored(c: Comparison, ignored: FieldSet): Comparison {
  return { added: c.added.recursiveDifference(ignored), modified: c.modified.recursiveDifference(ignored), removed: c.removed.recursiveDifference(ignored) };
}

function leaf(before: unknown, after: unknown, path: Path, out: Comparison): void {
  if (path.length === 0 || (before === undefined && after === undefined)) return;
  if (before === undefined) out.added.insert(path);
  else if (after === undefined) out.removed.insert(path);
  else if (!jsonEqual(before, after)) out.modified.insert(path);
}

/** A container that appears or disappears is itself added or removed. */
function container(before: unknown, after: unknown, path: Path, out: Comparison): void {
  if (path.length === 0) return;
  if (before === undefined) out.added.insert(path);
  else if (after === undefined) out.removed.insert(path);
}

const absentOrNull = (v: unknown): boolean => v === undefined || v === null;

/** Walks one step down: `path` is shared along the walk and restored on return. */
function step(before: unknown, after: unknown, type: FieldType, path: PathElement[], pe: PathElement, out: Comparison): void {
  path.push(pe);
  walk(before, after, type, path, out);
  path.pop();
}

function walk(before: unknown, after: unknown, type: FieldType, path: PathElement[], out: Comparison): void {
  if (emptyValue(before) && emptyValue(after)) {
    leaf(before, after, path, out);
    return;
  }
  const objBefore = granularObject(type, before);
  const objAfter = granularObject(type, after);
  if ((objBefore || absentOrNull(before)) && (objAfter || absentOrNull(after))) {
    const b = objBefore ? before : {};
    const a = objAfter ? after : {};
    for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
      step(b[key], a[key], type.field(key), path, fieldElement(key), out);
    }
    container(before, after, path, out);
    return;
  }
  if (type.kind === 'list' && !type.atomic && (Array.isArray(before) || absentOrNull(before)) && (Array.isArray(after) || absentOrNull(after))) {
    const b: unknown[] = Array.isArray(before) ? before : [];
    const a: unknown[] = Array.isArray(after) ? after : [];
    const bKeys = itemElements(type, b);
    const aKeys = itemElements(type, a);
    if (bKeys && aKeys) {
      const bItems = new Map(bKeys.map((pe, i) => [pe, b[i]]));
      const aItems = new Map(aKeys.map((pe, i) => [pe, a[i]]));
      for (const [pe, item] of bItems) step(item, aItems.get(pe), type.item(), path, pe, out);
      for (const [pe, item] of aItems) if (!bItems.has(pe)) step(undefined, item, type.item(), path, pe, out);
      container(before, after, path, out);
      return;
    }
  }
  leaf(before, after, path, out);
}

// The fields an applied configuration sets (upstream's ToFieldSet): every
// leaf, every keyed list item and set value, and an object field itself
// when it is null or empty, or when it is a map key rather than a declared
// field. Atomic values are owned as one field.
import { FieldSet } from './fieldset.js';
import { fieldElement, type PathElement } from './pathelement.js';
import type { FieldType } from './schema.js';
import { granularObject, itemElements } from './items.js';
import { isObject } from './json.js';

export function fieldsOf(value: unknown, type: FieldType): FieldSet {
  const set = new FieldSet();
  visit(value, type, [], set);
  return set;
}

/** `path` is shared along the walk: each step pushes its element and pops it on return. */
function visit(value: unknown, type: FieldType, path: PathElement[], set: FieldSet): void {
  if (granularObject(type, value)) {
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      path.push(fieldElement(key));
      visit(child, type.field(key), path, set);
      if (child === null || (isObject(child) && Object.keys(child).length === 0) || !type.declares(key)) set.insert(path);
      path.pop();
    }
    return;
  }
  if (Array.isArray(value) && type.kind === 'list' && !type.atomic) {
    const elements = itemElements(type, value);
    if (elements) {
      value.forEach((item, i) => {
        path.push(elements[i] as string);
        visit(item, type.item(), path, set);
        set.insert(path);
        path.pop();
      });
      return;
    }
  }
  // Objects and lists taken item by item own nothing themselves when null.
  if (value === null && (type.kind === 'struct' || type.kind === 'map' || (type.kind === 'list' && !type.atomic)) && !type.atomic) return;
  set.insert(path);
}

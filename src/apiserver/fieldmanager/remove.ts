// Removes the fields of a set from a value (upstream's RemoveItems): a
// member is removed with everything below it; the walk descends only where
// the set has members further down. A map or list the removal empties is
// dropped as well, as an omitted field would be (an emptied struct stays).
import type { FieldSet } from './fieldset.js';
import { fieldElement } from './pathelement.js';
import type { FieldType } from './schema.js';
import { granularObject, itemElements } from './items.js';
import { emptyValue, type JsonObject } from './json.js';

export function removeFields(value: unknown, set: FieldSet, type: FieldType): unknown {
  if (granularObject(type, value)) {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      const node = set.child(fieldElement(key));
      if (!node) {
        out[key] = child;
        continue;
      }
      if (node.member) continue;
      const childType = type.field(key);
      const kept = removeFields(child, node, childType);
      if (!emptyValue(kept) || emptyValue(child) || childType.kind === 'struct') out[key] = kept;
    }
    return out;
  }
  if (Array.isArray(value) && type.kind === 'list' && !type.atomic) {
    const elements = itemElements(type, value);
    if (!elements) return value;
    const out: unknown[] = [];
    value.forEach((item, i) => {
      const node = set.child(elements[i] as string);
      if (!node) out.push(item);
      else if (!node.member) out.push(removeFields(item, node, type.item()));
    });
    return out;
  }
  return value;
}

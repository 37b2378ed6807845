// Merges an applied configuration into the live object (upstream's typed
// Merge): the configuration wins field by field; structs and maps merge
// recursively, keyed lists and sets item by item, everything atomic is
// replaced. A field the configuration sets to null is cleared. Live fields
// keep their order; new fields and items follow the configuration's order.
import type { FieldType } from './schema.js';
import { granularObject, itemElements } from './items.js';
import { isObject, type JsonObject } from './json.js';

export function mergeApplied(live: unknown, config: unknown, type: FieldType): unknown {
  return mergeValue(live, config, type);
}

/** A copy of a configuration value with its null fields left out (what a typed object keeps of them). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
  return out;
}

function mergeValue(live: unknown, config: unknown, type: FieldType): unknown {
  if (config === undefined) return live;
  if (granularObject(type, live) && granularObject(type, config)) {
    const out: JsonObject = { ...live };
    for (const [key, value] of Object.entries(config)) {
      if (value === undefined) continue;
      if (value === null) delete out[key];
      else out[key] = mergeValue(live[key], value, type.field(key));
    }
    return out;
  }
  if (Array.isArray(live) && Array.isArray(config) && type.kind === 'list' && !type.atomic) {
    const merged = mergeItems(live, config, type);
    if (merged) return merged;
  }
  return withoutNulls(config);
}

/**
 * Keyed lists and sets: items only the live list has stay where they are;
 * the configuration's items keep their relative order and are merged with
 * the live items of the same key. Undefined when either list cannot be
 * taken item by item (it is then replaced).
 */
function mergeItems(live: unknown[], config: unknown[], type: FieldType): unknown[] | undefined {
  const liveKeys = itemElements(type, live);
  const configKeys = itemElements(type, config);
  if (!liveKeys || !configKeys) return undefined;
  const liveAt = new Map(liveKeys.map((pe, i) => [pe, i]));
  const configAt = new Map(configKeys.map((pe, i) => [pe, i]));
  const out: unknown[] = [];
  let next = 0;
  const takeConfigUpTo = (last: number): void => {
    for (; next <= last; next++) {
      const pe = configKeys[next] as string;
      const li = liveAt.get(pe);
      out.push(mergeValue(li === undefined ? undefined : live[li], config[next], type.item()));
    }
  };
  liveKeys.forEach((pe, i) => {
    const ci = configAt.get(pe);
    if (ci === undefined) out.push(live[i]);
    else if (ci >= next) takeConfigUpTo(ci);
  });
  takeConfigUpTo(config.length - 1);
  return out;
}

// One step of a field path, in the encoding managedFields use (the
// FieldsV1 format of structured-merge-diff):
//   f:<name>   a field of an object (or a key of a map)
//   k:<json>   an item of a list keyed by some of its fields: {"name":"web"}
//   v:<json>   an item of a set, by its value
//   i:<n>      an item of a list, by position
// Elements are kept encoded: the encoded string is the identity of the step.
import { canonicalJson } from './json.js';

/** An encoded path element (`f:spec`, `k:{"name":"web"}`). */
export type PathElement = string;

export type Path = readonly PathElement[];

export function fieldElement(name: string): PathElement {
  return `f:${name}`;
}

/** The element of a keyed list item: its key fields, sorted by name. */
export function keyElement(key: Readonly<Record<string, unknown>>): PathElement {
  return `k:${canonicalJson(key)}`;
}

export function valueElement(value: unknown): PathElement {
  return `v:${canonicalJson(value)}`;
}

export function indexElement(index: number): PathElement {
  return `i:${index}`;
}

export type ParsedElement =
  | { type: 'field'; name: string }
  | { type: 'key'; key: Record<string, unknown> }
  | { type: 'value'; value: unknown }
  | { type: 'index'; index: number };

/** Decodes an element; throws on anything that is not one of the four forms. */
export function parseElement(pe: string): ParsedElement {
  const body = pe.slice(2);
  switch (pe.slice(0, 2)) {
    case 'f:':
      return { type: 'field', name: body };
    case 'k:': {
      const key = JSON.parse(body) as unknown;
      if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new Error(`invalid key ${body}`);
      return { type: 'key', key: key as Record<string, unknown> };
    }
    case 'v:':
      return { type: 'value', value: JSON.parse(body) as unknown };
    case 'i:': {
      if (!/^\d+$/.test(body)) throw new Error(`invalid index ${body}`);
      return { type: 'index', index: Number(body) };
    }
    default:
      throw new Error(`unexpected path element ${JSON.stringify(pe)}`);
  }
}

/** Re-encodes an element in canonical form (client-supplied keys may be unsorted). */
export function canonicalElement(pe: string): PathElement {
  const parsed = parseElement(pe);
  switch (parsed.type) {
    case 'field':
      return pe;
    case 'key':
      return keyElement(parsed.key);
    case 'value':
      return valueElement(parsed.value);
    case 'index':
      return indexElement(parsed.index);
  }
}

const rank: Readonly<Record<string, number>> = { 'f:': 0, 'k:': 1, 'v:': 2, 'i:': 3 };

/** Orders elements as the encoding lists them: fields, keys, values, indexes, each sorted. */
export function compareElements(a: PathElement, b: PathElement): number {
  const ra = rank[a.slice(0, 2)] ?? 4;
  const rb = rank[b.slice(0, 2)] ?? 4;
  if (ra !== rb) return ra - rb;
  if (ra === 3) return Number(a.slice(2)) - Number(b.slice(2));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A value as upstream prints it inside a path: strings quoted, the rest as JSON. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(valueText).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([k, v]) => `${k}=${valueText(v)}`).join(',')}}`;
  }
  return String(value);
}

/** A path as conflict messages print it: `.spec.containers[name="web"].image`, `.metadata.finalizers[="x"]`. */
export function pathString(path: Path): string {
  let out = '';
  for (const pe of path) {
    const parsed = parseElement(pe);
    switch (parsed.type) {
      case 'field':
        out += `.${parsed.name}`;
        break;
      case 'key':
        out += `[${Object.entries(parsed.key).map(([k, v]) => `${k}=${valueText(v)}`).join(',')}]`;
        break;
      case 'value':
        out += `[=${valueText(parsed.value)}]`;
        break;
      case 'index':
        out += `[${parsed.index}]`;
        break;
    }
  }
  return out;
}

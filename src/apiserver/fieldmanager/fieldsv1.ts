// FieldsV1, the JSON form of a field set in managedFields: one object per
// trie node, keyed by path element. `{}` marks a path in the set; a node in
// the set that also has members below it carries `".": {}`.
//   {"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:replicas":{}}}
import { FieldSet } from './fieldset.js';
import { isObject } from './json.js';
import { canonicalElement, compareElements } from './pathelement.js';

export type FieldsV1 = Record<string, unknown>;

function encodeNode(node: FieldSet): FieldsV1 {
  const out: FieldsV1 = {};
  if (node.member && node.children.size > 0) out['.'] = {};
  for (const pe of [...node.children.keys()].sort(compareElements)) {
    const child = node.children.get(pe);
    if (child && (child.member || child.children.size > 0)) out[pe] = encodeNode(child);
  }
  return out;
}

export function toFieldsV1(set: FieldSet): FieldsV1 {
  return encodeNode(set);
}

function decodeNode(json: Record<string, unknown>, into: FieldSet, where: string): void {
  for (const [key, value] of Object.entries(json)) {
    if (!isObject(value)) throw new Error(`${where}: expected an object under ${JSON.stringify(key)}`);
    if (key === '.') {
      if (Object.keys(value).length > 0) throw new Error(`${where}: "." must map to an empty object`);
      into.member = true;
      continue;
    }
    const pe = canonicalElement(key);
    let child = into.children.get(pe);
    if (!child) {
      child = new FieldSet();
      into.children.set(pe, child);
    }
    if (Object.keys(value).length === 0) child.member = true;
    else decodeNode(value, child, `${where}${key}`);
  }
}

/** Decodes FieldsV1; throws on anything malformed (an unknown element form, a non-object value, bad JSON in a key). */
export function fromFieldsV1(json: unknown): FieldSet {
  if (!isObject(json)) throw new Error('fieldsV1 must be an object');
  const set = new FieldSet();
  decodeNode(json, set, '');
  set.member = false;
  return set;
}

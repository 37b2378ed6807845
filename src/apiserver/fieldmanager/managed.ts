// The managedFields list in its working form: one entry per manager
// identity (name, operation, subresource, and the API version of an
// update), each with its field set and the time it last changed the
// object. Decoding is as strict as upstream's: anything malformed throws,
// and callers fall back to what the stored object says.
import type { FieldSet } from './fieldset.js';
import { fromFieldsV1, toFieldsV1, type FieldsV1 } from './fieldsv1.js';
import { isObject } from './json.js';

export type Operation = 'Apply' | 'Update';

export interface ManagedEntry {
  manager: string;
  operation: Operation;
  apiVersion: string;
  subresource: string;
  time?: string;
  set: FieldSet;
}

/** Entries by identity (see managerIdentity). */
export type Managed = Map<string, ManagedEntry>;

/** An entry as it is stored in metadata.managedFields. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation: Operation;
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsV1;
  subresource?: string;
}

type Who = Pick<ManagedEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>;

/**
 * Who an entry belongs to, as upstream spells it: the JSON of its manager,
 * operation, API version (updates only: an applier is the same whatever
 * version it applies in) and subresource.
 */
export function managerIdentity(who: Who): string {
  const id: Record<string, string> = {};
  if (who.manager !== '') id.manager = who.manager;
  id.operation = who.operation;
  if (who.operation !== 'Apply' && who.apiVersion !== '') id.apiVersion = who.apiVersion;
  if (who.subresource !== '') id.subresource = who.subresource;
  return JSON.stringify(id);
}

function optionalString(entry: Record<string, unknown>, field: string): string {
  const value = entry[field];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new Error(`${field} must be a string`);
  return value;
}

/** Decodes a managedFields list; throws when any entry is malformed. */
export function decodeManaged(list: unknown): Managed {
  const managed: Managed = new Map();
  if (list === undefined || list === null) return managed;
  if (!Array.isArray(list)) throw new Error('managedFields must be a list');
  list.forEach((raw: unknown, i) => {
    if (!isObject(raw)) throw new Error(`managed fields entry ${i} is not an object`);
    const operation = optionalString(raw, 'operation');
    if (operation !== 'Apply' && operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    const apiVersion = optionalString(raw, 'apiVersion');
    if (apiVersion === '') throw new Error('apiVersion must not be empty');
    const fieldsType = optionalString(raw, 'fieldsType');
    if (fieldsType === '') throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(fieldsType)} in managed fields entry ${i}`);
    const entry: ManagedEntry = {
      manager: optionalString(raw, 'manager'),
      operation,
      apiVersion,
      subresource: optionalString(raw, 'subresource'),
      set: fromFieldsV1(raw.fieldsV1 ?? {}),
    };
    const time = optionalString(raw, 'time');
    if (time !== '') entry.time = time;
    managed.set(managerIdentity(entry), entry);
  });
  return managed;
}

/** Decodes what a stored object carries; a stored list that does not decode counts as empty. */
export function decodeStored(list: unknown): Managed {
  try {
    return decodeManaged(list);
  } catch {
    return new Map();
  }
}

/** The list that resets managedFields: empty, or one empty entry. */
export function isResetList(list: unknown): boolean {
  if (!Array.isArray(list)) return false;
  if (list.length === 0) return true;
  return list.length === 1 && isObject(list[0]) && Object.values(list[0]).every((v) => v === undefined || v === null || v === '');
}

function seconds(time: string | undefined): number {
  if (time === undefined) return 0;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

function byOrder(a: ManagedEntry, b: ManagedEntry): number {
  if (a.operation !== b.operation) return a.operation < b.operation ? -1 : 1;
  const ta = seconds(a.time);
  const tb = seconds(b.time);
  if (ta !== tb) return ta - tb;
  for (const field of ['manager', 'apiVersion', 'subresource'] as const) {
    if (a[field] !== b[field]) return a[field] < b[field] ? -1 : 1;
  }
  return 0;
}

/** The stored list: entries with an empty set are dropped; appliers first, then oldest first. */
export function encodeManaged(managed: Managed): ManagedFieldsEntry[] {
  return [...managed.values()]
    .filter((e) => !e.set.isEmpty())
    .sort(byOrder)
    .map((e) => {
      // Key order as upstream writes them.
      const out: Record<string, unknown> = {};
      if (e.manager !== '') out.manager = e.manager;
      out.operation = e.operation;
      out.apiVersion = e.apiVersion;
      if (e.time !== undefined) out.time = e.time;
      out.fieldsType = 'FieldsV1';
      out.fieldsV1 = toFieldsV1(e.set);
      if (e.subresource !== '') out.subresource = e.subresource;
      return out as unknown as ManagedFieldsEntry;
    });
}

/** Drops every entry whose set is empty. */
export function dropEmpty(managed: Managed): void {
  for (const [id, entry] of managed) if (entry.set.isEmpty()) managed.delete(id);
}

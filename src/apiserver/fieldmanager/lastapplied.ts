// Server-side apply by `kubectl` on an object that client-side apply
// manages (it carries kubectl's last-applied-configuration annotation), as
// upstream eases the move: fields whose live values are still the ones the
// last client-side apply set do not conflict, and the annotation follows
// what was applied, so a later client-side apply computes the right patch.
import type { FieldSet } from './fieldset.js';
import { compare } from './compare.js';
import { canonicalJson, isObject, type JsonObject } from './json.js';
import { fieldsOf } from './owned.js';
import type { FieldType } from './schema.js';

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** The manager whose applies keep the annotation in step. */
export const kubectlManager = 'kubectl';

function annotationsOf(obj: JsonObject): JsonObject | undefined {
  const metadata = obj.metadata;
  if (!isObject(metadata)) return undefined;
  return isObject(metadata.annotations) ? metadata.annotations : undefined;
}

export function hasLastApplied(obj: JsonObject): boolean {
  const value = annotationsOf(obj)?.[lastAppliedAnnotation];
  return typeof value === 'string' && value !== '';
}

/**
 * The fields of the last client-side apply that the live object still has
 * with the values it set, or undefined without a usable annotation.
 */
export function stillLastApplied(live: JsonObject, type: FieldType, apiVersion: string): FieldSet | undefined {
  const text = annotationsOf(live)?.[lastAppliedAnnotation];
  if (typeof text !== 'string' || text === '') return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(last) || last.apiVersion !== apiVersion) return undefined;
  const diff = compare(last, live, type);
  return fieldsOf(last, type).difference(diff.modified).difference(diff.added).difference(diff.removed);
}

/** `obj` with the annotation set to the applied configuration (without the annotation itself), as kubectl writes it. */
export function withLastApplied(obj: JsonObject, config: JsonObject): JsonObject {
  const applied = structuredClone(config);
  const appliedAnnotations = annotationsOf(applied);
  if (appliedAnnotations) delete appliedAnnotations[lastAppliedAnnotation];
  const metadata = isObject(obj.metadata) ? obj.metadata : {};
  const annotations = { ...(annotationsOf(obj) ?? {}), [lastAppliedAnnotation]: `${canonicalJson(applied)}\n` };
  return { ...obj, metadata: { ...metadata, annotations } };
}

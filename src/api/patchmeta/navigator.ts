// Turns a type table into navigators. Everything is built once, up front,
// and frozen: a navigator is shared by every request that patches its kind.
import type { FieldPatchMeta, FieldSpec, PatchMeta, TypeTable } from './types.js';

function leaf(name: string): PatchMeta {
  return Object.freeze({ name, field: () => unknownField });
}

/** The navigator of a type nothing is known about. */
export const unknownPatchMeta: PatchMeta = leaf('unknown');

/** What `field` answers for a field the table does not list. */
export const unknownField: FieldPatchMeta = Object.freeze({ strategies: Object.freeze([]), mergeKey: '', meta: unknownPatchMeta });

/**
 * One navigator per type of `table`, plus a field-less one for each type
 * that is only referenced (condition, port and reference element types).
 */
export function buildNavigators(table: TypeTable): ReadonlyMap<string, PatchMeta> {
  const fieldsByType = new Map<string, Map<string, FieldPatchMeta>>();
  const navigators = new Map<string, PatchMeta>();
  for (const name of Object.keys(table)) {
    const fields = new Map<string, FieldPatchMeta>();
    fieldsByType.set(name, fields);
    navigators.set(name, Object.freeze({ name, field: (f: string) => fields.get(f) ?? unknownField }));
  }
  const navigatorOf = (type: string | undefined): PatchMeta => {
    if (type === undefined) return unknownPatchMeta;
    let nav = navigators.get(type);
    if (nav === undefined) {
      nav = leaf(type);
      navigators.set(type, nav);
    }
    return nav;
  };
  for (const [name, spec] of Object.entries(table)) {
    const fields = fieldsByType.get(name);
    if (fields === undefined) continue;
    for (const [field, fieldSpec] of Object.entries(spec)) fields.set(field, fieldMeta(fieldSpec, navigatorOf));
  }
  return navigators;
}

function fieldMeta(spec: FieldSpec, navigatorOf: (type: string | undefined) => PatchMeta): FieldPatchMeta {
  if (typeof spec === 'string') return Object.freeze({ strategies: Object.freeze([]), mergeKey: '', meta: navigatorOf(spec) });
  return Object.freeze({ strategies: Object.freeze([...spec.strategy]), mergeKey: spec.key ?? '', meta: navigatorOf(spec.type) });
}

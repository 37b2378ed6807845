// Patch metadata lookups for strategic merge patch: `patchMetaFor` gives the
// navigator of a built-in kind, `patchMetaAt` walks a field path with it.
import { coreKinds, coreTypes, metaTypes, podTypes } from './core.js';
import { appsTypes, autoscalingTypes, batchTypes, groupKinds, otherTypes, policyTypes } from './groups.js';
import { buildNavigators, unknownField, unknownPatchMeta } from './navigator.js';
import type { FieldPatchMeta, PatchMeta } from './types.js';

export type { FieldPatchMeta, PatchMeta, PatchStrategy } from './types.js';
export { unknownPatchMeta };

const navigators = buildNavigators({
  ...metaTypes,
  ...podTypes,
  ...coreTypes,
  ...appsTypes,
  ...batchTypes,
  ...policyTypes,
  ...autoscalingTypes,
  ...otherTypes,
});

const kinds: ReadonlyMap<string, PatchMeta> = new Map(
  [...coreKinds.map((kind) => ['', kind] as const), ...Object.entries(groupKinds).flatMap(([group, ks]) => ks.map((kind) => [group, kind] as const))].map(
    ([group, kind]) => [`${group}/${kind}`, navigators.get(kind) ?? unknownPatchMeta],
  ),
);

/**
 * The navigator of a built-in kind (`group` is '' for the core group), or
 * undefined for a kind that is not built in: upstream refuses strategic
 * merge patches for those (415) because it knows nothing of their lists.
 * The metadata does not depend on the version.
 */
export function patchMetaFor(group: string, kind: string): PatchMeta | undefined {
  return kinds.get(`${group}/${kind}`);
}

/**
 * The facts of the field at `path` below `meta`, one field name per step;
 * a list is stepped through to its elements (`['spec', 'containers', 'env']`).
 */
export function patchMetaAt(meta: PatchMeta, path: readonly string[]): FieldPatchMeta {
  let field = unknownField;
  let current = meta;
  for (const name of path) {
    field = current.field(name);
    current = field.meta;
  }
  return field;
}

// Strategic merge patch (`application/strategic-merge-patch+json`), applied
// as a Kubernetes 1.32 API server applies it to built-in kinds: a JSON merge
// patch whose lists follow the patch metadata of their field (merge by key,
// merge as a set, or replace) and which understands the directives
// `$patch: replace|delete` (maps and list elements), `$retainKeys`,
// `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.
// `$patch: merge` is refused as upstream refuses it.
//
// Deliberate differences from upstream, all about patch content the result
// would otherwise keep raw: nulls inside added content are dropped, directive
// keys never reach the result, and a map value with `$patch: replace` where
// the original has nothing keeps its content instead of vanishing.
import type { PatchMeta } from '../api/patchmeta/index.js';
import { badRequest } from './errors.js';
import { goJsonKind, isObject, type JsonObject } from './strategicmerge/json.js';
import { mergeMap } from './strategicmerge/maps.js';

/**
 * Applies `patch` to `original` (a stored object; absent means `{}`) under
 * the patch metadata of the object's kind (`patchMetaFor(group, kind)`).
 * Returns a new object that shares nothing with either input; the inputs
 * are never modified. A malformed patch throws an ApiError: 400 BadRequest
 * for directive, type and merge-key problems, 422 Invalid for lists of lists.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, meta: PatchMeta): JsonObject {
  if (original !== undefined && original !== null && !isObject(original)) {
    throw badRequest(`json: cannot unmarshal ${goJsonKind(original)} into Go value of type map[string]interface {}`);
  }
  const base: JsonObject = isObject(original) ? structuredClone(original) : {};
  // A JSON null decodes to an empty patch.
  if (patch === null) return base;
  if (!isObject(patch)) throw badRequest(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type map[string]interface {}`);
  return mergeMap(base, patch, meta);
}

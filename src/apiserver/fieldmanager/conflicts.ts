// The 409 of a server-side apply that would change fields other managers
// own, in upstream's shape: one FieldManagerConflict cause per field, and
//   Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas
//   Apply failed with 2 conflicts: conflicts with "a" using v1:\n- .data.x\n- .data.y
import { applyConflict, CauseType, type ApiError } from '../../machinery/index.js';
import { isObject } from './json.js';
import { pathString, type Path } from './pathelement.js';

export interface Conflict {
  /** The identity of the manager that owns the field (see managerIdentity). */
  manager: string;
  path: Path;
}

/** `"kubectl"`, `"kubectl" with subresource "scale" using apps/v1`: how messages name a manager. */
export function printManager(identity: string): string {
  let who: unknown;
  try {
    who = JSON.parse(identity);
  } catch {
    return JSON.stringify(identity);
  }
  if (!isObject(who)) return JSON.stringify(identity);
  const text = (key: string): string => (typeof who[key] === 'string' ? who[key] : '');
  let out = JSON.stringify(text('manager'));
  if (text('subresource') !== '') out += ` with subresource ${JSON.stringify(text('subresource'))}`;
  if (text('operation') === 'Update') out += ` using ${text('apiVersion')}`;
  return out;
}

export function conflictError(conflicts: readonly Conflict[]): ApiError {
  const causes = conflicts.map((c) => ({ reason: CauseType.FieldManagerConflict, message: `conflict with ${printManager(c.manager)}`, field: pathString(c.path) }));
  const [only] = conflicts;
  if (conflicts.length === 1 && only) {
    return applyConflict(causes, `Apply failed with 1 conflict: conflict with ${printManager(only.manager)}: ${pathString(only.path)}`);
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), pathString(c.path)]);
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(manager)}:`);
    for (const path of byManager.get(manager) ?? []) lines.push(`- ${path}`);
  }
  return applyConflict(causes, `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`);
}

// A quota that limits cpu or memory requires every container to state
// them (upstream's podEvaluator.Constraints, kept for compatibility).
import type { corev1 } from '../../api/types.js';

const computeNames = new Set(['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'cpu', 'memory']);

/** `must specify limits.cpu for: a,b; requests.memory for: a`, or undefined when nothing is missing. */
export function missingComputeResources(pod: corev1.Pod, quotaResources: readonly string[]): string | undefined {
  const required = quotaResources.filter((r) => computeNames.has(r));
  if (required.length === 0) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const has = new Set<string>();
    for (const r of Object.keys(c.resources?.requests ?? {})) has.add(r).add(`requests.${r}`);
    for (const r of Object.keys(c.resources?.limits ?? {})) has.add(`limits.${r}`);
    for (const r of required) {
      if (has.has(r)) continue;
      const names = missing.get(r) ?? new Set<string>();
      missing.set(r, names.add(c.name));
    }
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...(missing.get(r) ?? [])].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

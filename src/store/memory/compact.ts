// History removal for the memory driver. Compacting to C keeps, for every key,
// the latest version at or below C if it is live, and drops every other
// version at or below C (superseded puts and deletions), as etcd does.
import { lowerBound, rowBytes, type MemoryState } from './state.js';

/**
 * One step towards `revision`, covering at most `batchRevisions` revisions.
 * Returns the revision compacted to so far (also the new compact revision).
 *
 * Invariant: after a step to C, no key has more than one version <= C, so a
 * step only needs to look at keys changed in the log from C onwards. The log
 * entry at C itself is kept, so a replay from C still finds the versions at C.
 */
export function compactHistory(s: MemoryState, revision: number, batchRevisions: number): number {
  const target = Math.min(revision, s.compact + Math.max(1, batchRevisions));
  if (target <= s.compact) return s.compact;

  const touched = new Set<string>();
  let dropEntries = 0;
  for (const entry of s.log) {
    if (entry.revision > target) break;
    for (const id of entry.ids) touched.add(id);
    if (entry.revision < target) dropEntries++;
  }
  for (const id of touched) pruneKey(s, id, target);
  s.log.splice(0, dropEntries);
  s.compact = target;
  return target;
}

function pruneKey(s: MemoryState, id: string, target: number): void {
  const rows = s.history.get(id);
  if (!rows) return;
  // Index of the latest version <= target (rows are in revision order).
  let keep = -1;
  while (keep + 1 < rows.length && (rows[keep + 1]?.kv.modRevision ?? Infinity) <= target) keep++;
  if (keep < 0) return;
  const latest = rows[keep];
  const drop = latest?.deleted ? keep + 1 : keep;
  for (const row of rows.splice(0, drop)) s.bytes -= rowBytes(row);
  if (rows.length === 0) {
    s.history.delete(id);
    s.keys.splice(lowerBound(s.keys, id), 1);
  }
}

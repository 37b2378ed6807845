// At most ten update entries are kept (upstream's DefaultMaxUpdateManagers):
// beyond that the oldest are merged, per API version, into one entry named
// `ancient-changes`.
import { managerIdentity, type Managed, type ManagedEntry } from './managed.js';

export const maxUpdateManagers = 10;
export const ancientChangesManager = 'ancient-changes';

function seconds(entry: ManagedEntry | undefined): number {
  const ms = entry?.time === undefined ? NaN : Date.parse(entry.time);
  return Number.isNaN(ms) ? 0 : Math.floor(ms / 1000);
}

export function capUpdateManagers(managed: Managed, max = maxUpdateManagers): void {
  const updaters = [...managed.keys()].filter((id) => managed.get(id)?.operation === 'Update');
  if (updaters.length <= max) return;
  updaters.sort((a, b) => seconds(managed.get(a)) - seconds(managed.get(b)) || (a < b ? -1 : a > b ? 1 : 0));
  const firstOfVersion = new Map<string, string>();
  let count = updaters.length;
  for (const id of updaters) {
    if (count <= max) break;
    const entry = managed.get(id);
    if (!entry) continue;
    const bucketId = managerIdentity({ manager: ancientChangesManager, operation: 'Update', apiVersion: entry.apiVersion, subresource: '' });
    const first = firstOfVersion.get(entry.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(entry.apiVersion, id);
      continue;
    }
    if (!managed.has(bucketId)) {
      const seed = managed.get(first);
      managed.delete(first);
      if (seed) managed.set(bucketId, { ...seed, manager: ancientChangesManager, operation: 'Update', subresource: '' });
    }
    const bucket = managed.get(bucketId);
    if (bucket) {
      const merged: ManagedEntry = { ...bucket, set: entry.set.union(bucket.set) };
      if (entry.time !== undefined) merged.time = entry.time;
      managed.set(bucketId, merged);
    }
    managed.delete(id);
    count--;
  }
}

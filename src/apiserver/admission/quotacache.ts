// ResourceQuotas by namespace, kept in memory for admission (upstream's
// quota informer): listed once, then kept current by a store watch over
// the resourcequotas prefix. The watch is not iterated in the background;
// each lookup first applies the batches it has queued. The MVCC stores
// publish a commit to their watches synchronously, so a lookup sees every
// quota write the store finished before it. A watch that ended (compacted, slow,
// closed) is replaced by a fresh list and watch at the next lookup.
// Entries are shared: callers must not modify them. The cached
// status.used may be older than another server's charge; charging is a
// compare-and-swap on the quota, and a lost race re-reads from the store.
import type { Watch, WatchBatch } from '../../store/types.js';
import { decodeObject } from '../storage/codec.js';
import { listPrefix, type ResourceKeyspace } from '../storage/keys.js';
import type { Current, ObjectStore } from '../storage/store.js';
import { keyspaces, listStored } from './lookup.js';

const space: ResourceKeyspace = keyspaces.resourceQuotas;

export class QuotaCache {
  private readonly prefix = listPrefix(space, '');
  /** namespace → quota name → quota. */
  private byNamespace = new Map<string, Map<string, Current>>();
  private watch: Watch | undefined;
  /** The revision the last list was read at: events up to it are already in the map. */
  private listRevision = 0;
  private listing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly store: ObjectStore) {}

  /** Every quota in `namespace` as of the latest change this process has seen (after close: read from the store). */
  async inNamespace(namespace: string): Promise<Current[]> {
    if (!this.closed && (this.watch === undefined || this.watch.ended !== undefined)) await this.relist();
    if (this.closed) return listStored(this.store, space, namespace);
    this.apply(this.watch?.takeQueued() ?? []);
    const quotas = this.byNamespace.get(namespace);
    return quotas ? [...quotas.values()] : [];
  }

  /** Stops the watch. */
  close(): void {
    this.closed = true;
    this.watch?.cancel();
    this.watch = undefined;
  }

  /** Watches from the current revision first, then lists, so no change falls between the two. */
  private relist(): Promise<void> {
    this.listing ??= (async () => {
      this.watch?.cancel();
      const watch = this.store.watch(this.prefix, 0);
      try {
        const page = await this.store.page({ prefix: this.prefix, limit: 0, revision: 0 });
        const byNamespace = new Map<string, Map<string, Current>>();
        for (const { key, kv } of page.items) this.put(byNamespace, key, { obj: decodeObject(kv), modRevision: kv.modRevision });
        if (this.closed) {
          watch.cancel();
          return;
        }
        this.byNamespace = byNamespace;
        this.listRevision = page.revision;
        this.watch = watch;
        this.apply(watch.takeQueued());
      } catch (err) {
        watch.cancel();
        throw err;
      }
    })().finally(() => {
      this.listing = undefined;
    });
    return this.listing;
  }

  private apply(batches: readonly WatchBatch[]): void {
    for (const batch of batches) {
      for (const ev of batch.events) {
        // The list already holds every change up to its revision.
        if (ev.kv.modRevision <= this.listRevision) continue;
        const key = ev.kv.key.toString('utf8');
        if (ev.type === 'DELETE') this.remove(key);
        else this.put(this.byNamespace, key, { obj: decodeObject(ev.kv), modRevision: ev.kv.modRevision });
      }
    }
  }

  private put(into: Map<string, Map<string, Current>>, key: string, quota: Current): void {
    const [namespace, name] = this.split(key);
    let quotas = into.get(namespace);
    if (!quotas) into.set(namespace, (quotas = new Map()));
    quotas.set(name, quota);
  }

  private remove(key: string): void {
    const [namespace, name] = this.split(key);
    const quotas = this.byNamespace.get(namespace);
    if (!quotas?.delete(name)) return;
    if (quotas.size === 0) this.byNamespace.delete(namespace);
  }

  /** `/registry/resourcequotas/<namespace>/<name>` → [namespace, name]. */
  private split(key: string): [string, string] {
    const rest = key.slice(this.prefix.length);
    const slash = rest.indexOf('/');
    return [rest.slice(0, slash), rest.slice(slash + 1)];
  }
}

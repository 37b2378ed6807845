// Watch fan-out. Contract (ETCD-FACTS §5.5, §5.6):
// - events come as whole revisions, in revision order, with no gap and no
//   duplicate across the switch from history replay to live delivery;
// - an unsynced watcher replays history from the driver in pages, only while
//   its consumer waits (so replay is paced by the reader), and becomes synced
//   in the same synchronous step that reads up to the current revision;
//   the store publishes each commit synchronously right after it, so no
//   commit can fall between "history read up to R" and "synced at R";
// - synced watchers get live batches; one that falls behind is ended as slow
//   and never stalls the writer or other watchers;
// - start below the compact revision → StoreError 'compacted' (== allowed);
//   above current simply waits; 0 means current + 1.
import type { Logger } from '../../log/logger.js';
import { StoreError } from '../errors.js';
import type { Event, KeyValue, WatchRequest } from '../types.js';
import type { StoredChange } from './driver.js';
import { inRange, normalizeRange } from './keyrange.js';
import { Watcher, type WatcherHost } from './watcher.js';

export interface HistorySource {
  currentRevision(): number;
  /** The revision reads and replays must not go below. */
  compactRevision(): number;
  changes(from: Buffer, to: Buffer | null, fromRevision: number, toRevision: number, maxChanges: number): StoredChange[];
}

export interface WatchHubOptions {
  queueLimit: number;
  pageSize: number;
  logger: Logger;
}

/** History pages read per turn of the event loop for one watcher before yielding. */
const pagesPerTurn = 4;

export class WatchHub implements WatcherHost {
  private readonly watchers = new Set<Watcher>();
  private closed = false;

  constructor(
    private readonly source: HistorySource,
    private readonly opts: WatchHubOptions,
  ) {}

  get size(): number {
    return this.watchers.size;
  }

  watch(req: WatchRequest): Watcher {
    if (this.closed) throw new StoreError('closed');
    // An empty watch key means "\0" (etcd clients send it for "everything from").
    const key = req.key.length === 0 ? Buffer.from([0]) : Buffer.from(req.key);
    const range = normalizeRange(key, req.rangeEnd ? Buffer.from(req.rangeEnd) : undefined);
    const start = req.startRevision ?? 0;
    if (!Number.isSafeInteger(start)) throw new RangeError(`start revision ${start} is not a safe integer`);
    const current = this.source.currentRevision();
    const compact = this.source.compactRevision();
    if (start < 0 || (start > 0 && start < compact)) throw new StoreError('compacted', { compactRevision: compact });
    const spec = {
      range,
      prevKv: req.prevKv === true,
      noPut: req.noPut === true,
      noDelete: req.noDelete === true,
      queueLimit: this.opts.queueLimit,
    };
    const synced = start === 0 || start > current;
    const w = new Watcher(this, spec, start === 0 ? current + 1 : start, synced);
    this.watchers.add(w);
    return w;
  }

  /** Delivers one committed revision to every synced watcher it concerns. */
  publish(revision: number, changes: readonly StoredChange[]): void {
    for (const w of this.watchers) {
      if (!w.synced || revision < w.nextRevision) continue;
      w.nextRevision = revision + 1;
      const events = eventsFor(w, changes);
      if (events.length > 0) w.deliver({ revision, events });
      if (w.ended?.reason === 'slow') this.opts.logger.warn('watcher ended as slow', { revision });
    }
  }

  closeAll(): void {
    this.closed = true;
    for (const w of [...this.watchers]) w.end({ reason: 'closed' });
  }

  remove(w: Watcher): void {
    this.watchers.delete(w);
  }

  pump(w: Watcher): void {
    if (w.pumpScheduled) return;
    for (let i = 0; i < pagesPerTurn; i++) {
      if (w.ended || w.synced || !w.waiting) return;
      try {
        this.replayPage(w);
      } catch (err) {
        // A failed history read must not crash the process or hang the
        // consumer. WatchEnd has no error reason, so the watcher ends like a
        // slow one: the client is told why and watches again.
        const message = `watch history read failed: ${err instanceof Error ? err.message : String(err)}`;
        this.opts.logger.error('watch replay failed', { error: message });
        w.end({ reason: 'slow', message });
        return;
      }
    }
    if (w.ended || w.synced || !w.waiting) return;
    // Much filtered-out history: let other work run before reading on.
    w.pumpScheduled = true;
    setImmediate(() => {
      w.pumpScheduled = false;
      this.pump(w);
    });
  }

  private replayPage(w: Watcher): void {
    const compact = this.source.compactRevision();
    if (w.nextRevision < compact) {
      w.end({ reason: 'compacted', compactRevision: compact });
      return;
    }
    const current = this.source.currentRevision();
    if (w.nextRevision > current) {
      w.markSynced();
      return;
    }
    const { from, to } = w.spec.range;
    const page = this.source.changes(from, to, w.nextRevision, current, this.opts.pageSize);
    const last = page[page.length - 1];
    // A full page ends on a whole revision; a short one covered everything up to current.
    const covered = last && page.length >= this.opts.pageSize ? last.kv.modRevision : current;
    w.nextRevision = covered + 1;
    if (covered >= current) w.markSynced();
    const events = eventsFor(w, page);
    if (events.length > 0) w.deliver({ revision: covered, events });
  }
}

function eventsFor(w: Watcher, changes: readonly StoredChange[]): Event[] {
  const { range, noPut, noDelete, prevKv } = w.spec;
  const events: Event[] = [];
  for (const change of changes) {
    if (change.deleted ? noDelete : noPut) continue;
    if (!inRange(change.kv.key, range)) continue;
    events.push(toEvent(change, prevKv));
  }
  return events;
}

/**
 * etcd's event shapes: a DELETE's kv has only key and modRevision; prevKv is
 * sent only when asked for and never for a create (createRevision ===
 * modRevision).
 */
export function toEvent(change: StoredChange, wantPrev: boolean): Event {
  const { kv, prev } = change;
  if (change.deleted) {
    const tombstone: KeyValue = {
      key: kv.key,
      createRevision: 0,
      modRevision: kv.modRevision,
      version: 0,
      value: Buffer.alloc(0),
      lease: 0n,
    };
    return wantPrev && prev ? { type: 'DELETE', kv: tombstone, prevKv: prev } : { type: 'DELETE', kv: tombstone };
  }
  const isCreate = kv.createRevision === kv.modRevision;
  return wantPrev && prev && !isCreate ? { type: 'PUT', kv, prevKv: prev } : { type: 'PUT', kv };
}

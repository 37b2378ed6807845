// One watch: a bounded queue of batches consumed as an AsyncIterable. The
// hub fills it (history pages on demand while unsynced, live batches once
// synced); the watcher only queues, hands out and ends.
import type { Watch, WatchBatch, WatchEnd } from '../types.js';
import type { KeyRange } from './keyrange.js';

export interface WatcherHost {
  /** Called when a consumer waits on an unsynced watcher: replay more history. */
  pump(w: Watcher): void;
  /** Called once, when the watcher ends. */
  remove(w: Watcher): void;
}

export interface WatcherSpec {
  range: KeyRange;
  prevKv: boolean;
  noPut: boolean;
  noDelete: boolean;
  /** Live events that may queue up before the watcher is ended as slow. */
  queueLimit: number;
}

type Waiter = (result: IteratorResult<WatchBatch>) => void;

const done: IteratorResult<WatchBatch> = { done: true, value: undefined };

export class Watcher implements Watch {
  /**
   * First revision not yet delivered. Unsynced: where history replay resumes.
   * Synced: live revisions below it are skipped (a watch started in the future).
   */
  nextRevision: number;
  /** Set while a deferred history pump is scheduled. */
  pumpScheduled = false;

  private isSynced: boolean;
  private endedWith: WatchEnd | undefined;
  private queue: WatchBatch[] = [];
  private queuedEvents = 0;
  private waiters: Waiter[] = [];

  constructor(
    private readonly host: WatcherHost,
    readonly spec: WatcherSpec,
    nextRevision: number,
    synced: boolean,
  ) {
    this.nextRevision = nextRevision;
    this.isSynced = synced;
  }

  get synced(): boolean {
    return this.isSynced;
  }

  get ended(): WatchEnd | undefined {
    return this.endedWith;
  }

  /** True while a consumer is blocked in next(). */
  get waiting(): boolean {
    return this.waiters.length > 0;
  }

  markSynced(): void {
    this.isSynced = true;
  }

  cancel(): void {
    this.end({ reason: 'canceled' });
  }

  /**
   * Hands a batch to a waiting consumer or queues it. A watcher with more
   * than one batch and more than queueLimit events queued is ended as slow:
   * its queue is dropped so the writer never waits and memory stays bounded.
   * A single batch is always accepted, however large (one revision can hold
   * many events and must not be split).
   */
  deliver(batch: WatchBatch): void {
    if (this.endedWith) return;
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter({ done: false, value: batch });
      return;
    }
    this.queue.push(batch);
    this.queuedEvents += batch.events.length;
    if (this.queue.length > 1 && this.queuedEvents > this.spec.queueLimit) {
      this.end({ reason: 'slow', message: `watcher fell behind with ${this.queuedEvents} events queued` });
    }
  }

  /** Ends the watch: queued batches are dropped and consumers see the end of iteration. */
  end(reason: WatchEnd): void {
    if (this.endedWith) return;
    this.endedWith = reason;
    this.queue = [];
    this.queuedEvents = 0;
    for (const waiter of this.waiters.splice(0)) waiter(done);
    this.host.remove(this);
  }

  takeQueued(): WatchBatch[] {
    const taken = this.queue;
    this.queue = [];
    this.queuedEvents = 0;
    return taken;
  }

  next(): Promise<IteratorResult<WatchBatch>> {
    const batch = this.queue.shift();
    if (batch) {
      this.queuedEvents -= batch.events.length;
      return Promise.resolve({ done: false, value: batch });
    }
    if (this.endedWith) return Promise.resolve(done);
    return new Promise<IteratorResult<WatchBatch>>((resolve) => {
      this.waiters.push(resolve);
      if (!this.isSynced) this.host.pump(this);
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchBatch> {
    return {
      next: () => this.next(),
      // Leaving a for-await loop early cancels the watch.
      return: () => {
        this.cancel();
        return Promise.resolve(done);
      },
    };
  }
}

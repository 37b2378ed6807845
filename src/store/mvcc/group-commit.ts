// Group commit: writes that arrive while a batch is open share one driver
// transaction, committed at the end of the event-loop turn (or when the
// batch is full, or when a reader needs committed state). Contract:
// - each write still gets its own revision, in arrival order, and a write
//   that throws is rolled back alone (the driver nests it as a savepoint);
// - a write's promise settles only after the COMMIT of its batch (so an
//   acknowledged write is as durable as an unbatched one), and rejects if
//   that COMMIT fails, which rolls the whole batch back;
// - watchers get a batch's revisions only after its COMMIT, in revision
//   order, and committedRevision() never counts uncommitted revisions;
// - callers that read the driver directly (anything but the writes
//   themselves) call commit() first: the driver's own reads would see the
//   open transaction.
import type { Driver, StoredChange } from './driver.js';

/** What one write did: its result, and the revision and changes to publish (none for a write that changed nothing). */
export interface Applied<T> {
  result: T;
  revision: number;
  changes: StoredChange[];
}

export type BatchingDriver = Pick<Driver, 'currentRevision'> & Required<Pick<Driver, 'openBatch' | 'commitBatch'>>;

interface Batch {
  /** The revision committed before the batch. */
  readonly base: number;
  writes: number;
  readonly revisions: Array<{ revision: number; changes: StoredChange[] }>;
  readonly done: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

export class GroupCommit {
  private batch: Batch | undefined;

  constructor(
    private readonly driver: BatchingDriver,
    /** Delivers one committed revision to watchers. */
    private readonly publish: (revision: number, changes: readonly StoredChange[]) => void,
    /** Writes per batch; a batch this full commits at once. */
    private readonly maxWrites: number,
  ) {}

  /** The highest committed revision. */
  committedRevision(): number {
    return this.batch ? this.batch.base : this.driver.currentRevision();
  }

  /** Runs `apply` (which makes its own driver.write()) in the open batch, opening one if needed. */
  run<T>(apply: () => Applied<T>): Promise<T> {
    const batch = this.batch ?? this.open();
    let out: Applied<T>;
    try {
      out = apply();
    } catch (err) {
      return Promise.reject(err);
    }
    if (out.changes.length > 0) batch.revisions.push({ revision: out.revision, changes: out.changes });
    const result = out.result;
    const acknowledged = batch.done.then(() => result);
    if (++batch.writes >= this.maxWrites) this.commit();
    return acknowledged;
  }

  /** Commits the open batch, if any, and publishes its revisions; a failed COMMIT rejects its writes. */
  commit(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    try {
      this.driver.commitBatch();
    } catch (err) {
      batch.reject(err);
      return;
    }
    for (const { revision, changes } of batch.revisions) this.publish(revision, changes);
    batch.resolve();
  }

  private open(): Batch {
    this.driver.openBatch();
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // The writes' own promises carry a failure; this one may have no reader.
    done.catch(() => undefined);
    const batch: Batch = { base: this.driver.currentRevision(), writes: 0, revisions: [], done, resolve, reject };
    this.batch = batch;
    setImmediate(() => {
      if (this.batch === batch) this.commit();
    });
    return batch;
  }
}

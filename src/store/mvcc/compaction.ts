// Compaction scheduling (ETCD-FACTS §1.5, §5.4, §5.14). The driver removes
// history one small transaction at a time; between transactions we yield to
// the event loop so reads, writes, watches and keep-alives keep flowing. The
// batch shrinks when a transaction runs long, so none blocks for more than
// a few tens of milliseconds.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../log/logger.js';
import { StoreError } from '../errors.js';
import type { Driver } from './driver.js';

/** A batch slower than this halves the next one; a much faster one doubles it (up to the configured size). */
const slowBatchMs = 20;
const fastBatchMs = 5;

export class Compactor {
  /** What the driver has finished compacting to. */
  private finished: number;
  /** The highest compaction requested (running or queued); 0 if none. */
  private requested = 0;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly driver: Driver,
    private readonly logger: Logger,
    private readonly maxBatch: number,
    /** Called before each driver step: commits any open write batch (compaction runs outside one). */
    private readonly settle: () => void,
  ) {
    this.finished = driver.compactRevision();
  }

  /**
   * The revision reads and watches must not go below. It moves up as soon as
   * a compaction is requested, because history below the target may be
   * half-removed while the compaction runs.
   */
  get compactRevision(): number {
    return Math.max(this.finished, this.requested);
  }

  /**
   * Compacts history to `revision`: 'compacted' if it is not above the
   * current compact revision, 'future-revision' if above `current`.
   * Compactions run one at a time, in request order.
   */
  compact(revision: number, current: number): Promise<void> {
    if (!Number.isSafeInteger(revision)) throw new RangeError(`revision ${revision} is not a safe integer`);
    if (this.stopped) throw new StoreError('closed');
    const compactRevision = this.compactRevision;
    if (revision <= compactRevision) throw new StoreError('compacted', { compactRevision });
    if (revision > current) throw new StoreError('future-revision');
    this.requested = revision;
    const run = this.chain.then(() => this.run(revision));
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Stops after the running batch; a compaction cut short rejects with 'closed'. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.chain;
  }

  private async run(revision: number): Promise<void> {
    const started = performance.now();
    let batch = this.maxBatch;
    let batches = 0;
    while (this.finished < revision) {
      if (this.stopped) throw new StoreError('closed');
      this.settle();
      const t0 = performance.now();
      const reached = this.driver.compactStep(revision, batch);
      const ms = performance.now() - t0;
      batches++;
      if (reached <= this.finished) throw new Error(`compaction made no progress at revision ${reached}`);
      this.finished = reached;
      if (ms > slowBatchMs) batch = Math.max(1, Math.floor(batch / 2));
      else if (ms < fastBatchMs) batch = Math.min(this.maxBatch, batch * 2);
      await nextTurn();
    }
    if (this.stopped) throw new StoreError('closed');
    this.settle();
    this.driver.afterCompaction();
    this.logger.info('compacted', { revision, batches, ms: Math.round(performance.now() - started) });
  }
}

// MvccStore: etcd v3 semantics (ETCD-FACTS §5) over a synchronous Driver.
// Every write is one driver write that appends at most one revision; its
// changes are published to watchers synchronously right after the commit,
// which is what keeps watch delivery gap-free and in order. With a driver
// that supports it, writes are group-committed (group-commit.ts): every
// other operation commits the open batch before it touches the driver.
import { silentLogger, type Logger } from '../../log/logger.js';
import type { Backend, CasResult } from '../backend.js';
import { StoreError } from '../errors.js';
import type {
  DeleteRangeRequest,
  DeleteRangeResponse,
  LeaseGrantResponse,
  LeaseKeepAliveResponse,
  LeaseTimeToLiveResponse,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  StoreStatus,
  TxnRequest,
  TxnResponse,
  Watch,
  WatchRequest,
} from '../types.js';
import { casCreate, casDelete, casUpdate, type CasOutcome } from './cas.js';
import { systemClock, type Clock } from './clock.js';
import { Compactor } from './compaction.js';
import type { Driver, StoredChange } from './driver.js';
import { GroupCommit, type Applied } from './group-commit.js';
import { Leases } from './leases.js';
import { executeRange } from './range.js';
import { applyDeleteRange, applyPut, applyTxn } from './txn.js';
import { checkTxn, defaultMaxTxnOps } from './txn-check.js';
import { DriverReader, WriteView } from './view.js';
import { WatchHub } from './watch-hub.js';

export interface MvccOptions {
  /** Default: silent. */
  logger?: Logger;
  /** Time source for lease deadlines. Default: the system clock. */
  clock?: Clock;
  /** Upper bound of revisions per compaction transaction; shrinks when a batch is slow. Default 1000. */
  compactBatchSize?: number;
  /** Live events a watcher may have queued before it is ended as slow. Default 10000. */
  watchQueueLimit?: number;
  /** Changes read per history page when a watcher replays. Default 1000. */
  watchPageSize?: number;
  /** Most compares or ops per txn branch. Default 128 (etcd's --max-txn-ops). */
  maxTxnOps?: number;
  /** Most writes per group commit (drivers that batch). Default 256. */
  commitBatchSize?: number;
}

export class MvccStore implements Backend {
  readonly ready: Promise<void>;

  private readonly logger: Logger;
  private readonly maxTxnOps: number;
  private readonly compactor: Compactor;
  private readonly hub: WatchHub;
  private readonly leaseKeeper: Leases;
  private readonly leaseExists = (id: bigint): boolean => this.leaseKeeper.has(id);
  /** Undefined when the driver does not batch: every write then commits on its own. */
  private readonly batch: GroupCommit | undefined;
  private closed = false;

  constructor(
    private readonly driver: Driver,
    opts: MvccOptions = {},
  ) {
    this.logger = opts.logger ?? silentLogger;
    this.maxTxnOps = opts.maxTxnOps ?? defaultMaxTxnOps;
    this.compactor = new Compactor(driver, this.logger, positive(opts.compactBatchSize, 1000), () => this.settle());
    const { openBatch, commitBatch } = driver;
    this.batch =
      openBatch && commitBatch
        ? new GroupCommit(
            { currentRevision: () => driver.currentRevision(), openBatch: openBatch.bind(driver), commitBatch: commitBatch.bind(driver) },
            (revision, changes) => this.hub.publish(revision, changes),
            positive(opts.commitBatchSize, 256),
          )
        : undefined;
    this.hub = new WatchHub(
      {
        // Replays read only committed revisions; those of an open batch follow by publish().
        currentRevision: () => this.batch?.committedRevision() ?? driver.currentRevision(),
        compactRevision: () => this.compactor.compactRevision,
        changes: (from, to, fromRev, toRev, max) => driver.changes(from, to, fromRev, toRev, max),
      },
      {
        queueLimit: positive(opts.watchQueueLimit, 10_000),
        pageSize: positive(opts.watchPageSize, 1000),
        logger: this.logger,
      },
    );
    this.leaseKeeper = new Leases({
      driver,
      clock: opts.clock ?? systemClock,
      logger: this.logger,
      revoke: (id) => this.revokeLease(id),
    });
    this.leaseKeeper.start();
    this.ready = Promise.resolve();
  }

  async range(req: RangeRequest): Promise<RangeResponse> {
    this.assertOpen();
    this.settle();
    return executeRange(new DriverReader(this.driver, this.driver.currentRevision(), this.compactor.compactRevision), req);
  }

  async put(req: PutRequest): Promise<PutResponse> {
    this.assertOpen();
    return this.write(() => this.apply((view) => applyPut(view, req, this.leaseExists)));
  }

  async deleteRange(req: DeleteRangeRequest): Promise<DeleteRangeResponse> {
    this.assertOpen();
    return this.write(() => this.apply((view) => applyDeleteRange(view, req)));
  }

  async txn(req: TxnRequest): Promise<TxnResponse> {
    this.assertOpen();
    checkTxn(req, this.maxTxnOps);
    return this.write(() => this.apply((view) => applyTxn(view, req, this.leaseExists)));
  }

  async create(key: Buffer, value: Buffer, lease: bigint = 0n): Promise<CasResult> {
    this.assertOpen();
    return this.write(() => casApplied(casCreate(this.driver, key, value, lease, this.leaseExists)));
  }

  async update(key: Buffer, value: Buffer, expected: number, lease: bigint = 0n): Promise<CasResult> {
    this.assertOpen();
    return this.write(() => casApplied(casUpdate(this.driver, key, value, expected, lease, this.leaseExists)));
  }

  async delete(key: Buffer, expected: number): Promise<CasResult> {
    this.assertOpen();
    return this.write(() => casApplied(casDelete(this.driver, key, expected)));
  }

  async compact(revision: number): Promise<{ revision: number }> {
    this.assertOpen();
    this.settle();
    await this.compactor.compact(revision, this.driver.currentRevision());
    return { revision: this.driver.currentRevision() };
  }

  watch(req: WatchRequest): Watch {
    this.assertOpen();
    return this.hub.watch(req);
  }

  async leaseGrant(ttlSeconds: number, id?: bigint): Promise<LeaseGrantResponse> {
    this.assertOpen();
    this.settle();
    return this.leaseKeeper.grant(ttlSeconds, id);
  }

  async leaseRevoke(id: bigint): Promise<{ revision: number }> {
    this.assertOpen();
    this.settle();
    return { revision: this.leaseKeeper.revoke(id) };
  }

  async leaseKeepAlive(id: bigint): Promise<LeaseKeepAliveResponse> {
    this.assertOpen();
    this.settle();
    return this.leaseKeeper.keepAlive(id);
  }

  async leaseTimeToLive(id: bigint, keys: boolean): Promise<LeaseTimeToLiveResponse> {
    this.assertOpen();
    this.settle();
    return this.leaseKeeper.timeToLive(id, keys);
  }

  async leases(): Promise<bigint[]> {
    this.assertOpen();
    this.settle();
    return this.leaseKeeper.ids();
  }

  async status(): Promise<StoreStatus> {
    this.assertOpen();
    this.settle();
    return { revision: this.driver.currentRevision(), compactRevision: this.compactor.compactRevision, ...this.driver.size() };
  }

  /**
   * Idempotent. Commits the open batch, stops the lease timer, ends watches
   * ('closed'), waits out a running compaction batch, closes the driver.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.settle();
    this.leaseKeeper.stop();
    this.hub.closeAll();
    await this.compactor.stop();
    this.driver.close();
    this.logger.debug('store closed');
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('closed');
  }

  /** Commits the open batch, if any, so the driver holds only committed state. */
  private settle(): void {
    this.batch?.commit();
  }

  /**
   * Runs one write (apply makes its own driver.write()): in the open batch,
   * acknowledged after its COMMIT; or, without batching, committed and
   * published at once.
   */
  private write<T>(apply: () => Applied<T>): Promise<T> {
    if (this.batch) return this.batch.run(apply);
    const { result, revision, changes } = apply();
    if (changes.length > 0) this.hub.publish(revision, changes);
    return Promise.resolve(result);
  }

  /**
   * Runs fn against a fresh write view in one driver write and appends
   * whatever it changed as one revision; publishing is the caller's.
   */
  private apply<T>(fn: (view: WriteView) => T): Applied<T> {
    let changes: StoredChange[] = [];
    let revision = 0;
    const result = this.driver.write(() => {
      const view = new WriteView(this.driver, this.compactor.compactRevision);
      const out = fn(view);
      changes = view.changes();
      if (changes.length > 0) {
        revision = view.writeRevision;
        this.driver.append(
          revision,
          changes.map((c) => ({ kv: c.kv, deleted: c.deleted })),
        );
      }
      return out;
    });
    return { result, revision, changes };
  }

  /**
   * Deletes every key of the lease and the lease itself, at one revision
   * (none if it has no keys), committed on its own: lease expiry runs from a
   * timer and reports the revision at once.
   */
  private revokeLease(id: bigint): number {
    this.settle();
    const { result, revision, changes } = this.apply((view) => {
      for (const key of this.driver.keysWithLease(id)) {
        if (view.get(key)) view.delete(key);
      }
      this.driver.deleteLease(id);
      return view.revision;
    });
    if (changes.length > 0) this.hub.publish(revision, changes);
    return result;
  }
}

function casApplied(outcome: CasOutcome): Applied<CasResult> {
  const { result, change } = outcome;
  return { result, revision: result.revision, changes: change ? [change] : [] };
}

function positive(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`expected a positive integer, got ${value}`);
  return value;
}

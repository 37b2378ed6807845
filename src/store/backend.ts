import type {
  KeyValue,
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
} from './types.js';

/**
 * A key-value store with etcd v3 semantics: one global revision per write
 * transaction, per-key create/mod revision and version, compare-and-swap
 * transactions, watch from any uncompacted revision, leases and compaction.
 *
 * Every implementation passes the shared conformance suite
 * (`src/store/conformance.ts`). Errors are `StoreError`s (see errors.ts).
 */
export interface Backend {
  /** Resolves once the store can serve requests. */
  readonly ready: Promise<void>;

  range(req: RangeRequest): Promise<RangeResponse>;
  put(req: PutRequest): Promise<PutResponse>;
  deleteRange(req: DeleteRangeRequest): Promise<DeleteRangeResponse>;
  txn(req: TxnRequest): Promise<TxnResponse>;

  /** Fast path for the apiserver's create: put `key` only if it does not exist. */
  create(key: Buffer, value: Buffer, lease?: bigint): Promise<CasResult>;
  /** Fast path for the apiserver's update: put only if the key's modRevision is `expected` (0: only if absent). */
  update(key: Buffer, value: Buffer, expected: number, lease?: bigint): Promise<CasResult>;
  /** Fast path for the apiserver's delete: delete only if the key's modRevision is `expected`. */
  delete(key: Buffer, expected: number): Promise<CasResult>;

  /** Discards history below `revision`. Runs in small batches; resolves when done. */
  compact(revision: number): Promise<{ revision: number }>;

  /**
   * Starts a watch. Throws StoreError 'compacted' when startRevision is below
   * the compact revision. Events come as whole revisions, in order, no gaps.
   */
  watch(req: WatchRequest): Watch;

  leaseGrant(ttlSeconds: number, id?: bigint): Promise<LeaseGrantResponse>;
  leaseRevoke(id: bigint): Promise<{ revision: number }>;
  leaseKeepAlive(id: bigint): Promise<LeaseKeepAliveResponse>;
  leaseTimeToLive(id: bigint, keys: boolean): Promise<LeaseTimeToLiveResponse>;
  leases(): Promise<bigint[]>;

  status(): Promise<StoreStatus>;
  /** Stops timers, ends every watch with reason 'closed', and releases storage. */
  close(): Promise<void>;
}

/**
 * Result of a fast-path compare-and-swap. On success `revision` is the new
 * revision (unchanged when a delete found nothing to delete) and `kv` the
 * key as written (create/update) or as it was before deletion (delete). On
 * failure `kv` is the key's current value (undefined if absent) and
 * `revision` the store's current revision.
 */
export interface CasResult {
  succeeded: boolean;
  revision: number;
  kv?: KeyValue;
}

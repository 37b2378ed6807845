// The store's data model: etcd v3 semantics with JS-friendly types.
// Revisions are plain numbers (checked safe integers at every wire boundary);
// lease ids are bigint because etcd lease ids use the whole int64 range.

export interface KeyValue {
  key: Buffer;
  createRevision: number;
  modRevision: number;
  /** 1 on create, +1 per put, gone with the key on delete. */
  version: number;
  value: Buffer;
  /** 0n when the key has no lease. */
  lease: bigint;
}

export type SortOrder = 'NONE' | 'ASCEND' | 'DESCEND';
export type SortTarget = 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';

export interface RangeRequest {
  key: Buffer;
  /** Empty or absent: the single key. `\0`: every key >= key. Otherwise [key, rangeEnd). */
  rangeEnd?: Buffer;
  /** 0 or absent: no limit. */
  limit?: number;
  /** 0 or absent: the current revision. */
  revision?: number;
  keysOnly?: boolean;
  countOnly?: boolean;
  sortOrder?: SortOrder;
  sortTarget?: SortTarget;
  minModRevision?: number;
  maxModRevision?: number;
  minCreateRevision?: number;
  maxCreateRevision?: number;
}

export interface RangeResponse {
  /** Header revision: always the store's current revision, even for a historical read. */
  revision: number;
  kvs: KeyValue[];
  more: boolean;
  /** Keys in range at that revision, regardless of limit. */
  count: number;
}

export interface PutRequest {
  key: Buffer;
  value: Buffer;
  lease?: bigint;
  prevKv?: boolean;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

export interface PutResponse {
  revision: number;
  prevKv?: KeyValue;
}

export interface DeleteRangeRequest {
  key: Buffer;
  rangeEnd?: Buffer;
  prevKv?: boolean;
}

export interface DeleteRangeResponse {
  revision: number;
  deleted: number;
  prevKvs: KeyValue[];
}

export type CompareResult = 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL';

/** One etcd Compare. A missing key compares as a zero KeyValue; a VALUE compare on a missing key is false. */
export type Compare = {
  key: Buffer;
  rangeEnd?: Buffer;
  result: CompareResult;
} & (
  | { target: 'VERSION'; version: number }
  | { target: 'CREATE'; createRevision: number }
  | { target: 'MOD'; modRevision: number }
  | { target: 'VALUE'; value: Buffer }
  | { target: 'LEASE'; lease: bigint }
);

export type RequestOp =
  | { range: RangeRequest }
  | { put: PutRequest }
  | { deleteRange: DeleteRangeRequest }
  | { txn: TxnRequest };

export type ResponseOp =
  | { range: RangeResponse }
  | { put: PutResponse }
  | { deleteRange: DeleteRangeResponse }
  | { txn: TxnResponse };

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}

export interface TxnResponse {
  revision: number;
  succeeded: boolean;
  responses: ResponseOp[];
}

export type EventType = 'PUT' | 'DELETE';

export interface Event {
  type: EventType;
  /** For a DELETE: only key and modRevision are set (the rest zero/empty), as etcd sends it. */
  kv: KeyValue;
  /** Set only when the watch asked for prevKv, and never for a create. */
  prevKv?: KeyValue;
}

export interface WatchRequest {
  key: Buffer;
  rangeEnd?: Buffer;
  /** 0 or absent: from current revision + 1. */
  startRevision?: number;
  prevKv?: boolean;
  noPut?: boolean;
  noDelete?: boolean;
}

/** Events of whole revisions, in revision order; never splits one revision. */
export interface WatchBatch {
  /** The store revision this batch brings the watcher up to (>= every event's modRevision). */
  revision: number;
  events: Event[];
}

export type WatchEnd =
  | { reason: 'canceled' }
  | { reason: 'compacted'; compactRevision: number }
  | { reason: 'slow'; message: string }
  | { reason: 'closed' };

export interface Watch extends AsyncIterable<WatchBatch> {
  /** True once history replay has caught up with the live stream. */
  readonly synced: boolean;
  /** Why the iteration ended; undefined while it runs. */
  readonly ended: WatchEnd | undefined;
  /** The batches queued so far, taken without waiting; empty when none is. */
  takeQueued(): WatchBatch[];
  cancel(): void;
}

export interface LeaseGrantResponse {
  id: bigint;
  ttl: number;
}

export interface LeaseKeepAliveResponse {
  id: bigint;
  /** 0 when the lease is gone. */
  ttl: number;
}

export interface LeaseTimeToLiveResponse {
  id: bigint;
  /** -1 when the lease is gone. */
  ttl: number;
  grantedTtl: number;
  keys: Buffer[];
}

export interface StoreStatus {
  revision: number;
  compactRevision: number;
  /** Bytes the database occupies on disk (or in memory). */
  dbSize: number;
  dbSizeInUse: number;
}

// The etcd v3 messages as they cross the wire, in the shapes proto.ts's
// decoding contract produces (requests) and the encoder accepts (responses).
// Field names follow the .proto files; only the fields tsk8s reads or writes.

/** A decoded int64/uint64: a decimal string, possibly outside the safe-integer range. */
export type Int64 = string;
/** An int64 to encode: a safe integer or a decimal string. */
export type Int64Out = number | string;
/** A decoded enum: its name, or the raw number when the .proto does not know the value. */
export type WireEnum = string | number;

/** Responses nested in a txn carry only `revision`, as etcd's do. */
export interface WireHeader {
  cluster_id?: string;
  member_id?: string;
  /** Left out where etcd leaves it out (member list, compaction cancels). */
  revision?: Int64Out;
  raft_term?: string;
}

/** Zero-valued fields are left out (they decode the same, and take no bytes). */
export interface WireKeyValue {
  key: Buffer;
  create_revision?: Int64Out;
  mod_revision: Int64Out;
  version?: Int64Out;
  value?: Buffer;
  lease?: Int64Out;
}

/** `type` left out means PUT (the zero value). */
export interface WireEvent {
  type?: 'DELETE';
  kv: WireKeyValue;
  prev_kv?: WireKeyValue;
}

// ---- KV requests ----

export interface WireRangeRequest {
  key: Buffer;
  range_end: Buffer;
  limit: Int64;
  revision: Int64;
  sort_order: WireEnum;
  sort_target: WireEnum;
  serializable: boolean;
  keys_only: boolean;
  count_only: boolean;
  min_mod_revision: Int64;
  max_mod_revision: Int64;
  min_create_revision: Int64;
  max_create_revision: Int64;
}

export interface WirePutRequest {
  key: Buffer;
  value: Buffer;
  lease: Int64;
  prev_kv: boolean;
  ignore_value: boolean;
  ignore_lease: boolean;
}

export interface WireDeleteRangeRequest {
  key: Buffer;
  range_end: Buffer;
  prev_kv: boolean;
}

/** Only the oneof member named by `target_union` is present. */
export interface WireCompare {
  result: WireEnum;
  target: WireEnum;
  key: Buffer;
  range_end: Buffer;
  target_union?: string;
  version?: Int64;
  create_revision?: Int64;
  mod_revision?: Int64;
  value?: Buffer;
  lease?: Int64;
}

/** Only the oneof member named by `request` is present. */
export interface WireRequestOp {
  request?: string;
  request_range?: WireRangeRequest;
  request_put?: WirePutRequest;
  request_delete_range?: WireDeleteRangeRequest;
  request_txn?: WireTxnRequest;
}

export interface WireTxnRequest {
  compare: WireCompare[];
  success: WireRequestOp[];
  failure: WireRequestOp[];
}

export interface WireCompactionRequest {
  revision: Int64;
  physical: boolean;
}

// ---- KV responses ----

export interface WireRangeResponse {
  header: WireHeader;
  kvs: WireKeyValue[];
  more?: boolean;
  count?: Int64Out;
}

export interface WirePutResponse {
  header: WireHeader;
  prev_kv?: WireKeyValue;
}

export interface WireDeleteRangeResponse {
  header: WireHeader;
  deleted?: Int64Out;
  prev_kvs: WireKeyValue[];
}

export type WireResponseOp =
  | { response_range: WireRangeResponse }
  | { response_put: WirePutResponse }
  | { response_delete_range: WireDeleteRangeResponse }
  | { response_txn: WireTxnResponse };

export interface WireTxnResponse {
  header: WireHeader;
  succeeded?: boolean;
  responses: WireResponseOp[];
}

export interface WireHeaderOnly {
  header: WireHeader;
}

// ---- Watch ----

export interface WireWatchCreateRequest {
  key: Buffer;
  range_end: Buffer;
  start_revision: Int64;
  progress_notify: boolean;
  filters: WireEnum[];
  prev_kv: boolean;
  watch_id: Int64;
  fragment: boolean;
}

/** Only the oneof member named by `request_union` is present. */
export interface WireWatchRequest {
  request_union?: string;
  create_request?: WireWatchCreateRequest;
  cancel_request?: { watch_id: Int64 };
  progress_request?: Record<string, never>;
}

export interface WireWatchResponse {
  header: WireHeader;
  /** Absent for watch 0. */
  watch_id?: Int64Out;
  created?: boolean;
  canceled?: boolean;
  compact_revision?: Int64Out;
  cancel_reason?: string;
  events?: WireEvent[];
}

// ---- Lease ----

export interface WireLeaseGrantRequest {
  TTL: Int64;
  ID: Int64;
}

export interface WireLeaseGrantResponse {
  header: WireHeader;
  ID: Int64Out;
  TTL: Int64Out;
  error?: string;
}

export interface WireLeaseIdRequest {
  ID: Int64;
}

export interface WireLeaseKeepAliveResponse {
  header: WireHeader;
  ID: Int64Out;
  /** Absent (0) when the lease is gone. */
  TTL?: Int64Out;
}

export interface WireLeaseTimeToLiveRequest {
  ID: Int64;
  keys: boolean;
}

export interface WireLeaseTimeToLiveResponse {
  header: WireHeader;
  ID: Int64Out;
  TTL: Int64Out;
  grantedTTL?: Int64Out;
  keys: Buffer[];
}

export interface WireLeaseLeasesResponse {
  header: WireHeader;
  leases: { ID: Int64Out }[];
}

// ---- Cluster and Maintenance ----

export interface WireMember {
  ID: string;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner?: boolean;
}

export interface WireMemberListResponse {
  header: WireHeader;
  members: WireMember[];
}

export interface WireAlarmRequest {
  action: WireEnum;
  memberID: Int64;
  alarm: WireEnum;
}

export interface WireAlarmResponse {
  header: WireHeader;
  alarms: { memberID: string; alarm: string }[];
}

export interface WireStatusResponse {
  header: WireHeader;
  version: string;
  dbSize: Int64Out;
  leader: string;
  raftIndex: Int64Out;
  raftTerm: string;
  raftAppliedIndex: Int64Out;
  errors: string[];
  dbSizeInUse: Int64Out;
  isLearner?: boolean;
}

/** An empty request message (StatusRequest, LeaseLeasesRequest, ...). */
export type WireEmpty = Record<string, never>;

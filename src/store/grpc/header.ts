// The identity this single-member "cluster" reports in every response header
// and in Status/MemberList. Values are stable across restarts and non-zero
// (clients treat 0 as "unset"); they spell "tsk8s-c1" / "tsk8s-m1" in ASCII.
import type { WireHeader } from './wire.js';

export const identity = {
  clusterId: BigInt('0x74736b38732d6331').toString(),
  memberId: BigInt('0x74736b38732d6d31').toString(),
  /** There is no raft; a constant term keeps clients that display it happy. */
  raftTerm: '1',
  /**
   * The etcd version reported by Status. kube-apiserver enables
   * RequestWatchProgress only for >= 3.5.13 (or 3.4.31+), which this
   * server implements.
   */
  version: '3.5.17',
} as const;

/** A full response header; `revision` left out where etcd leaves it out. */
export function header(revision?: number): WireHeader {
  const h: WireHeader = { cluster_id: identity.clusterId, member_id: identity.memberId, raft_term: identity.raftTerm };
  if (revision !== undefined) h.revision = revision;
  return h;
}

/** The header of a response nested in a txn: etcd sets only the revision there. */
export function nestedHeader(revision: number): WireHeader {
  return { revision };
}

// etcdserverpb.Cluster: MemberList with the one member this server is. Its
// client URLs are the addresses actually listened on, so `etcdctl
// --cluster` reaches the same server. There are no peers.
import type { Logger } from '../../log/logger.js';
import { header, identity } from './header.js';
import type { RpcHandler } from './rpc-server.js';
import { unary } from './status.js';
import type { WireMemberListResponse } from './wire.js';

export function clusterService(name: string, clientUrls: () => readonly string[], log: Logger): Record<string, RpcHandler> {
  return {
    // etcd leaves the revision out of this header.
    MemberList: unary<unknown, WireMemberListResponse>(log, 'MemberList', async () => ({
      header: header(),
      members: [{ ID: identity.memberId, name, peerURLs: [], clientURLs: [...clientUrls()] }],
    })),
  };
}

// etcdserverpb.Maintenance: Status (etcdctl endpoint status, kube-apiserver's
// version probe and db size metric) and Alarm (always none: there is no
// space quota to exhaust). There is no raft: the raft indexes report the
// store revision, which grows the same way for a reader of this table.
import type { Logger } from '../../log/logger.js';
import type { Backend } from '../backend.js';
import { header, identity } from './header.js';
import type { RpcHandler } from './rpc-server.js';
import { unary } from './status.js';
import type { WireAlarmRequest, WireAlarmResponse, WireEmpty, WireStatusResponse } from './wire.js';

export function maintenanceService(backend: Backend, log: Logger): Record<string, RpcHandler> {
  return {
    Status: unary<WireEmpty, WireStatusResponse>(log, 'Status', async () => {
      const s = await backend.status();
      return {
        header: header(s.revision),
        version: identity.version,
        dbSize: s.dbSize,
        leader: identity.memberId,
        raftIndex: s.revision,
        raftTerm: identity.raftTerm,
        raftAppliedIndex: s.revision,
        errors: [],
        dbSizeInUse: s.dbSizeInUse,
      };
    }),
    // GET lists no alarms; ACTIVATE/DEACTIVATE have nothing to act on and also answer none.
    Alarm: unary<WireAlarmRequest, WireAlarmResponse>(log, 'Alarm', async () => ({ header: header(), alarms: [] })),
  };
}

// etcdserverpb.Lease: grant, revoke, keep-alive (bidi), time-to-live, list.
// Lease ids are bigint end to end (etcd ids use all of int64). Grant and
// keep-alive do not change the revision; their headers carry the current one.
import type { Logger } from '../../log/logger.js';
import type { Backend } from '../backend.js';
import { isStoreError } from '../errors.js';
import { header } from './header.js';
import { int64, leaseTtl } from './int64.js';
import { serverStopped, type OpenStreams } from './streams.js';
import type { StreamCall } from './rpc-call.js';
import type { RpcHandler } from './rpc-server.js';
import { streaming, toRpcError, unary } from './status.js';
import type {
  WireEmpty,
  WireHeaderOnly,
  WireLeaseGrantRequest,
  WireLeaseGrantResponse,
  WireLeaseIdRequest,
  WireLeaseKeepAliveResponse,
  WireLeaseLeasesResponse,
  WireLeaseTimeToLiveRequest,
  WireLeaseTimeToLiveResponse,
} from './wire.js';

export function leaseService(backend: Backend, log: Logger, streams: OpenStreams): Record<string, RpcHandler> {
  const currentHeader = async () => header((await backend.status()).revision);
  return {
    LeaseGrant: unary<WireLeaseGrantRequest, WireLeaseGrantResponse>(log, 'LeaseGrant', async (req) => {
      const id = int64(req.ID);
      const res = await backend.leaseGrant(leaseTtl(req.TTL), id === 0n ? undefined : id);
      return { header: await currentHeader(), ID: res.id.toString(), TTL: res.ttl };
    }),
    LeaseRevoke: unary<WireLeaseIdRequest, WireHeaderOnly>(log, 'LeaseRevoke', async (req) => {
      const res = await backend.leaseRevoke(int64(req.ID));
      return { header: header(res.revision) };
    }),
    // An unknown or expired lease is not an error here: TTL -1, as etcd answers.
    LeaseTimeToLive: unary<WireLeaseTimeToLiveRequest, WireLeaseTimeToLiveResponse>(log, 'LeaseTimeToLive', async (req) => {
      const res = await backend.leaseTimeToLive(int64(req.ID), req.keys);
      const out: WireLeaseTimeToLiveResponse = { header: await currentHeader(), ID: res.id.toString(), TTL: res.ttl, keys: res.keys };
      if (res.grantedTtl !== 0) out.grantedTTL = res.grantedTtl;
      return out;
    }),
    LeaseLeases: unary<WireEmpty, WireLeaseLeasesResponse>(log, 'LeaseLeases', async () => {
      const ids = await backend.leases();
      return { header: await currentHeader(), leases: ids.map((id) => ({ ID: id.toString() })) };
    }),
    LeaseKeepAlive: streaming<WireLeaseIdRequest, WireLeaseKeepAliveResponse>((call) => keepAliveStream(call, backend, log, streams)),
  };
}

/**
 * Answers each keep-alive in order. A lease that is gone gets TTL 0 (how
 * clients learn they lost it), never an error that would end the stream.
 */
function keepAliveStream(
  call: StreamCall<WireLeaseIdRequest, WireLeaseKeepAliveResponse>,
  backend: Backend,
  log: Logger,
  streams: OpenStreams,
): void {
  let done = false;
  let chain = Promise.resolve();
  const finish = (): void => {
    if (done) return;
    done = true;
    unregister();
    call.end();
  };
  const unregister = streams.add(() => {
    if (done) return;
    done = true;
    call.fail(serverStopped);
  });

  const answer = async (id: bigint): Promise<void> => {
    let ttl = 0;
    try {
      ttl = (await backend.leaseKeepAlive(id)).ttl;
    } catch (err) {
      if (!isStoreError(err, 'lease-not-found')) throw err;
    }
    if (done) return;
    const res: WireLeaseKeepAliveResponse = { header: header((await backend.status()).revision), ID: id.toString() };
    if (ttl !== 0) res.TTL = ttl;
    if (!done) call.write(res);
  };

  call.onRequest((req) => {
    chain = chain
      .then(() => answer(int64(req.ID)))
      .catch((err: unknown) => {
        if (done) return;
        done = true;
        unregister();
        call.fail(toRpcError(err, log, 'LeaseKeepAlive'));
      });
  });
  // Half-close: answer what was asked, then end.
  call.onHalfClose(() => void chain.then(finish));
  call.onCancel(finish);
}

// The node's heartbeat Lease, kube-node-lease/<node>: held by the node,
// 40 s long, renewed every 10 s, owned by the Node so it goes with it.
// Failed renewals are retried sooner (200 ms doubling, at most the renew
// interval), as upstream's lease controller does.
import type { coordinationv1, corev1 } from '../../api/types.js';
import type { Client } from '../../client/index.js';
import type { Logger } from '../../log/logger.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../machinery/index.js';
import { rfc3339Micro, sleepOn, type Clock } from '../clock.js';
import { messageOf } from '../errors.js';

export const leaseNamespace = 'kube-node-lease';
export const leaseDurationSeconds = 40;

export function leaseFor(node: corev1.Node, now: number): coordinationv1.Lease {
  const name = node.metadata?.name ?? '';
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: leaseNamespace,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata?.uid ?? '' }],
    },
    spec: { holderIdentity: name, leaseDurationSeconds, renewTime: rfc3339Micro(now) },
  };
}

export interface LeaseLoopOptions {
  client: Client;
  clock: Clock;
  logger: Logger;
  renewMs: number;
  /** The registered Node (for the owner reference). */
  node: () => corev1.Node;
}

export class NodeLease {
  private current: coordinationv1.Lease | undefined;

  constructor(private readonly opts: LeaseLoopOptions) {}

  /** Creates or renews the lease once; throws what the API said. */
  async renew(): Promise<coordinationv1.Lease> {
    const leases = this.opts.client.leases;
    const wanted = leaseFor(this.opts.node(), this.opts.clock.now());
    const name = wanted.metadata?.name ?? '';
    if (!this.current) {
      try {
        this.current = await leases.get(name, leaseNamespace);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        try {
          this.current = await leases.create(wanted);
          return this.current;
        } catch (createErr) {
          if (!isAlreadyExists(createErr)) throw createErr;
          this.current = await leases.get(name, leaseNamespace);
        }
      }
    }
    const next: coordinationv1.Lease = {
      ...this.current,
      metadata: { ...this.current.metadata, ownerReferences: wanted.metadata?.ownerReferences },
      spec: { ...this.current.spec, ...wanted.spec },
    };
    try {
      this.current = await leases.update(next);
    } catch (err) {
      // Someone else wrote it, or it was deleted: read it afresh next time.
      if (isConflict(err) || isNotFound(err)) this.current = undefined;
      throw err;
    }
    return this.current;
  }

  /** Renews every renewMs (the first renewal is the caller's) until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    let retryMs = 200;
    let wait = this.opts.renewMs;
    for (;;) {
      await sleepOn(this.opts.clock, wait, signal);
      if (signal.aborted) return;
      try {
        await this.renew();
        retryMs = 200;
        wait = this.opts.renewMs;
      } catch (err) {
        this.opts.logger.warn('lease renewal failed', { err: messageOf(err), retryMs });
        wait = Math.min(retryMs, this.opts.renewMs);
        retryMs = Math.min(retryMs * 2, 7000);
      }
    }
  }
}

// The service-account controller: every active namespace has a `default`
// ServiceAccount; it is recreated if deleted.
import type { corev1 } from '../api/types.js';
import { objectKey, runWorkers, WorkQueue, type Client } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isAlreadyExists, isForbidden, isNotFound } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';

export interface ServiceAccountControllerOptions {
  client: Client;
  namespaces: Lister<corev1.Namespace>;
  serviceAccounts: Lister<corev1.ServiceAccount>;
  logger?: Logger;
  queue?: WorkQueue;
  /** The accounts every namespace gets (upstream: `default`). */
  names?: readonly string[];
}

export class ServiceAccountController implements Controller {
  readonly name = 'serviceaccount';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly names: readonly string[];

  constructor(private readonly opts: ServiceAccountControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.names = opts.names ?? ['default'];
    opts.namespaces.addEventHandler({
      onAdd: (ns) => this.queue.add(objectKey(ns)),
      onUpdate: (_old, ns) => this.queue.add(objectKey(ns)),
    });
    opts.serviceAccounts.addEventHandler({
      onDelete: (sa) => {
        if (this.names.includes(sa.metadata?.name ?? '')) this.queue.add(sa.metadata?.namespace ?? '');
      },
    });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  /** `key` is a namespace name. */
  async sync(key: string): Promise<void> {
    const ns = this.opts.namespaces.get(key);
    if (!ns || ns.status?.phase === 'Terminating' || ns.metadata?.deletionTimestamp) return;
    for (const name of this.names) {
      if (this.opts.serviceAccounts.get(name, key)) continue;
      try {
        await this.opts.client.serviceAccounts.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: key } });
      } catch (err) {
        // Already there (the cache lags), or the namespace is going away.
        if (isAlreadyExists(err) || isNotFound(err) || isForbidden(err)) continue;
        throw err;
      }
    }
  }
}

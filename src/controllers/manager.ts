// Runs the controllers: builds each from the registry in descriptors.ts,
// starts the shared informers, waits for them to sync, then runs each
// controller's workers until the signal aborts. With leader election on, all
// of that happens only while this process holds the `kube-controller-manager`
// Lease in kube-system, so that several servers can share one datastore.
import { setMaxListeners } from 'node:events';
import { EventRecorder, LeaderElector, SharedInformerFactory, type Client, type LeaderElectionOptions, type ObjectLike, type ResourceRef } from '../client/index.js';
import type { Logger } from '../log/logger.js';
import type { Lister } from './controller.js';
import { controllerDescriptors, type ControllerContext, type ControllerTunables } from './descriptors.js';

export interface ControllerManagerOptions {
  client: Client;
  /** The process's shared informers; a private factory is made when absent. */
  informers?: SharedInformerFactory;
  logger: Logger;
  /** Run only while holding the kube-system/kube-controller-manager Lease. */
  leaderElection?: boolean;
  /** This process's name in the Lease (e.g. the node name plus a random suffix). */
  identity: string;
  /** Where the local-path provisioner puts volumes on the nodes (`<data-dir>/storage`). */
  storageDir?: string;
  /** Controller timings and thresholds (default: upstream's). */
  tunables?: ControllerTunables;
  /** Names of the controllers to run (default: all). */
  controllers?: readonly string[];
  /** Overrides of the election timings (tests). */
  leaseTimings?: Pick<LeaderElectionOptions, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'>;
}

export interface RunningControllers {
  /**
   * Resolves when the informers have synced and the workers run; with
   * leader election, once the first election attempt is over (the workers
   * start when this process wins).
   */
  ready: Promise<void>;
  /** Resolves after `signal` aborts and every worker has stopped (and the Lease is released). */
  stopped: Promise<void>;
}

export const leaseName = 'kube-controller-manager';

export function startControllers(opts: ControllerManagerOptions, signal: AbortSignal): RunningControllers {
  const log = opts.logger.child('controller-manager');
  const informers = opts.informers ?? new SharedInformerFactory(opts.client, { logger: opts.logger.child('informers') });
  const enabled = controllerDescriptors.filter((c) => !opts.controllers || opts.controllers.includes(c.name));
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));

  const lead = async (leading: AbortSignal): Promise<void> => {
    // Each controller's workers listen on it: a dozen listeners by design.
    setMaxListeners(0, leading);
    const recorders: EventRecorder[] = [];
    const removers: Array<() => void> = [];
    const ctx: ControllerContext = {
      client: opts.client,
      informers,
      lister: <T extends ObjectLike>(ref: ResourceRef): Lister<T> => {
        const informer = informers.informerFor<T>(ref);
        return {
          get hasSynced() {
            return informer.hasSynced;
          },
          get: (name, namespace) => informer.get(name, namespace),
          list: (namespace) => informer.list(namespace),
          addEventHandler: (handlers) => {
            const remove = informer.addEventHandler(handlers);
            removers.push(remove);
            return remove;
          },
        };
      },
      logger: opts.logger,
      tunables: opts.tunables ?? {},
      ...(opts.storageDir ? { storageDir: opts.storageDir } : {}),
      recorder: (component) => {
        const r = new EventRecorder(opts.client, { component, host: opts.identity, logger: log });
        recorders.push(r);
        return r;
      },
    };
    const running = enabled.map((d) => ({ descriptor: d, controller: d.build(ctx) }));
    informers.start(signal);
    const released = new Promise((resolve) => leading.addEventListener('abort', resolve, { once: true }));
    released.then(() => removers.forEach((remove) => remove())).catch(() => undefined);
    await Promise.race([informers.synced(), released]);
    if (leading.aborted) return;
    log.info('starting controllers', { controllers: running.map((r) => r.descriptor.name).join(',') });
    const workers = Promise.all(running.map((r) => r.controller.run(r.descriptor.workers, leading)));
    markReady();
    await workers;
    await Promise.all(recorders.map((r) => r.flush()));
    log.info('controllers stopped');
  };

  let stopped: Promise<void>;
  if (!opts.leaderElection) {
    stopped = lead(signal).finally(() => informers === opts.informers || informers.stop());
  } else {
    const elector = new LeaderElector({ client: opts.client, name: leaseName, identity: opts.identity, logger: log, ...opts.leaseTimings });
    stopped = elector
      .run(signal, {
        onStartedLeading: (leading) => lead(leading),
        onNewLeader: (identity) => {
          log.info('leader is', { identity });
          if (identity !== opts.identity) markReady();
        },
      })
      .finally(async () => {
        markReady();
        if (informers !== opts.informers) await informers.stop();
      });
  }
  return { ready, stopped: stopped.then(() => undefined) };
}

// startScheduler: informers for nodes and pods feed the cache and queue;
// one loop pops pods and runs their cycles one after another (as many as
// fit in a turn budget before it yields); bindings, status writes and events
// run in the background. `ready` resolves once the informers have synced;
// `stopped` once the loop, background work and queued events have ended.
// With leader election the informers and queue stay warm on every server,
// but pods are popped and scheduled only while this process holds the
// kube-system/kube-scheduler Lease, so servers sharing a datastore never
// schedule the same pod twice.
import type { corev1 } from '../api/types.js';
import { builtinRefs, EventRecorder, LeaderElector, SharedInformerFactory, type Client, type LeaderElectionOptions } from '../client/index.js';
import type { Logger } from '../log/logger.js';
import { SchedulerCache } from './framework/cache.js';
import type { Profile } from './framework/cycle.js';
import { SchedulingQueue, type QueueOptions } from './framework/queue.js';
import { nodeHandlers, podHandlers } from './handlers.js';
import { defaultProfile, defaultSchedulerName } from './profile.js';
import { PodScheduler } from './scheduleone.js';
import { volumeInformers } from './volumes.js';

export interface SchedulerOptions {
  client: Client;
  /** Shared with the rest of the process (its owner starts it); without one the scheduler makes and starts its own. */
  informers?: SharedInformerFactory;
  logger: Logger;
  schedulerName?: string;
  /** The plugins and weights (default: upstream's default profile, with VolumeBinding). */
  profile?: Profile;
  /** How long a binding waits for the pod's volumes to be Bound (default 600 s). */
  bindTimeoutMs?: number;
  /** Back-off and flush timings (tests shorten them). */
  queue?: QueueOptions;
  /** Tie-break source (tests make it deterministic). */
  random?: () => number;
  /** Schedule only while holding the kube-system/kube-scheduler Lease under this identity (the node name). */
  leaderElection?: { identity: string } & Pick<LeaderElectionOptions, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'>;
}

/**
 * How long one turn of the scheduling loop may run cycles back to back
 * before it yields to the rest of the process (informer events, the
 * bindings it started). Cycles are synchronous; running several per turn
 * keeps each kind of work together, which is cheaper than alternating
 * every pod with the API work of the previous one.
 */
const turnBudgetMs = 5;

export const schedulerLeaseName = 'kube-scheduler';

export interface Scheduler {
  readonly ready: Promise<void>;
  readonly stopped: Promise<void>;
}

export function startScheduler(opts: SchedulerOptions, signal: AbortSignal): Scheduler {
  const log = opts.logger.child('scheduler');
  const schedulerName = opts.schedulerName ?? defaultSchedulerName;
  const ownInformers = !opts.informers;
  const informers = opts.informers ?? new SharedInformerFactory(opts.client, { logger: log });
  const cache = new SchedulerCache();
  const queue = new SchedulingQueue(opts.queue);
  const volumes = opts.profile ? undefined : volumeInformers(opts.client, informers, queue, signal, opts.bindTimeoutMs);
  const profile = opts.profile ?? defaultProfile(schedulerName, volumes?.access);
  const background = new Set<Promise<void>>();
  const track = (p: Promise<void>): void => {
    const tracked = p.catch((err: unknown) => log.error('background work failed', { err: err instanceof Error ? err.message : String(err) })).finally(() => background.delete(tracked));
    background.add(tracked);
  };
  const recorder = new EventRecorder(opts.client, { component: schedulerName, logger: log });
  const scheduler = new PodScheduler({ client: opts.client, cache, queue, profile, recorder, log, random: opts.random, track });

  const nodes = informers.informerFor<corev1.Node>(builtinRefs.nodes);
  const pods = informers.informerFor<corev1.Pod>(builtinRefs.pods);
  const removeNodes = nodes.addEventHandler(nodeHandlers(cache, queue));
  const removePods = pods.addEventHandler(podHandlers(cache, queue, schedulerName));
  if (ownInformers) informers.start(signal);

  const ready = Promise.all([nodes.synced, pods.synced, volumes?.synced]).then(() => {
    log.info('ready', { schedulerName, nodes: cache.nodeCount });
  });
  ready.catch(() => undefined);

  const stop = (): void => queue.close();
  if (signal.aborted) stop();
  else signal.addEventListener('abort', stop, { once: true });

  /** Schedules pods until `leading` aborts or the queue closes. */
  const schedule = async (leading: AbortSignal): Promise<void> => {
    for (;;) {
      let q = await queue.pop(leading);
      if (!q) return;
      const end = performance.now() + turnBudgetMs;
      while (q) {
        try {
          scheduler.scheduleOne(q);
        } catch (err) {
          log.error('scheduling cycle failed', { pod: q.key, err: err instanceof Error ? err.message : String(err) });
          queue.addBackoff(q);
        }
        q = leading.aborted || performance.now() >= end ? undefined : queue.tryPop();
      }
    }
  };

  const loop = async (): Promise<void> => {
    try {
      await ready;
    } catch {
      return;
    }
    queue.run();
    const election = opts.leaderElection;
    if (!election) return schedule(signal);
    const elector = new LeaderElector({ client: opts.client, name: schedulerLeaseName, logger: log, ...election });
    await elector.run(signal, {
      onStartedLeading: (leading) => schedule(leading),
      onNewLeader: (identity) => log.info('leader is', { identity }),
    });
  };

  const stopped = (async () => {
    await loop();
    removeNodes();
    removePods();
    volumes?.close();
    while (background.size > 0) await Promise.all([...background]);
    await recorder.flush();
    if (ownInformers) await informers.stop();
  })();
  return { ready, stopped };
}

// List, then watch from the list's resourceVersion, forever: the loop under
// every informer. Each round lists the whole collection (in pages, one
// consistent snapshot) and hands it over as a replacement, then feeds watch
// events one by one. When the watch ends (its timeoutSeconds ran out, the
// server closed it) or reports 410 Expired, the next round lists again, so
// the receiver always converges on the server's state. Failures back off
// exponentially; progress resets the back-off.
import type { Logger } from '../log/logger.js';
import { isExpiredOrGone } from '../machinery/index.js';
import { Backoff, sleep, type BackoffOptions } from './backoff.js';
import { apiErrorFor } from './errors.js';
import { groupResource } from './paths.js';
import type { ObjectLike, ResourceClient, Selectors } from './resource.js';

export interface ReflectorSink<T> {
  /** The complete set of objects at `resourceVersion`, replacing whatever came before. */
  replace(items: T[], resourceVersion: string): void;
  /** One change seen by the watch. */
  apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: T): void;
}

export interface ReflectorOptions extends Selectors {
  /** Only this namespace ('' or undefined: all). */
  namespace?: string;
  /** List page size (default 500). */
  pageSize?: number;
  /** The timeoutSeconds of each watch (default: random in [300, 600), as upstream's reflectors). */
  watchTimeoutSeconds?: () => number;
  backoff?: BackoffOptions;
  logger: Logger;
}

/** A watch that ends this quickly without delivering anything counts as a failure (no hot relist loop). */
const minUsefulWatchMs = 250;

function randomWatchTimeout(): number {
  return 300 + Math.floor(Math.random() * 300);
}

export class Reflector<T extends ObjectLike> {
  private readonly backoff: Backoff;
  private readonly what: string;
  /** The resourceVersion of the last list or event seen. */
  lastResourceVersion = '';

  constructor(
    private readonly resource: ResourceClient<T>,
    private readonly sink: ReflectorSink<T>,
    private readonly opts: ReflectorOptions,
  ) {
    this.backoff = new Backoff(opts.backoff);
    this.what = groupResource(resource.ref) + (opts.namespace ? ` in ${opts.namespace}` : '');
  }

  /** Runs until the signal aborts; never throws. */
  async run(signal: AbortSignal): Promise<void> {
    const log = this.opts.logger;
    while (!signal.aborted) {
      const progress = { events: 0, started: Date.now() };
      try {
        await this.listAndWatch(signal, progress);
        if (signal.aborted) break;
        if (progress.events > 0 || Date.now() - progress.started >= minUsefulWatchMs) {
          this.backoff.reset();
          log.debug('watch ended, relisting', { resource: this.what, rv: this.lastResourceVersion });
          continue;
        }
        await sleep(this.backoff.next(), signal);
      } catch (err) {
        if (signal.aborted) break;
        if (isExpiredOrGone(err) && progress.events > 0) {
          // The history we would resume from is gone: a fresh list now.
          this.backoff.reset();
          log.info('watch expired, relisting', { resource: this.what, rv: this.lastResourceVersion });
          continue;
        }
        const delay = this.backoff.next();
        log.warn('list/watch failed, retrying', { resource: this.what, err: err instanceof Error ? err.message : String(err), retryMs: delay });
        await sleep(delay, signal);
      }
    }
  }

  private async listAndWatch(signal: AbortSignal, progress: { events: number }): Promise<void> {
    const selectors = { namespace: this.opts.namespace, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector };
    const list = await this.resource.listAll({ ...selectors, limit: this.opts.pageSize ?? 500, signal });
    if (signal.aborted) return;
    const rv = list.metadata.resourceVersion ?? '';
    this.lastResourceVersion = rv;
    this.sink.replace(list.items, rv);
    this.opts.logger.debug('listed', { resource: this.what, items: list.items.length, rv });

    const timeoutSeconds = (this.opts.watchTimeoutSeconds ?? randomWatchTimeout)();
    const watch = this.resource.watch({ ...selectors, resourceVersion: rv || undefined, allowWatchBookmarks: true, timeoutSeconds, signal });
    try {
      for await (const ev of watch) {
        if (ev.type === 'ERROR') throw apiErrorFor(500, ev.object);
        progress.events++;
        const eventRv = ev.object.metadata?.resourceVersion;
        if (eventRv) this.lastResourceVersion = eventRv;
        if (ev.type !== 'BOOKMARK') this.sink.apply(ev.type, ev.object);
      }
    } finally {
      watch.close();
    }
  }
}

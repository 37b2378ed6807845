// One informer per resource (and selection) for the whole process, so every
// controller that needs pods shares one list+watch and one cache. Informers
// asked for before start() start with it; those asked for later start at
// once.
import type { Logger } from '../log/logger.js';
import type { BackoffOptions } from './backoff.js';
import type { Client } from './client.js';
import { Informer } from './informer.js';
import type { ResourceRef } from './paths.js';
import type { ObjectLike, Selectors } from './resource.js';

export interface SharedInformerOptions {
  /** Resync period of every informer (0 or absent: none). */
  resyncMs?: number;
  pageSize?: number;
  watchTimeoutSeconds?: () => number;
  backoff?: BackoffOptions;
  freeze?: boolean;
  logger?: Logger;
}

/** A narrower informer: one namespace and/or selectors. */
export interface InformerSelection extends Selectors {
  namespace?: string;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, Informer<ObjectLike>>();
  private signal: AbortSignal | undefined;

  constructor(
    readonly client: Client,
    private readonly opts: SharedInformerOptions = {},
  ) {}

  /** The process-wide informer for `ref` (and `selection`); created on first use. */
  informerFor<T extends ObjectLike>(ref: ResourceRef, selection: InformerSelection = {}): Informer<T> {
    const id = [ref.group, ref.version, ref.resource, selection.namespace ?? '', selection.labelSelector ?? '', selection.fieldSelector ?? ''].join('|');
    let informer = this.informers.get(id);
    if (!informer) {
      informer = new Informer<ObjectLike>(this.client.resource(ref), {
        ...selection,
        resyncMs: this.opts.resyncMs,
        pageSize: this.opts.pageSize,
        watchTimeoutSeconds: this.opts.watchTimeoutSeconds,
        backoff: this.opts.backoff,
        freeze: this.opts.freeze,
        logger: this.opts.logger,
      });
      this.informers.set(id, informer);
      if (this.signal) informer.start(this.signal);
    }
    // The ref fixes the object type; T is the caller's name for it.
    return informer as unknown as Informer<T>;
  }

  /** Stops and drops the informers of `ref` (a resource that no longer exists); a later informerFor() starts afresh. */
  release(ref: ResourceRef): void {
    const prefix = [ref.group, ref.version, ref.resource, ''].join('|');
    for (const [id, informer] of this.informers) {
      if (!id.startsWith(prefix)) continue;
      this.informers.delete(id);
      void informer.stop();
    }
  }

  /** Starts every informer, now and as they are created, until `signal` aborts. */
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const informer of this.informers.values()) informer.start(signal);
  }

  /** Resolves when every informer created so far has synced. */
  async synced(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.synced));
  }

  /** Stops every informer and waits for their loops to end. */
  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}

// An informer: one list+watch per resource (reflector.ts) feeding an indexed
// cache (cache.ts) and event handlers.
//
// Contracts:
// - Handlers run synchronously, in event order, one event at a time; they
//   should be quick (enqueue a key, as controllers do). A handler that
//   throws is logged and the others still run.
// - Objects handed to handlers and returned by get/list/byIndex are the
//   cache's own and shared with every other reader: handlers and callers
//   must NOT modify them (copy first, e.g. structuredClone). The informer
//   itself never modifies an object it has handed out; a change arrives as
//   a new object. With `freeze: true` objects are deep-frozen so a stray
//   write throws (useful in tests).
// - After a relist, vanished objects are delivered to onDelete with the last
//   state the cache knew, and changed ones to onUpdate.
// - Resync (`resyncMs`) re-delivers every cached object to onUpdate(obj, obj)
//   without calling the API, so level-driven handlers retry periodically.
import { silentLogger, type Logger } from '../log/logger.js';
import type { BackoffOptions } from './backoff.js';
import { byNamespace, keyOf, namespaceIndex, ObjectCache, objectKey, type IndexFunc } from './cache.js';
import { groupResource } from './paths.js';
import { Reflector } from './reflector.js';
import type { ObjectLike, ResourceClient, Selectors } from './resource.js';

export interface InformerHandlers<T> {
  /** `initialList`: the object came with the first list (or was replayed to a handler added late). */
  onAdd?(obj: T, initialList: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

export interface InformerOptions<T> extends Selectors {
  namespace?: string;
  /** Re-deliver every cached object to onUpdate this often (0 or absent: never). */
  resyncMs?: number;
  /** Indexes besides `namespace`, which is always there. */
  indexers?: Readonly<Record<string, IndexFunc<T>>>;
  pageSize?: number;
  watchTimeoutSeconds?: () => number;
  backoff?: BackoffOptions;
  freeze?: boolean;
  logger?: Logger;
}

export class Informer<T extends ObjectLike> {
  /** Resolves once the first list is in the cache and delivered; rejects if stopped before. */
  readonly synced: Promise<void>;
  private resolveSynced: () => void = () => undefined;
  private rejectSynced: (err: Error) => void = () => undefined;
  private isSynced = false;
  private readonly cache: ObjectCache<T>;
  private readonly handlers = new Set<InformerHandlers<T>>();
  private readonly reflector: Reflector<T>;
  private readonly controller = new AbortController();
  private readonly log: Logger;
  private readonly what: string;
  private running: Promise<void> | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly resource: ResourceClient<T>,
    private readonly opts: InformerOptions<T> = {},
  ) {
    this.synced = new Promise<void>((resolve, reject) => {
      this.resolveSynced = resolve;
      this.rejectSynced = reject;
    });
    this.synced.catch(() => undefined);
    this.cache = new ObjectCache<T>({ [namespaceIndex]: byNamespace, ...opts.indexers });
    this.log = opts.logger ?? silentLogger;
    this.what = groupResource(resource.ref);
    this.reflector = new Reflector(resource, { replace: (items) => this.replace(items), apply: (type, obj) => this.apply(type, obj) }, {
      namespace: opts.namespace,
      labelSelector: opts.labelSelector,
      fieldSelector: opts.fieldSelector,
      pageSize: opts.pageSize,
      watchTimeoutSeconds: opts.watchTimeoutSeconds,
      backoff: opts.backoff,
      logger: this.log,
    });
  }

  get hasSynced(): boolean {
    return this.isSynced;
  }

  /** The resourceVersion of the last list or event applied. */
  get lastResourceVersion(): string {
    return this.reflector.lastResourceVersion;
  }

  /**
   * Adds handlers; returns a function removing them. Handlers added after
   * objects have arrived first get every cached object as onAdd(obj, true).
   */
  addEventHandler(handlers: InformerHandlers<T>): () => void {
    this.handlers.add(handlers);
    if (this.isSynced) for (const obj of this.cache.list()) this.call('onAdd', () => handlers.onAdd?.(obj, true));
    return () => this.handlers.delete(handlers);
  }

  /** Adds an index (filing the objects already cached). */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.cache.addIndexer(name, fn);
  }

  /** Starts listing and watching; idempotent. Stops when `signal` aborts or stop() is called. */
  start(signal?: AbortSignal): void {
    if (this.running) return;
    if (signal?.aborted) this.controller.abort();
    else signal?.addEventListener('abort', () => void this.stop(), { once: true });
    this.running = this.reflector.run(this.controller.signal);
    if (this.opts.resyncMs) this.resyncTimer = setInterval(() => this.resync(), this.opts.resyncMs);
  }

  /** Stops the list/watch loop and resync; resolves when the loop has exited. */
  async stop(): Promise<void> {
    this.controller.abort();
    clearInterval(this.resyncTimer);
    if (!this.isSynced) this.rejectSynced(new Error(`informer for ${this.what} stopped before it synced`));
    await this.running;
  }

  get(name: string, namespace?: string): T | undefined {
    return this.cache.get(keyOf(name, this.resource.ref.namespaced ? namespace : undefined));
  }

  /** Every cached object, or those of one namespace (through the namespace index). */
  list(namespace?: string): T[] {
    return namespace === undefined ? this.cache.list() : this.cache.byIndex(namespaceIndex, namespace);
  }

  byIndex(index: string, value: string): T[] {
    return this.cache.byIndex(index, value);
  }

  indexValues(index: string): string[] {
    return this.cache.indexValues(index);
  }

  keys(): string[] {
    return this.cache.keys();
  }

  private replace(items: T[]): void {
    const initial = !this.isSynced;
    const seen = new Set<string>();
    for (const item of items) {
      const obj = this.own(item);
      const key = objectKey(obj);
      seen.add(key);
      const old = this.cache.get(key);
      if (old !== undefined && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) continue;
      this.cache.set(obj);
      if (old === undefined) this.emit('onAdd', (h) => h.onAdd?.(obj, initial));
      else this.emit('onUpdate', (h) => h.onUpdate?.(old, obj));
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const old = this.cache.delete(key);
      if (old !== undefined) this.emit('onDelete', (h) => h.onDelete?.(old));
    }
    if (initial) {
      this.isSynced = true;
      this.log.debug('synced', { resource: this.what, items: this.cache.size });
      this.resolveSynced();
    }
  }

  private apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', item: T): void {
    const obj = this.own(item);
    const key = objectKey(obj);
    if (type === 'DELETED') {
      const old = this.cache.delete(key);
      if (old !== undefined) this.emit('onDelete', (h) => h.onDelete?.(obj));
      return;
    }
    const old = this.cache.set(obj);
    if (old === undefined) this.emit('onAdd', (h) => h.onAdd?.(obj, false));
    else this.emit('onUpdate', (h) => h.onUpdate?.(old, obj));
  }

  private resync(): void {
    if (!this.isSynced) return;
    for (const obj of this.cache.list()) this.emit('onUpdate', (h) => h.onUpdate?.(obj, obj));
  }

  private own(obj: T): T {
    return this.opts.freeze ? deepFreeze(obj) : obj;
  }

  private emit(kind: string, fn: (h: InformerHandlers<T>) => void): void {
    for (const h of this.handlers) this.call(kind, () => fn(h));
  }

  private call(kind: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error('event handler failed', { resource: this.what, handler: kind, err: err instanceof Error ? err.message : String(err) });
    }
  }
}

function deepFreeze<V>(value: V): V {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}

// The shape every controller in this folder shares, and the view of an
// informer a controller needs. Controllers take Listers rather than
// Informers so that tests can hand them a preloaded cache.
import type { InformerHandlers, ObjectLike } from '../client/index.js';

/** What a controller reads from an informer (Informer fits it). */
export interface Lister<T extends ObjectLike> {
  readonly hasSynced: boolean;
  get(name: string, namespace?: string): T | undefined;
  list(namespace?: string): T[];
  addEventHandler(handlers: InformerHandlers<T>): () => void;
}

export interface Controller {
  /** Upstream's controller name, e.g. `replicaset`. */
  readonly name: string;
  /** Reconciles one object by key (`namespace/name`); idempotent; throws to be retried. */
  sync(key: string): Promise<void>;
  /** Runs `workers` workers until `signal` aborts; resolves when they have finished. */
  run(workers: number, signal: AbortSignal): Promise<void>;
}

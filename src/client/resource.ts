// Typed verbs on one resource, over any Transport. Requests are what
// upstream's clients send: the same paths, query parameters and bodies.
import type { ListMeta, ObjectMeta } from '../api/types.js';
import { isResourceExpired, type Status } from '../machinery/index.js';
import { ClientError } from './errors.js';
import { groupResource, resourcePath, type ResourceRef } from './paths.js';
import type { ClientWatch, Query, Transport } from './transport.js';

/** What every API object has; kind types from api/types.ts fit it. */
export interface ObjectLike {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface ObjectList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

export interface Selectors {
  /** Label selector text: `app=web,tier!=db`. */
  labelSelector?: string;
  /** Field selector text: `metadata.name=web`. */
  fieldSelector?: string;
}

export interface ListOptions extends Selectors {
  /** Omit (or '') for all namespaces of a namespaced resource. */
  namespace?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
  signal?: AbortSignal;
}

export interface WatchOptions extends Selectors {
  namespace?: string;
  /** Omit for the current state as ADDED events first; otherwise the changes after it. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  signal?: AbortSignal;
}

export interface CreateOptions extends WriteOptions {
  /** Defaults to the object's metadata.namespace. */
  namespace?: string;
}

export type PatchType = 'merge' | 'strategic' | 'json';

export const patchContentTypes: Readonly<Record<PatchType, string>> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

export interface PatchOptions extends WriteOptions {
  namespace?: string;
  /** Default 'merge'. */
  type?: PatchType;
  /** e.g. 'status'. */
  subresource?: string;
}

export interface DeleteOptions {
  namespace?: string;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  signal?: AbortSignal;
}

export interface DeleteCollectionOptions extends DeleteOptions, Selectors {}

function text(n: number | undefined): string | undefined {
  return n === undefined ? undefined : String(n);
}

function writeQuery(opts: WriteOptions): Query {
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager };
}

function deleteBody(opts: DeleteOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (opts.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = opts.gracePeriodSeconds;
  if (opts.preconditions !== undefined) body['preconditions'] = opts.preconditions;
  if (opts.propagationPolicy !== undefined) body['propagationPolicy'] = opts.propagationPolicy;
  if (opts.dryRun) body['dryRun'] = ['All'];
  return body;
}

export class ResourceClient<T extends ObjectLike> {
  constructor(
    private readonly transport: Transport,
    readonly ref: ResourceRef,
  ) {}

  async get(name: string, namespace?: string, signal?: AbortSignal): Promise<T> {
    return this.call('GET', resourcePath(this.ref, { namespace, name }), { signal });
  }

  /** One page (or everything, without `limit`). */
  async list(opts: ListOptions = {}): Promise<ObjectList<T>> {
    const query: Query = {
      labelSelector: opts.labelSelector || undefined,
      fieldSelector: opts.fieldSelector || undefined,
      limit: text(opts.limit),
      continue: opts.continue || undefined,
      resourceVersion: opts.resourceVersion,
      resourceVersionMatch: opts.resourceVersionMatch,
    };
    return this.call('GET', resourcePath(this.ref, { namespace: opts.namespace }), { query, signal: opts.signal });
  }

  /**
   * Every matching object, read in pages of `limit` (default 500) following
   * `continue`. The result is one consistent snapshot: if the snapshot
   * expires mid-way (410), the list is read again in one piece, as
   * upstream's pager does.
   */
  async listAll(opts: Omit<ListOptions, 'continue'> = {}): Promise<ObjectList<T>> {
    const limit = opts.limit ?? 500;
    const first = await this.list({ ...opts, limit });
    const items = [...first.items];
    let next = first.metadata.continue;
    while (next) {
      let page: ObjectList<T>;
      try {
        page = await this.list({ ...opts, limit, continue: next, resourceVersion: undefined, resourceVersionMatch: undefined });
      } catch (err) {
        if (!isResourceExpired(err)) throw err;
        return this.list({ ...opts, limit: undefined });
      }
      items.push(...page.items);
      next = page.metadata.continue;
    }
    const metadata: ListMeta = { ...first.metadata };
    delete metadata.continue;
    delete metadata.remainingItemCount;
    return { ...first, metadata, items };
  }

  async create(obj: T, opts: CreateOptions = {}): Promise<T> {
    const namespace = opts.namespace ?? obj.metadata?.namespace;
    if (this.ref.namespaced && !namespace) {
      throw new ClientError('bad-request', `${groupResource(this.ref)} is namespaced: set metadata.namespace or the namespace option to create one`);
    }
    return this.call('POST', resourcePath(this.ref, { namespace }), { query: writeQuery(opts), body: obj, signal: opts.signal });
  }

  /** Replaces the object (PUT); metadata.resourceVersion, when set, must be current (409 Conflict otherwise). */
  async update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.call('PUT', this.objectPath(obj), { query: writeQuery(opts), body: obj, signal: opts.signal });
  }

  /** Replaces the status subresource; other changes in `obj` are ignored by the server. */
  async updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.call('PUT', this.objectPath(obj, 'status'), { query: writeQuery(opts), body: obj, signal: opts.signal });
  }

  async patch(name: string, patch: unknown, opts: PatchOptions = {}): Promise<T> {
    const path = resourcePath(this.ref, { namespace: opts.namespace, name, subresource: opts.subresource });
    const contentType = patchContentTypes[opts.type ?? 'merge'];
    return this.call('PATCH', path, { query: writeQuery(opts), body: patch, contentType, signal: opts.signal });
  }

  /**
   * Deletes one object. The answer is the object when it lives on (finalizers,
   * a graceful pod deletion) or the resource returns deleted objects (pods);
   * otherwise a Success Status.
   */
  async delete(name: string, opts: DeleteOptions = {}): Promise<T | Status> {
    const path = resourcePath(this.ref, { namespace: opts.namespace, name });
    return this.call('DELETE', path, { body: deleteBody(opts), signal: opts.signal });
  }

  /** Deletes every matching object in the namespace (all namespaces when none is given). */
  async deleteCollection(opts: DeleteCollectionOptions = {}): Promise<ObjectList<T> | Status> {
    const query: Query = { labelSelector: opts.labelSelector || undefined, fieldSelector: opts.fieldSelector || undefined };
    const path = resourcePath(this.ref, { namespace: opts.namespace });
    return this.call('DELETE', path, { query, body: deleteBody(opts), signal: opts.signal });
  }

  /** Watches the collection; see Transport for the event contract. */
  watch(opts: WatchOptions = {}): ClientWatch<T> {
    const query: Query = {
      labelSelector: opts.labelSelector || undefined,
      fieldSelector: opts.fieldSelector || undefined,
      resourceVersion: opts.resourceVersion,
      allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined,
      timeoutSeconds: text(opts.timeoutSeconds),
    };
    const path = resourcePath(this.ref, { namespace: opts.namespace });
    // The transport yields decoded JSON; its shape is the server's promise.
    return this.transport.watch({ path, query, signal: opts.signal }) as ClientWatch<T>;
  }

  private objectPath(obj: T, subresource?: string): string {
    const name = obj.metadata?.name;
    if (!name) throw new ClientError('bad-request', `${groupResource(this.ref)}: metadata.name is required to update an object`);
    return resourcePath(this.ref, { namespace: obj.metadata?.namespace, name, subresource });
  }

  private async call<R>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    opts: { query?: Query; body?: unknown; contentType?: string; signal?: AbortSignal | undefined },
  ): Promise<R> {
    const res = await this.transport.request({ method, path, ...opts });
    if (typeof res.body !== 'object' || res.body === null) {
      throw new ClientError('bad-response', `${method} ${path}: expected a JSON object, got ${res.body === undefined ? 'an empty body' : typeof res.body}`);
    }
    return res.body as R;
  }
}

// Objects over a Backend: JSON values at registry keys, compare-and-swap on
// mod revision, paged range reads at a snapshot revision, and watches. Store
// failures become ApiErrors here and nowhere else.
import type { StoredObject } from '../../api/types.js';
import { continueExpired, internalError, tooLargeResourceVersion, type ApiError } from '../../machinery/index.js';
import type { Backend } from '../../store/backend.js';
import { isStoreError } from '../../store/errors.js';
import type { KeyValue, Watch } from '../../store/types.js';
import { decodeObject, encodeObject } from './codec.js';
import { prefixEnd } from './keys.js';

export interface Current {
  obj: StoredObject;
  modRevision: number;
}

export interface PageRequest {
  prefix: string;
  /** 0: no limit. */
  limit: number;
  /** Key suffix (after prefix) to start at, inclusive. */
  start?: string;
  /** 0: the latest revision. */
  revision: number;
}

export interface Page {
  items: { key: string; kv: KeyValue }[];
  /** The snapshot revision the page was read at. */
  revision: number;
  more: boolean;
  /** Keys in the range from `start` on, at that revision. */
  count: number;
}

export type CasOutcome = { ok: true; obj: StoredObject; revision: number } | { ok: false; current: Current | undefined };

function translate(err: unknown, context: { revision?: number }): ApiError {
  if (isStoreError(err, 'compacted')) return continueExpired();
  if (isStoreError(err, 'future-revision')) return tooLargeResourceVersion(context.revision ?? 0, 0, 1);
  return internalError(err);
}

export class ObjectStore {
  constructor(readonly backend: Backend) {}

  async revision(): Promise<number> {
    return (await this.backend.status()).revision;
  }

  async get(key: string): Promise<Current | undefined> {
    const res = await this.backend.range({ key: Buffer.from(key) }).catch((err: unknown) => {
      throw translate(err, {});
    });
    const kv = res.kvs[0];
    return kv ? { obj: decodeObject(kv), modRevision: kv.modRevision } : undefined;
  }

  /** One page of a range read; a compacted snapshot revision is a 410 Expired. */
  async page(req: PageRequest): Promise<Page> {
    const prefix = Buffer.from(req.prefix);
    const key = req.start === undefined ? prefix : Buffer.from(req.prefix + req.start);
    try {
      const res = await this.backend.range({ key, rangeEnd: prefixEnd(prefix), limit: req.limit, revision: req.revision });
      const items = res.kvs.map((kv) => ({ key: kv.key.toString('utf8'), kv }));
      return { items, revision: req.revision === 0 ? res.revision : req.revision, more: res.more, count: res.count };
    } catch (err) {
      throw translate(err, { revision: req.revision });
    }
  }

  async create(key: string, obj: StoredObject): Promise<CasOutcome> {
    const res = await this.backend.create(Buffer.from(key), encodeObject(obj)).catch((err: unknown) => {
      throw translate(err, {});
    });
    if (res.succeeded) return { ok: true, obj: withRevision(obj, res.revision), revision: res.revision };
    return { ok: false, current: res.kv ? { obj: decodeObject(res.kv), modRevision: res.kv.modRevision } : undefined };
  }

  /**
   * Creates the object together with reservation keys (allocated addresses,
   * ports) in one transaction; fails if any of them exists. On failure
   * `current` is the object if it was the object key that existed.
   */
  async createWith(key: string, obj: StoredObject, reservations: readonly string[]): Promise<CasOutcome> {
    if (reservations.length === 0) return this.create(key, obj);
    const value = encodeObject(obj);
    const keys = [key, ...reservations].map((k) => Buffer.from(k));
    const res = await this.backend
      .txn({
        compare: keys.map((k) => ({ key: k, target: 'CREATE' as const, createRevision: 0, result: 'EQUAL' as const })),
        success: keys.map((k, i) => ({ put: { key: k, value: i === 0 ? value : Buffer.from(key) } })),
        failure: [],
      })
      .catch((err: unknown) => {
        throw translate(err, {});
      });
    if (res.succeeded) return { ok: true, obj: withRevision(obj, res.revision), revision: res.revision };
    return { ok: false, current: await this.get(key) };
  }

  /** Deletes the object and its reservation keys if the object's mod revision is still `expected`. */
  async deleteWith(key: string, expected: number, reservations: readonly string[]): Promise<CasOutcome> {
    if (reservations.length === 0) return this.delete(key, expected);
    const k = Buffer.from(key);
    const res = await this.backend
      .txn({
        compare: [{ key: k, target: 'MOD', modRevision: expected, result: 'EQUAL' }],
        success: [{ deleteRange: { key: k, prevKv: true } }, ...reservations.map((r) => ({ deleteRange: { key: Buffer.from(r) } }))],
        failure: [],
      })
      .catch((err: unknown) => {
        throw translate(err, {});
      });
    const first = res.responses[0];
    const prev = first && 'deleteRange' in first ? first.deleteRange.prevKvs[0] : undefined;
    if (res.succeeded && prev) return { ok: true, obj: decodeObject(prev, res.revision), revision: res.revision };
    return { ok: false, current: await this.get(key) };
  }

  async exists(key: string): Promise<boolean> {
    const res = await this.backend.range({ key: Buffer.from(key), countOnly: true }).catch((err: unknown) => {
      throw translate(err, {});
    });
    return res.count > 0;
  }

  /** Writes `obj` if the key's mod revision is still `expected`. */
  async update(key: string, obj: StoredObject, expected: number): Promise<CasOutcome> {
    const res = await this.backend.update(Buffer.from(key), encodeObject(obj), expected).catch((err: unknown) => {
      throw translate(err, {});
    });
    if (res.succeeded) return { ok: true, obj: withRevision(obj, res.revision), revision: res.revision };
    return { ok: false, current: res.kv ? { obj: decodeObject(res.kv), modRevision: res.kv.modRevision } : undefined };
  }

  /** Deletes the key if its mod revision is still `expected`; `obj` is the deleted object at the deletion revision. */
  async delete(key: string, expected: number): Promise<CasOutcome> {
    const res = await this.backend.delete(Buffer.from(key), expected).catch((err: unknown) => {
      throw translate(err, {});
    });
    if (res.succeeded && res.kv) return { ok: true, obj: decodeObject(res.kv, res.revision), revision: res.revision };
    return { ok: false, current: res.kv ? { obj: decodeObject(res.kv), modRevision: res.kv.modRevision } : undefined };
  }

  /** Watches every key under `prefix` from `startRevision` (inclusive); throws StoreError 'compacted'. */
  watch(prefix: string, startRevision: number): Watch {
    const key = Buffer.from(prefix);
    return this.backend.watch({ key, rangeEnd: prefixEnd(key), startRevision, prevKv: true });
  }
}

function withRevision(obj: StoredObject, revision: number): StoredObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: String(revision) } };
}

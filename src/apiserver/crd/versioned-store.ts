// The object store as one served version of a custom kind sees it. A CRD's
// versions share one keyspace and, with the `None` conversion strategy,
// differ only in apiVersion: objects are written with the storage
// version's apiVersion and read back with the served version's.
import type { StoredObject } from '../../api/types.js';
import type { KeyValue } from '../../store/types.js';
import { DecodedObjects } from '../rest/decoded.js';
import { ObjectStore, type CasOutcome, type Current, type Page, type PageRequest } from '../storage/store.js';

function withVersion(obj: StoredObject, apiVersion: string): StoredObject {
  return obj.apiVersion === apiVersion ? obj : { ...obj, apiVersion };
}

export class VersionedStore extends ObjectStore {
  /**
   * `checkUpdate` runs on every object an update writes (it may throw); the
   * status subresource's store uses it to hold status writes to the schema,
   * since those skip the defaulter.
   */
  constructor(
    inner: ObjectStore,
    private readonly served: string,
    private readonly storage: string,
    private readonly checkUpdate?: (obj: StoredObject) => void,
  ) {
    super(inner.backend);
  }

  private current(c: Current | undefined): Current | undefined {
    return c === undefined ? undefined : { ...c, obj: withVersion(c.obj, this.served) };
  }

  private outcome(o: CasOutcome): CasOutcome {
    return o.ok ? { ...o, obj: withVersion(o.obj, this.served) } : { ok: false, current: this.current(o.current) };
  }

  override async get(key: string): Promise<Current | undefined> {
    return this.current(await super.get(key));
  }

  override async page(req: PageRequest): Promise<Page> {
    const page = await super.page(req);
    if (this.served === this.storage) return page;
    const items = page.items.map(({ key, kv }) => ({ key, kv: this.rewrite(kv) }));
    return { ...page, items };
  }

  /** A stored value with the served apiVersion (unchanged when it already has it). */
  rewrite(kv: KeyValue): KeyValue {
    const obj = JSON.parse(kv.value.toString('utf8')) as StoredObject;
    if (obj.apiVersion === this.served) return kv;
    return { ...kv, value: Buffer.from(JSON.stringify({ ...obj, apiVersion: this.served })) };
  }

  override async create(key: string, obj: StoredObject): Promise<CasOutcome> {
    return this.outcome(await super.create(key, withVersion(obj, this.storage)));
  }

  override async createWith(key: string, obj: StoredObject, reservations: readonly string[]): Promise<CasOutcome> {
    return this.outcome(await super.createWith(key, withVersion(obj, this.storage), reservations));
  }

  override async update(key: string, obj: StoredObject, expected: number): Promise<CasOutcome> {
    this.checkUpdate?.(obj);
    return this.outcome(await super.update(key, withVersion(obj, this.storage), expected));
  }

  override async delete(key: string, expected: number): Promise<CasOutcome> {
    return this.outcome(await super.delete(key, expected));
  }

  override async deleteWith(key: string, expected: number, reservations: readonly string[]): Promise<CasOutcome> {
    return this.outcome(await super.deleteWith(key, expected, reservations));
  }
}

/** Watch decoding for one served version: this version's own cache, objects carrying its apiVersion. */
export class VersionedDecoded extends DecodedObjects {
  constructor(private readonly served: string) {
    super(1024);
  }

  override get(kv: KeyValue, revision = kv.modRevision): StoredObject {
    const obj = super.get(kv, revision);
    // The cache belongs to this version alone, so its entries may carry this version's apiVersion.
    obj.apiVersion = this.served;
    return obj;
  }
}

// The informer's indexed store: objects by key (`namespace/name`, or `name`
// for cluster-scoped objects), plus secondary indexes computed by index
// functions (by namespace unless told otherwise).
//
// The cache stores the objects it is given and never modifies them; what it
// returns is shared with every other reader and must not be modified either.
import type { ObjectLike } from './resource.js';

/** The values an object is filed under in one index (none: not in this index). */
export type IndexFunc<T> = (obj: T) => readonly string[];

export const namespaceIndex = 'namespace';

/** Files objects by metadata.namespace ('' for cluster-scoped objects). */
export function byNamespace(obj: ObjectLike): readonly string[] {
  return [obj.metadata?.namespace ?? ''];
}

/** `namespace/name`, or `name` when there is no namespace (upstream's MetaNamespaceKeyFunc). */
export function objectKey(obj: ObjectLike): string {
  return keyOf(obj.metadata?.name ?? '', obj.metadata?.namespace);
}

export function keyOf(name: string, namespace?: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export class ObjectCache<T extends ObjectLike> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys. */
  private readonly indices = new Map<string, Map<string, Set<string>>>();

  constructor(indexers: Readonly<Record<string, IndexFunc<T>>> = { [namespaceIndex]: byNamespace }) {
    for (const [name, fn] of Object.entries(indexers)) this.addIndexer(name, fn);
  }

  get size(): number {
    return this.items.size;
  }

  /** Adds an index, filing the objects already held. A name already in use is replaced. */
  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.indexers.set(name, fn);
    const index = new Map<string, Set<string>>();
    this.indices.set(name, index);
    for (const [key, obj] of this.items) file(index, fn(obj), key);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  list(): T[] {
    return [...this.items.values()];
  }

  /** Objects filed under `value` in index `name`; throws for an unknown index. */
  byIndex(name: string, value: string): T[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`no index named ${JSON.stringify(name)}`);
    const keys = index.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const key of keys) {
      const obj = this.items.get(key);
      if (obj !== undefined) out.push(obj);
    }
    return out;
  }

  /** The values index `name` holds (e.g. every namespace with objects). */
  indexValues(name: string): string[] {
    return [...(this.indices.get(name)?.keys() ?? [])];
  }

  /** Stores `obj` under its key; returns what it replaced. */
  set(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old !== undefined) this.unfile(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) file(this.indices.get(name)!, fn(obj), key);
    return old;
  }

  /** Removes the object at `key`; returns it. */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.unfile(key, old);
    this.items.delete(key);
    return old;
  }

  private unfile(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name)!;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        if (!keys) continue;
        keys.delete(key);
        if (keys.size === 0) index.delete(value);
      }
    }
  }
}

function file(index: Map<string, Set<string>>, values: readonly string[], key: string): void {
  for (const value of values) {
    let keys = index.get(value);
    if (!keys) {
      keys = new Set();
      index.set(value, keys);
    }
    keys.add(key);
  }
}

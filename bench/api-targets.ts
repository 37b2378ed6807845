// The two sides the API benchmark compares, behind one interface so each
// workload runs the same code against both: ConfigMaps through the
// Kubernetes API, and the store operations the API server performs for them
// through the etcd API of the same process.
import { Etcd3 } from 'etcd3';
import { apiClient, itemCount, metaOf, openWatch, type TlsMaterial } from './api-client.js';

export interface Target {
  readonly label: string;
  /** Makes `space` usable: a namespace on the API side, nothing for the store. Idempotent. */
  prepare(space: string): Promise<void>;
  /** Creates `name` in `space`, failing if it exists; returns its version. */
  create(space: string, name: string): Promise<string>;
  /** Reads `name`; returns its version. */
  get(space: string, name: string): Promise<string>;
  /** Replaces `name` only if its version is still `version`; returns the new version. */
  update(space: string, name: string, version: string, seq: number): Promise<string>;
  /** Reads every object in `space` with its content; returns how many there are. */
  list(space: string): Promise<number>;
  /**
   * Watches `space`; `created(name)` runs once per object created after this
   * resolves, `failed` if the watch breaks.
   */
  watch(space: string, created: (name: string) => void, failed: (err: Error) => void): Promise<{ stop(): Promise<void> }>;
  /** A cheap read; run at the benchmark's concurrency it opens every connection before timing. */
  warm(): Promise<void>;
  close(): Promise<void>;
}

const payload = 'x'.repeat(500);

/** A ConfigMap with ~512 bytes of data; the store side stores the same JSON. */
export function configMap(namespace: string, name: string, seq: number, resourceVersion?: string): object {
  const metadata = resourceVersion === undefined ? { name, namespace } : { name, namespace, resourceVersion };
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { seq: String(seq), payload } };
}

/** ConfigMaps over HTTPS, `connections` keep-alive connections (one per concurrent worker). */
export function apiTarget(url: string, tls: TlsMaterial, connections: number): Target {
  const api = apiClient(url, tls, connections);
  const collection = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;
  return {
    label: 'api',
    async prepare(ns) {
      await api.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }, [201, 409]);
    },
    async create(ns, name) {
      return metaOf(await api.call('POST', collection(ns), configMap(ns, name, 0), [201])).resourceVersion;
    },
    async get(ns, name) {
      return metaOf(await api.call('GET', `${collection(ns)}/${name}`, undefined, [200])).resourceVersion;
    },
    async update(ns, name, version, seq) {
      return metaOf(await api.call('PUT', `${collection(ns)}/${name}`, configMap(ns, name, seq, version), [200])).resourceVersion;
    },
    async list(ns) {
      return itemCount(await api.call('GET', collection(ns), undefined, [200]));
    },
    async watch(ns, created, failed) {
      // Start from the collection's current revision so no create made after
      // this resolves can be missed, however late the server registers the watch.
      const rv = metaOf(await api.call('GET', `${collection(ns)}?limit=1`, undefined, [200])).resourceVersion;
      return openWatch(url, tls, `${collection(ns)}?watch=true&resourceVersion=${rv}`, {
        event(type, object) {
          if (type === 'ADDED') created(metaOf(object).name);
        },
        failed,
      });
    },
    async warm() {
      await api.call('GET', '/api/v1/namespaces/default', undefined, [200]);
    },
    close: () => api.close(),
  };
}

export interface StoreTarget extends Target {
  /** The store's physical size as its etcd API reports it (Maintenance.Status dbSize). */
  dbSizeBytes(): Promise<number>;
}

/**
 * The store through its etcd API with the etcd3 client (one HTTP/2 channel,
 * as kube-apiserver uses): creates and updates are compare-and-swap
 * transactions on mod_revision, as the API server's writes are. Keys live
 * under `/bench/<space>/`, apart from the API's `/registry/` objects.
 */
export function storeTarget(endpoint: string): StoreTarget {
  const client = new Etcd3({ hosts: `http://${endpoint}` });
  const prefix = (space: string) => `/bench/${space}/`;
  const value = (space: string, name: string, seq: number) => Buffer.from(JSON.stringify(configMap(space, name, seq)));
  const swap = async (space: string, name: string, version: string | number, seq: number): Promise<string> => {
    const key = prefix(space) + name;
    const res = await client.if(key, 'Mod', '==', version).then(client.put(key).value(value(space, name, seq))).commit();
    if (!res.succeeded) throw new Error(`compare-and-swap of ${key} at mod_revision ${version} failed`);
    return res.header.revision;
  };
  return {
    label: 'store',
    async prepare() {},
    create: (space, name) => swap(space, name, 0, 0),
    async get(space, name) {
      const kv = (await client.get(prefix(space) + name).exec()).kvs[0];
      if (kv === undefined) throw new Error(`${prefix(space)}${name} not found`);
      return kv.mod_revision;
    },
    update: (space, name, version, seq) => swap(space, name, version, seq),
    async list(space) {
      return Object.keys(await client.getAll().prefix(prefix(space)).buffers()).length;
    },
    async watch(space, created, failed) {
      const p = prefix(space);
      const w = await client.watch().prefix(p).create();
      w.on('put', (kv) => {
        if (kv.version === '1') created(kv.key.toString().slice(p.length));
      });
      w.on('error', (err) => failed(new Error(`store watch ${p}: ${err.message}`)));
      return { stop: () => w.cancel() };
    },
    async warm() {
      await client.get('/bench/warm').exec();
    },
    async close() {
      client.close();
    },
    async dbSizeBytes() {
      return Number((await client.maintenance.status()).dbSize);
    },
  };
}

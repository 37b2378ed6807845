// The namespace controller: when a namespace is deleted (Terminating), it
// deletes every namespaced object in it — the resources found by discovery
// that support deletecollection — and when none is left removes the
// `kubernetes` finalizer through namespaces/<name>/finalize, after which
// the API server removes the namespace. Objects that linger (graceful pod
// deletion, finalizers) make the sync retry with back-off.
import type { corev1 } from '../api/types.js';
import { resourcePath, runWorkers, WorkQueue, builtinRefs, type Client, type ResourceRef } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isNotFound } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';

type Namespace = corev1.Namespace;

export interface NamespaceControllerOptions {
  client: Client;
  namespaces: Lister<Namespace>;
  logger?: Logger;
  queue?: WorkQueue;
  /** The namespaced resources to empty; discovered from the API server when absent. */
  discover?: () => Promise<ResourceRef[]>;
}

export const namespaceFinalizer = 'kubernetes';

interface ApiResourceList {
  resources?: Array<{ name: string; namespaced: boolean; verbs?: string[] }>;
}

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  readonly queue: WorkQueue;
  private readonly log: Logger;

  constructor(private readonly opts: NamespaceControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    opts.namespaces.addEventHandler({
      onAdd: (ns) => this.enqueue(ns),
      onUpdate: (_old, ns) => this.enqueue(ns),
    });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(name: string): Promise<void> {
    const ns = this.opts.namespaces.get(name);
    if (!ns?.metadata?.deletionTimestamp) return;
    if (!(ns.spec?.finalizers ?? []).includes(namespaceFinalizer)) return;
    const resources = await (this.opts.discover ?? (() => this.discover()))();
    let remaining = 0;
    for (const ref of resources) {
      const rc = this.opts.client.resource(ref);
      try {
        await rc.deleteCollection({ namespace: name });
        remaining += (await rc.list({ namespace: name, limit: 1 })).items.length;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    if (remaining > 0) throw new Error(`namespace ${name}: content still being deleted`);
    const finalizers = (ns.spec?.finalizers ?? []).filter((f) => f !== namespaceFinalizer);
    const body: Namespace = { ...structuredClone(ns), apiVersion: 'v1', kind: 'Namespace', spec: { ...ns.spec, finalizers } };
    try {
      await this.opts.client.transport.request({ method: 'PUT', path: resourcePath(builtinRefs.namespaces, { name, subresource: 'finalize' }), body });
      this.log.info('namespace finalized', { namespace: name });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Every namespaced resource (not a subresource) that supports deletecollection, across served group-versions. */
  private async discover(): Promise<ResourceRef[]> {
    const get = async <T>(path: string): Promise<T> => (await this.opts.client.transport.request({ method: 'GET', path })).body as T;
    const groupVersions: Array<[string, string]> = [];
    const core = await get<{ versions?: string[] }>('/api');
    for (const v of core.versions ?? []) groupVersions.push(['', v]);
    const groups = await get<{ groups?: Array<{ name: string; preferredVersion?: { version: string } }> }>('/apis');
    for (const g of groups.groups ?? []) if (g.preferredVersion) groupVersions.push([g.name, g.preferredVersion.version]);
    const refs: ResourceRef[] = [];
    for (const [group, version] of groupVersions) {
      const list = await get<ApiResourceList>(group === '' ? `/api/${version}` : `/apis/${group}/${version}`);
      for (const r of list.resources ?? []) {
        if (!r.namespaced || r.name.includes('/') || !(r.verbs ?? []).includes('deletecollection')) continue;
        refs.push({ group, version, resource: r.name, namespaced: true });
      }
    }
    return refs;
  }

  private enqueue(ns: Namespace): void {
    if (ns.metadata?.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
  }
}

// The resource quota controller: keeps each ResourceQuota's status — hard
// copied from spec.hard, used recounted from the objects in its namespace
// with the same usage rules quota admission charges by. A quota is
// recounted when it changes, when an object it may track is created or
// deleted (or a pod finishes, or a service or claim changes), and every
// resync period, which corrects charges admission made for writes that
// then failed.
import type { corev1, KubeObject } from '../api/types.js';
import { objectKey, runWorkers, WorkQueue, type Client, type InformerHandlers, type ObjectLike, type ResourceClient, type ResourceRef } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { addQuantities, formatQuantity, isNotFound, objectUsage, podHoldsResources, quotaResourceOf, quotaTracks, zeroQuantity, type Quantity } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { sameJSON } from './endpoints.js';

type Quota = corev1.ResourceQuota;

export const resourceQuotasRef = { group: '', version: 'v1', resource: 'resourcequotas', namespaced: true } as const satisfies ResourceRef;

/** Upstream's --resource-quota-sync-period default. */
export const quotaResyncMs = 5 * 60 * 1000;

export interface ResourceQuotaControllerOptions {
  client: Client;
  quotas: Lister<Quota>;
  /** Objects whose creation or deletion changes usage, by group-resource (`pods`, `services`); events recount their namespace's quotas. */
  watched: ReadonlyArray<{ gr: string; lister: Lister<ObjectLike> }>;
  logger?: Logger;
  queue?: WorkQueue;
  now?: () => Date;
  resyncMs?: number;
}

/** Changes to these that alter usage (not only creation and deletion). */
function usageChanged(gr: string, old: ObjectLike, obj: ObjectLike, now: Date): boolean {
  if (gr === 'pods') return podHoldsResources(old as corev1.Pod, now) !== podHoldsResources(obj as corev1.Pod, now);
  if (gr === 'services' || gr === 'persistentvolumeclaims') return !sameJSON((old as { spec?: unknown }).spec, (obj as { spec?: unknown }).spec);
  return false;
}

export class ResourceQuotaController implements Controller {
  readonly name = 'resourcequota';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly quotas: ResourceClient<Quota>;
  private readonly versions = new Map<string, string>();

  constructor(private readonly opts: ResourceQuotaControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
    this.quotas = opts.client.resource<Quota>(resourceQuotasRef);
    opts.quotas.addEventHandler({
      onAdd: (q) => this.queue.add(objectKey(q)),
      onUpdate: (old, q) => {
        if (!sameJSON(old.spec, q.spec) || !sameJSON(q.spec?.hard, q.status?.hard)) this.queue.add(objectKey(q));
      },
    });
    for (const { gr, lister } of opts.watched) {
      const handlers: InformerHandlers<ObjectLike> = {
        onAdd: (obj, initial) => initial || this.enqueueNamespace(obj),
        onUpdate: (old, obj) => usageChanged(gr, old, obj, this.now()) && this.enqueueNamespace(obj),
        onDelete: (obj) => this.enqueueNamespace(obj),
      };
      lister.addEventHandler(handlers);
    }
  }

  async run(workers: number, signal: AbortSignal): Promise<void> {
    const timer = setInterval(() => {
      for (const q of this.opts.quotas.list()) this.queue.add(objectKey(q));
    }, this.opts.resyncMs ?? quotaResyncMs);
    try {
      await runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
    } finally {
      clearInterval(timer);
    }
  }

  private enqueueNamespace(obj: ObjectLike): boolean {
    for (const q of this.opts.quotas.list(obj.metadata?.namespace ?? '')) this.queue.add(objectKey(q));
    return true;
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.opts.quotas.get(name, namespace);
    if (!cached || cached.metadata?.deletionTimestamp) return;
    const quota = structuredClone(cached);
    const hard = quota.spec?.hard ?? {};
    const used = await this.usage(quota, namespace, Object.keys(hard));
    const status = { hard: { ...hard }, used };
    if (sameJSON(status, { hard: quota.status?.hard ?? {}, used: quota.status?.used ?? {} })) return;
    try {
      await this.quotas.updateStatus({ ...quota, apiVersion: 'v1', kind: 'ResourceQuota', status });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Recounts every named resource from the objects the quota tracks. */
  private async usage(quota: Quota, namespace: string, names: readonly string[]): Promise<Record<string, string>> {
    const totals = new Map<string, Quantity>(names.map((n) => [n, zeroQuantity]));
    const resources = new Set(names.map(quotaResourceOf).filter((r): r is string => r !== undefined));
    const now = this.now();
    for (const gr of resources) {
      for (const obj of (await this.objects(gr, namespace)) as KubeObject[]) {
        if (!quotaTracks(quota, gr, obj)) continue;
        for (const [name, q] of objectUsage(gr, obj, now)) {
          const total = totals.get(name);
          if (total !== undefined) totals.set(name, addQuantities(total, q));
        }
      }
    }
    return Object.fromEntries([...totals].map(([k, v]) => [k, formatQuantity(v)]));
  }

  private async objects(gr: string, namespace: string): Promise<ObjectLike[]> {
    const watched = this.opts.watched.find((w) => w.gr === gr);
    if (watched) return watched.lister.list(namespace);
    const dot = gr.indexOf('.');
    const group = dot < 0 ? '' : gr.slice(dot + 1);
    const resource = dot < 0 ? gr : gr.slice(0, dot);
    try {
      const version = await this.versionOf(group);
      return (await this.opts.client.resource<ObjectLike>({ group, version, resource, namespaced: true }).listAll({ namespace })).items;
    } catch (err) {
      // A quota may name a resource this server does not serve: it counts nothing.
      if (isNotFound(err)) return [];
      throw err;
    }
  }

  /** The version served for a group whose resources quotas count as `count/<resource>.<group>`. */
  private async versionOf(group: string): Promise<string> {
    if (group === '') return 'v1';
    const known = this.versions.get(group);
    if (known) return known;
    const res = await this.opts.client.transport.request({ method: 'GET', path: `/apis/${group}` });
    const version = (res.body as { preferredVersion?: { version?: string } }).preferredVersion?.version ?? 'v1';
    this.versions.set(group, version);
    return version;
  }
}

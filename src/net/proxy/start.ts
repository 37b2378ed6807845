// The service proxy of a node: watches Services and EndpointSlices and keeps
// the iptables rules (render.ts) in step. The first sync is a full one (stale
// chains of an earlier run go); after that, each batch of changed services
// is written alone (restore.ts). Changes arriving during a write are
// collected and written together right after it, through one long-running
// iptables-restore (session.ts).
import type { corev1, discoveryv1 } from '../../api/types.js';
import { Backoff, Informer, sleep, type Client, type ResourceRef } from '../../client/index.js';
import type { Logger } from '../../log/logger.js';
import { hostRunner, type CommandRunner } from '../exec.js';
import { ensureProxySysctls } from './kernel.js';
import { proxyPorts, serviceKey, serviceNameLabel } from './model.js';
import { renderService, type ServiceRules } from './render.js';
import { ProxyRules, type SyncResult } from './rules.js';
import { hostSpawner, type Spawner } from './session.js';

export const endpointSlicesRef = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true } as const satisfies ResourceRef;
const servicesRef = { group: '', version: 'v1', resource: 'services', namespaced: true } as const satisfies ResourceRef;

export interface ServiceProxyOptions {
  client: Client;
  /** This node: its endpoints are the local ones for externalTrafficPolicy: Local. */
  nodeName: string;
  clusterCidr: string;
  logger: Logger;
  /** The pod bridge; default cni0. */
  bridge?: string;
  /** Where iptables and sysctl run; default this process's network namespace. */
  run?: CommandRunner;
  /**
   * Where the long-running iptables-restore for changes runs, the same
   * namespace as `run`; default this process's when `run` is not given, and
   * none (a process per write) when it is.
   */
  spawn?: Spawner;
  /** A full sync this often, healing rules changed behind the proxy's back; default an hour, as kube-proxy (0: never). */
  fullSyncMs?: number;
}

export interface RunningServiceProxy {
  /** Resolves after the first full sync. */
  ready: Promise<void>;
  /** Resolves when the loop has ended after the signal aborted (the rules stay). */
  stopped: Promise<void>;
}

export function startServiceProxy(opts: ServiceProxyOptions, signal: AbortSignal): RunningServiceProxy {
  const run = opts.run ?? hostRunner;
  const log = opts.logger;
  const services = new Informer<corev1.Service>(opts.client.resource(servicesRef), { logger: log });
  const slices = new Informer<discoveryv1.EndpointSlice>(opts.client.resource(endpointSlicesRef), {
    logger: log,
    indexers: { service: (s) => (s.metadata?.labels?.[serviceNameLabel] ? [`${s.metadata.namespace ?? ''}/${s.metadata.labels[serviceNameLabel]}`] : []) },
  });
  const rules = new ProxyRules(run, opts.spawn ?? (opts.run ? undefined : hostSpawner));
  const rendered = new Map<string, ServiceRules>();
  const dirty = new Set<string>();
  let fullDue = false;
  let wake: (() => void) | undefined;
  const mark = (key: string): void => {
    dirty.add(key);
    wake?.();
  };
  services.addEventHandler({ onAdd: (s) => mark(serviceKey(s)), onUpdate: (_, s) => mark(serviceKey(s)), onDelete: (s) => mark(serviceKey(s)) });
  const sliceKey = (s: discoveryv1.EndpointSlice): void => {
    const name = s.metadata?.labels?.[serviceNameLabel];
    if (name) mark(`${s.metadata?.namespace ?? ''}/${name}`);
  };
  slices.addEventHandler({ onAdd: sliceKey, onUpdate: (old, s) => (sliceKey(old), sliceKey(s)), onDelete: sliceKey });

  const render = (key: string): ServiceRules | undefined => {
    const [namespace = '', name = ''] = key.split('/');
    const svc = services.get(name, namespace);
    if (!svc) return undefined;
    const ports = proxyPorts(svc, slices.byIndex('service', key), opts.nodeName);
    return ports.length === 0 ? undefined : renderService(ports, { clusterCidr: opts.clusterCidr });
  };
  const report = (what: string, r: SyncResult, keys: number, started: number): void => {
    const fields = { kind: r.kind, services: keys, lines: r.lines, ms: Date.now() - started };
    if (r.fallback) log.warn(`${what}: incremental write failed, rewrote everything`, { ...fields, why: r.fallback });
    else if (r.kind === 'full') log.info(what, fields);
    else log.debug(what, fields);
  };

  const ready = (async () => {
    const changes = await ensureProxySysctls(run, opts.bridge ?? 'cni0');
    if (changes.length > 0) log.info('kernel settings for the proxy', { changes: changes.join(', ') });
    services.start(signal);
    slices.start(signal);
    await Promise.all([services.synced, slices.synced]);
    const started = Date.now();
    dirty.clear();
    for (const svc of services.list()) {
      const r = render(serviceKey(svc));
      if (r) rendered.set(serviceKey(svc), r);
    }
    report('proxy rules synced', await rules.full(rendered), rendered.size, started);
  })();
  const fullSyncMs = opts.fullSyncMs ?? 3_600_000;
  const timer = fullSyncMs > 0 ? setInterval(() => ((fullDue = true), wake?.()), fullSyncMs) : undefined;
  timer?.unref();
  signal.addEventListener('abort', () => clearInterval(timer), { once: true });

  const loop = async (): Promise<void> => {
    await ready;
    const backoff = new Backoff({ initialMs: 200, maxMs: 10_000 });
    while (!signal.aborted) {
      if (fullDue) {
        fullDue = false;
        const started = Date.now();
        try {
          report('proxy rules resynced', await rules.full(rendered), rendered.size, started);
        } catch (err) {
          log.error('proxy rules not resynced', { err: err instanceof Error ? err.message : String(err) });
        }
        continue;
      }
      if (dirty.size === 0) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            signal.removeEventListener('abort', done);
            resolve();
          };
          wake = done;
          signal.addEventListener('abort', done, { once: true });
        });
        wake = undefined;
        continue;
      }
      const keys = [...dirty];
      dirty.clear();
      const started = Date.now();
      const changed = new Map<string, ServiceRules | undefined>();
      for (const key of keys) changed.set(key, render(key));
      try {
        const result = await rules.change(changed, () => withChanges(rendered, changed));
        for (const [key, r] of changed) {
          if (r) rendered.set(key, r);
          else rendered.delete(key);
        }
        report('proxy rules updated', result, keys.length, started);
        backoff.reset();
      } catch (err) {
        for (const key of keys) dirty.add(key);
        log.error('proxy rules not written; retrying', { services: keys.length, err: err instanceof Error ? err.message : String(err) });
        await sleep(backoff.next(), signal);
      }
    }
  };
  ready.catch(() => undefined); // the caller awaits it; the loop below reports it
  const stopped = loop()
    .catch((err: unknown) => {
      if (!signal.aborted) log.error('service proxy stopped', { err: err instanceof Error ? err.message : String(err) });
    })
    .then(() => Promise.all([services.stop(), slices.stop()]))
    .then(() => rules.close());
  return { ready, stopped };
}

function withChanges(base: ReadonlyMap<string, ServiceRules>, changed: ReadonlyMap<string, ServiceRules | undefined>): Map<string, ServiceRules> {
  const all = new Map(base);
  for (const [key, r] of changed) {
    if (r) all.set(key, r);
    else all.delete(key);
  }
  return all;
}

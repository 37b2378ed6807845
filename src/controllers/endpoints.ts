// The Endpoints controller: for every Service with a selector, an Endpoints
// object of the same name listing its pods' addresses, ready ones under
// `addresses` and the others under `notReadyAddresses` (all under
// `addresses` with publishNotReadyAddresses). Terminating pods are left out.
// Addresses are grouped into subsets by their resolved port set. Nothing is
// written when the object already says the same; the Endpoints of a deleted
// Service are deleted. A write carries `endpoints.kubernetes.io/last-change-trigger-time`:
// here the newest change among the service's creation and its pods'
// creation, condition transitions and deletion (upstream tracks the oldest
// change not yet reflected; for one write per change the two agree).
import type { corev1 } from '../api/types.js';
import { runWorkers, WorkQueue, type Client } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isNotFound } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { isHeadless, podCounts, podIPv4, podReference, podServes, resolvedPorts, selectedPods, serviceSelector, watchServiceTriggers } from './endpoints-pods.js';

type Pod = corev1.Pod;
type Service = corev1.Service;
type Endpoints = corev1.Endpoints;

export interface EndpointsControllerOptions {
  client: Client;
  services: Lister<Service>;
  pods: Lister<Pod>;
  endpoints: Lister<Endpoints>;
  logger?: Logger;
  queue?: WorkQueue;
}

export const headlessLabel = 'service.kubernetes.io/headless';
export const triggerTimeAnnotation = 'endpoints.kubernetes.io/last-change-trigger-time';

export class EndpointsController implements Controller {
  readonly name = 'endpoints';
  readonly queue: WorkQueue;
  private readonly log: Logger;

  constructor(private readonly opts: EndpointsControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    watchServiceTriggers(opts.services, opts.pods, (key) => this.queue.add(key));
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const svc = this.opts.services.get(name, namespace);
    const current = this.opts.endpoints.get(name, namespace);
    if (!svc) {
      if (current) await ignoreNotFound(this.opts.client.endpoints.delete(name, { namespace }));
      return;
    }
    if (!serviceSelector(svc)) return;
    const pods = selectedPods(svc, this.opts.pods);
    const subsets = desiredSubsets(svc, pods);
    const labels: Record<string, string> = { ...svc.metadata?.labels };
    if (isHeadless(svc)) labels[headlessLabel] = '';
    else delete labels[headlessLabel];
    if (current && sameJSON(current.subsets ?? [], subsets) && sameJSON(current.metadata?.labels ?? {}, labels)) return;
    const body: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(current ? structuredClone(current.metadata) : { name, namespace }), labels },
      subsets,
    };
    const trigger = lastChangeTime(svc, pods);
    if (trigger) body.metadata = { ...body.metadata, annotations: { ...body.metadata?.annotations, [triggerTimeAnnotation]: trigger } };
    if (current) await this.opts.client.endpoints.update(body);
    else await this.opts.client.endpoints.create(body, { namespace });
    this.log.debug('endpoints synced', { key, subsets: subsets.length });
  }
}

/**
 * The subsets for `svc`: one per distinct resolved port set, addresses and
 * not-ready addresses sorted by IP. A headless service without ports still
 * lists its addresses (in a subset with no ports).
 */
export function desiredSubsets(svc: Service, pods: readonly Pod[]): corev1.EndpointSubset[] {
  const byPorts = new Map<string, corev1.EndpointSubset>();
  const headlessNoPorts = isHeadless(svc) && (svc.spec?.ports ?? []).length === 0;
  for (const pod of pods) {
    if (!podCounts(pod, false)) continue;
    const ports = resolvedPorts(pod, svc);
    if (ports.length === 0 && !headlessNoPorts) continue;
    const address: corev1.EndpointAddress = { ip: podIPv4(pod) ?? '', ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}), targetRef: podReference(pod) };
    const hostname = pod.spec?.hostname;
    if (hostname && pod.spec?.subdomain === svc.metadata?.name && svc.metadata?.namespace === pod.metadata?.namespace) address.hostname = hostname;
    const portKey = JSON.stringify(ports);
    let subset = byPorts.get(portKey);
    if (!subset) byPorts.set(portKey, (subset = ports.length > 0 ? { ports } : {}));
    if (podServes(pod, svc)) (subset.addresses ??= []).push(address);
    else (subset.notReadyAddresses ??= []).push(address);
  }
  const byIp = (a: corev1.EndpointAddress, b: corev1.EndpointAddress): number => a.ip.localeCompare(b.ip) || (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? '');
  const subsets = [...byPorts.values()];
  for (const s of subsets) {
    s.addresses?.sort(byIp);
    s.notReadyAddresses?.sort(byIp);
  }
  return subsets.sort((a, b) => JSON.stringify(a.ports ?? []).localeCompare(JSON.stringify(b.ports ?? [])));
}

/** The newest RFC 3339 time among the service's creation and its pods' changes. */
export function lastChangeTime(svc: Service, pods: readonly Pod[]): string | undefined {
  const times = [svc.metadata?.creationTimestamp];
  for (const pod of pods) {
    times.push(pod.metadata?.creationTimestamp, pod.metadata?.deletionTimestamp);
    for (const c of pod.status?.conditions ?? []) times.push(c.lastTransitionTime);
  }
  let best: string | undefined;
  let bestMs = -Infinity;
  for (const t of times) {
    const ms = t ? Date.parse(t) : NaN;
    if (!Number.isNaN(ms) && ms > bestMs) [best, bestMs] = [t, ms];
  }
  return best;
}

/** Deep equality of JSON values, ignoring the order of object keys. */
export function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, canonical(x)]));
  return v;
}

async function ignoreNotFound(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

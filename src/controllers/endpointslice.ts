// The EndpointSlice controller: for every Service with a selector, IPv4
// EndpointSlices (discovery.k8s.io/v1) named `<service>-<random>`, owned by
// the Service and labelled with its name and this controller as manager.
// Endpoints are grouped by their resolved port set, at most 100 a slice;
// terminating pods stay in, marked terminating and not ready. Reconciling
// keeps endpoints in the slice they are already in and fills existing
// slices before creating new ones; a slice is written only when it
// changes. A service with no endpoints keeps one empty placeholder slice.
// Slices of a deleted Service are deleted.
import type { corev1, discoveryv1 } from '../api/types.js';
import { runWorkers, WorkQueue, type Client, type ResourceClient, type ResourceRef } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isNotFound } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { headlessLabel, sameJSON } from './endpoints.js';
import { isHeadless, podCounts, podIPv4, podReference, podServes, resolvedPorts, selectedPods, serviceSelector, watchServiceTriggers } from './endpoints-pods.js';
import { newControllerRef } from './ownership.js';

type Pod = corev1.Pod;
type Service = corev1.Service;
type Slice = discoveryv1.EndpointSlice;
type Endpoint = discoveryv1.Endpoint;

export const endpointSlicesRef = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', namespaced: true } as const satisfies ResourceRef;
export const serviceNameLabel = 'kubernetes.io/service-name';
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const managedByValue = 'endpointslice-controller.k8s.io';
export const zoneLabel = 'topology.kubernetes.io/zone';
export const maxEndpointsPerSlice = 100;

export interface EndpointSliceControllerOptions {
  client: Client;
  services: Lister<Service>;
  pods: Lister<Pod>;
  slices: Lister<Slice>;
  /** For the endpoints' zone (optional). */
  nodes?: Lister<corev1.Node>;
  logger?: Logger;
  queue?: WorkQueue;
  maxEndpointsPerSlice?: number;
}

interface Group {
  ports: discoveryv1.EndpointPort[];
  endpoints: Map<string, Endpoint>;
}

export class EndpointSliceController implements Controller {
  readonly name = 'endpointslice';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly api: ResourceClient<Slice>;
  private readonly max: number;

  constructor(private readonly opts: EndpointSliceControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.api = opts.client.resource<Slice>(endpointSlicesRef);
    this.max = opts.maxEndpointsPerSlice ?? maxEndpointsPerSlice;
    watchServiceTriggers(opts.services, opts.pods, (key) => this.queue.add(key));
    opts.slices.addEventHandler({
      onDelete: (slice) => {
        const svc = slice.metadata?.labels?.[serviceNameLabel];
        if (svc && slice.metadata?.labels?.[managedByLabel] === managedByValue) this.queue.add(`${slice.metadata?.namespace ?? ''}/${svc}`);
      },
    });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const svc = this.opts.services.get(name, namespace);
    const mine = this.opts.slices
      .list(namespace)
      .filter((s) => s.metadata?.labels?.[serviceNameLabel] === name && s.metadata?.labels?.[managedByLabel] === managedByValue)
      .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
    if (!svc) {
      for (const s of mine) await this.remove(s);
      return;
    }
    if (!serviceSelector(svc) || svc.metadata?.deletionTimestamp) return;
    const groups = this.desiredGroups(svc);
    const labels: Record<string, string> = { ...svc.metadata?.labels, [serviceNameLabel]: name, [managedByLabel]: managedByValue };
    if (isHeadless(svc)) labels[headlessLabel] = '';
    else delete labels[headlessLabel];
    const owner = newControllerRef({ apiVersion: 'v1', kind: 'Service', metadata: svc.metadata });

    const unused = new Set(mine);
    for (const [portKey, group] of groups) {
      const existing = mine.filter((s) => portKeyOf(s.ports ?? []) === portKey);
      existing.forEach((s) => unused.delete(s));
      const remaining = new Map(group.endpoints);
      // Keep each endpoint where it is, with its desired content.
      const plans = existing.map((slice) => {
        const kept: Endpoint[] = [];
        for (const ep of slice.endpoints ?? []) {
          const ip = ep.addresses[0] ?? '';
          const want = remaining.get(ip);
          if (want && kept.length < this.max) {
            kept.push(want);
            remaining.delete(ip);
          }
        }
        return { slice: slice as Slice | undefined, endpoints: kept };
      });
      const rest = [...remaining.values()];
      for (const plan of plans) while (plan.endpoints.length < this.max && rest.length > 0) plan.endpoints.push(rest.shift()!);
      while (rest.length > 0) plans.push({ slice: undefined, endpoints: rest.splice(0, this.max) });
      const placeholder = group.endpoints.size === 0;
      if (placeholder && plans.length === 0) plans.push({ slice: undefined, endpoints: [] });
      let keptPlaceholder = false;
      for (const plan of plans) {
        if (plan.endpoints.length === 0 && (!placeholder || keptPlaceholder)) {
          if (plan.slice) await this.remove(plan.slice);
          continue;
        }
        keptPlaceholder ||= placeholder;
        await this.write(svc, plan.slice, { labels, owner, ports: group.ports, endpoints: plan.endpoints.sort(byAddress) });
      }
    }
    for (const s of unused) await this.remove(s);
  }

  /** The endpoints by port set; one empty group (the placeholder) when there are none. */
  private desiredGroups(svc: Service): Map<string, Group> {
    const groups = new Map<string, Group>();
    for (const pod of selectedPods(svc, this.opts.pods)) {
      if (!podCounts(pod, true)) continue;
      const ports = resolvedPorts(pod, svc) as discoveryv1.EndpointPort[];
      const key = portKeyOf(ports);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { ports, endpoints: new Map() }));
      const ip = podIPv4(pod) ?? '';
      group.endpoints.set(ip, this.endpointFor(pod, svc, ip));
    }
    if (groups.size === 0) groups.set(portKeyOf([]), { ports: [], endpoints: new Map() });
    return groups;
  }

  private endpointFor(pod: Pod, svc: Service, ip: string): Endpoint {
    const serving = podServes(pod, svc);
    const terminating = Boolean(pod.metadata?.deletionTimestamp);
    const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
    const ep: Endpoint = { addresses: [ip], conditions: { ready, serving, terminating } };
    const hostname = pod.spec?.hostname;
    if (hostname && pod.spec?.subdomain === svc.metadata?.name) ep.hostname = hostname;
    const nodeName = pod.spec?.nodeName;
    if (nodeName) {
      ep.nodeName = nodeName;
      const zone = this.opts.nodes?.get(nodeName)?.metadata?.labels?.[zoneLabel];
      if (zone) ep.zone = zone;
    }
    ep.targetRef = podReference(pod);
    return ep;
  }

  private async write(svc: Service, current: Slice | undefined, want: { labels: Record<string, string>; owner: ReturnType<typeof newControllerRef>; ports: discoveryv1.EndpointPort[]; endpoints: Endpoint[] }): Promise<void> {
    const namespace = svc.metadata?.namespace ?? '';
    if (current) {
      const ownerOk = (current.metadata?.ownerReferences ?? []).some((r) => r.uid === want.owner.uid && r.controller === true);
      const same = ownerOk && current.addressType === 'IPv4' && sameJSON(current.ports ?? [], want.ports) && sameJSON([...(current.endpoints ?? [])].sort(byAddress), want.endpoints) && sameJSON(current.metadata?.labels ?? {}, want.labels);
      if (same) return;
      const metadata = { ...structuredClone(current.metadata), labels: want.labels, ownerReferences: [want.owner] };
      await this.api.update({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType: 'IPv4', endpoints: want.endpoints, ports: want.ports });
      return;
    }
    const metadata = { generateName: `${svc.metadata?.name ?? ''}-`, namespace, labels: want.labels, ownerReferences: [want.owner] };
    await this.api.create({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType: 'IPv4', endpoints: want.endpoints, ports: want.ports }, { namespace });
  }

  private async remove(slice: Slice): Promise<void> {
    try {
      await this.api.delete(slice.metadata?.name ?? '', { namespace: slice.metadata?.namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

function portKeyOf(ports: readonly discoveryv1.EndpointPort[]): string {
  return JSON.stringify(ports.map((p) => [p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? '']));
}

function byAddress(a: Endpoint, b: Endpoint): number {
  return (a.addresses[0] ?? '').localeCompare(b.addresses[0] ?? '');
}

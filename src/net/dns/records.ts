// What cluster DNS answers from: a compact projection of Services,
// EndpointSlices and Namespaces, kept current by informer events (see
// sources.ts). Lookups never touch API objects, and the projection never
// holds on to them, so the informers' caches stay untouched.
//
// Contracts:
// - Only ready endpoints are kept (an absent `ready` counts as ready, as
//   upstream's consumers read it); FQDN slices are ignored.
// - `generation` grows with every change, so callers can drop what they
//   derived from an older state; `serial` is the SOA serial (seconds).
import type { corev1, discoveryv1 } from '../../api/types.js';

export interface PortEntry {
  /** "" for an unnamed port. */
  name: string;
  /** "TCP", "UDP" or "SCTP". */
  protocol: string;
  /** -1 when the object lists no ports: names still resolve, SRV has nothing. */
  port: number;
}

export interface ServiceEntry {
  name: string;
  namespace: string;
  headless: boolean;
  /** Set for type ExternalName. */
  externalName: string | undefined;
  clusterIps: string[];
  ports: PortEntry[];
}

export interface EndpointEntry {
  ips: string[];
  hostname: string | undefined;
}

export interface SliceEntry {
  ports: PortEntry[];
  endpoints: EndpointEntry[];
}

const noPorts: PortEntry[] = [{ name: '', protocol: '', port: -1 }];

export class ClusterRecords {
  private readonly services = new Map<string, ServiceEntry>();
  /** Service key → slice name → slice. */
  private readonly slices = new Map<string, Map<string, SliceEntry>>();
  private readonly sliceOwner = new Map<string, string>();
  private readonly namespaces = new Set<string>();
  private reverse: Map<string, string> | undefined;
  private gen = 0;
  private modified = Math.floor(Date.now() / 1000);

  get generation(): number {
    return this.gen;
  }

  get serial(): number {
    return this.modified;
  }

  hasNamespace(name: string): boolean {
    return this.namespaces.has(name);
  }

  service(namespace: string, name: string): ServiceEntry | undefined {
    return this.services.get(`${namespace}/${name}`);
  }

  /** The ready endpoints of a Service, slice by slice. */
  slicesOf(namespace: string, name: string): Iterable<SliceEntry> {
    return this.slices.get(`${namespace}/${name}`)?.values() ?? [];
  }

  /** The name an IP belongs to: a Service's ClusterIP first, else a ready endpoint's. */
  nameForIp(ip: string): string | undefined {
    this.reverse ??= this.buildReverse();
    return this.reverse.get(ip);
  }

  setNamespace(ns: corev1.Namespace): void {
    const name = ns.metadata?.name;
    if (!name || this.namespaces.has(name)) return;
    this.namespaces.add(name);
    this.changed();
  }

  deleteNamespace(ns: corev1.Namespace): void {
    if (ns.metadata?.name && this.namespaces.delete(ns.metadata.name)) this.changed();
  }

  setService(svc: corev1.Service): void {
    const name = svc.metadata?.name;
    const namespace = svc.metadata?.namespace;
    if (!name || !namespace) return;
    const spec = svc.spec ?? {};
    const clusterIps = spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
    const ports = (spec.ports ?? []).map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port }));
    this.services.set(`${namespace}/${name}`, {
      name,
      namespace,
      headless: clusterIps[0] === 'None',
      externalName: spec.type === 'ExternalName' ? spec.externalName : undefined,
      clusterIps: clusterIps.filter((ip) => ip !== 'None' && ip !== ''),
      ports: ports.length > 0 ? ports : noPorts,
    });
    this.changed();
  }

  deleteService(svc: corev1.Service): void {
    if (this.services.delete(`${svc.metadata?.namespace}/${svc.metadata?.name}`)) this.changed();
  }

  setSlice(slice: discoveryv1.EndpointSlice): void {
    const sliceKey = `${slice.metadata?.namespace}/${slice.metadata?.name}`;
    const service = slice.metadata?.labels?.['kubernetes.io/service-name'];
    this.removeSlice(sliceKey);
    if (!service || !slice.metadata?.namespace || slice.addressType === 'FQDN') {
      this.changed();
      return;
    }
    const ports = (slice.ports ?? []).map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port ?? -1 }));
    const endpoints = (slice.endpoints ?? [])
      .filter((e) => e.conditions?.ready !== false && e.addresses.length > 0)
      .map((e) => ({ ips: [...e.addresses], hostname: e.hostname ?? undefined }));
    const owner = `${slice.metadata.namespace}/${service}`;
    let bySlice = this.slices.get(owner);
    if (!bySlice) this.slices.set(owner, (bySlice = new Map()));
    bySlice.set(sliceKey, { ports: ports.length > 0 ? ports : noPorts, endpoints });
    this.sliceOwner.set(sliceKey, owner);
    this.changed();
  }

  deleteSlice(slice: discoveryv1.EndpointSlice): void {
    if (this.removeSlice(`${slice.metadata?.namespace}/${slice.metadata?.name}`)) this.changed();
  }

  private removeSlice(sliceKey: string): boolean {
    const owner = this.sliceOwner.get(sliceKey);
    if (owner === undefined) return false;
    this.sliceOwner.delete(sliceKey);
    const bySlice = this.slices.get(owner);
    bySlice?.delete(sliceKey);
    if (bySlice?.size === 0) this.slices.delete(owner);
    return true;
  }

  private changed(): void {
    this.gen++;
    this.modified = Math.floor(Date.now() / 1000);
    this.reverse = undefined;
  }

  private buildReverse(): Map<string, string> {
    const out = new Map<string, string>();
    for (const svc of this.services.values()) {
      for (const ip of svc.clusterIps) if (!out.has(ip)) out.set(ip, `${svc.name}.${svc.namespace}.svc`);
    }
    for (const [owner, bySlice] of this.slices) {
      const [namespace, name] = owner.split('/');
      for (const slice of bySlice.values()) {
        for (const e of slice.endpoints) {
          for (const ip of e.ips) if (!out.has(ip)) out.set(ip, `${endpointLabel(e, ip)}.${name}.${namespace}.svc`);
        }
      }
    }
    return out;
  }
}

/** The label an endpoint is known by under its Service: its hostname, else its address with dashes. */
export function endpointLabel(e: EndpointEntry, ip: string): string {
  if (e.hostname) return e.hostname;
  return ip.includes('.') ? ip.replaceAll('.', '-') : ip.replaceAll(':', '-');
}

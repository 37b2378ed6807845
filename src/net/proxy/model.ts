// What the proxy needs to know about one Service, read from the Service and
// its EndpointSlices: one ProxyPort per service port, with the endpoints that
// may take traffic. Pure: no API calls, no iptables.
//
// Endpoint choice follows kube-proxy: ready endpoints when there are any,
// else the serving-but-terminating ones (so connections still land while a
// rollout drains the last pods). A nil `ready` counts as ready, a nil
// `serving` as equal to `ready`, a nil `terminating` as false. The same rule
// is applied separately to the endpoints on this node, for
// externalTrafficPolicy: Local.
import type { corev1, discoveryv1 } from '../../api/types.js';

/** A Service carrying this label is not proxied (a component of the node serves its address itself). */
export const nodeLocalLabel = 'tsk8s.io/node-local';
/** The label an EndpointSlice names its Service by. */
export const serviceNameLabel = 'kubernetes.io/service-name';
/** upstream's default ClientIP affinity timeout (3 hours). */
export const defaultAffinitySeconds = 10800;

export type Protocol = 'tcp' | 'udp' | 'sctp';

export interface ProxyEndpoint {
  ip: string;
  port: number;
  /** On this node (topology nodeName). */
  local: boolean;
}

export interface ProxyPort {
  namespace: string;
  name: string;
  /** The service port's name ("" for an unnamed single port). */
  portName: string;
  protocol: Protocol;
  /** The ClusterIP (IPv4); undefined for headless services. */
  clusterIP: string | undefined;
  port: number;
  /** 0 when the port has none. */
  nodePort: number;
  externalIPs: string[];
  /** status.loadBalancer.ingress IPs. */
  loadBalancerIPs: string[];
  /** externalTrafficPolicy: Local. */
  externalLocal: boolean;
  /** sessionAffinity: ClientIP timeout in seconds; undefined without affinity. */
  affinitySeconds: number | undefined;
  /** Endpoints that take cluster traffic (sorted by ip:port). */
  endpoints: ProxyEndpoint[];
  /** The endpoints on this node that take external traffic with externalTrafficPolicy: Local. */
  localEndpoints: ProxyEndpoint[];
}

/** `namespace/name`, the key services are synced by. */
export function serviceKey(svc: { metadata?: { namespace?: string; name?: string } }): string {
  return `${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`;
}

/** True when the proxy leaves the Service alone: ExternalName, the node-local label, or no IPv4 address to serve. */
export function skipService(svc: corev1.Service): boolean {
  if (svc.metadata?.labels?.[nodeLocalLabel] === 'true') return true;
  return svc.spec?.type === 'ExternalName';
}

const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The ProxyPorts of a Service; empty for a Service the proxy skips. */
export function proxyPorts(svc: corev1.Service, slices: readonly discoveryv1.EndpointSlice[], nodeName: string): ProxyPort[] {
  if (skipService(svc)) return [];
  const spec = svc.spec ?? {};
  const clusterIP = spec.clusterIP && ipv4.test(spec.clusterIP) ? spec.clusterIP : undefined;
  const externalIPs = (spec.externalIPs ?? []).filter((ip) => ipv4.test(ip));
  const loadBalancerIPs =
    spec.type === 'LoadBalancer' ? (svc.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip && ipv4.test(i.ip) ? [i.ip] : [])) : [];
  const exposesNodePorts = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  const affinitySeconds = spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? defaultAffinitySeconds) : undefined;
  const v4Slices = slices.filter((s) => s.addressType === 'IPv4');
  const out: ProxyPort[] = [];
  for (const p of spec.ports ?? []) {
    const protocol = protocolOf(p.protocol);
    const portName = p.name ?? '';
    const all = endpointsFor(v4Slices, portName, protocol, nodeName);
    out.push({
      namespace: svc.metadata?.namespace ?? '',
      name: svc.metadata?.name ?? '',
      portName,
      protocol,
      clusterIP,
      port: p.port,
      nodePort: exposesNodePorts ? (p.nodePort ?? 0) : 0,
      externalIPs,
      loadBalancerIPs,
      externalLocal: spec.externalTrafficPolicy === 'Local' && (exposesNodePorts || externalIPs.length > 0),
      affinitySeconds,
      endpoints: usable(all),
      localEndpoints: usable(all.filter((e) => e.local)),
    });
  }
  return out;
}

interface Candidate extends ProxyEndpoint {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

function endpointsFor(slices: readonly discoveryv1.EndpointSlice[], portName: string, protocol: Protocol, nodeName: string): Candidate[] {
  const seen = new Map<string, Candidate>();
  for (const slice of slices) {
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === portName && protocolOf(p.protocol) === protocol);
    if (port?.port === undefined) continue;
    for (const ep of slice.endpoints) {
      const ip = ep.addresses[0];
      if (!ip || !ipv4.test(ip)) continue;
      const ready = ep.conditions?.ready ?? true;
      const c: Candidate = {
        ip,
        port: port.port,
        local: ep.nodeName === nodeName,
        ready,
        serving: ep.conditions?.serving ?? ready,
        terminating: ep.conditions?.terminating ?? false,
      };
      const key = `${ip}:${port.port}`;
      // The same address in two slices (a slice being replaced): the readier copy wins.
      const prev = seen.get(key);
      if (!prev || (!prev.ready && c.ready)) seen.set(key, c);
    }
  }
  return [...seen.values()].sort((a, b) => compareIp(a.ip, b.ip) || a.port - b.port);
}

function usable(candidates: readonly Candidate[]): ProxyEndpoint[] {
  const ready = candidates.filter((c) => c.ready);
  const chosen = ready.length > 0 ? ready : candidates.filter((c) => c.serving && c.terminating);
  return chosen.map(({ ip, port, local }) => ({ ip, port, local }));
}

function protocolOf(p: string | undefined): Protocol {
  return p === 'UDP' ? 'udp' : p === 'SCTP' ? 'sctp' : 'tcp';
}

function compareIp(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

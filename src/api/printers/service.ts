// Services, Endpoints and EndpointSlices.
import type { corev1, discoveryv1 } from '../types.js';
import { age } from './age.js';
import { ageColumn, column, definePrinter, nameColumn } from './columns.js';
import { formatLabels, listWithMore } from './format.js';
import { int, list, text } from './read.js';

/** Load-balancer ingress points (IP, else hostname), de-duplicated and sorted. */
function loadBalancerAddresses(svc: corev1.Service): string[] {
  const found = new Set<string>();
  for (const ingress of list(svc.status?.loadBalancer?.ingress)) {
    const address = text(ingress?.ip) || text(ingress?.hostname);
    if (address !== '') found.add(address);
  }
  return [...found].sort();
}

/**
 * External-IP: externalIPs for ClusterIP and NodePort (`<none>` without
 * any); load-balancer addresses then externalIPs for LoadBalancer
 * (`<pending>` until there is one); the external name for ExternalName.
 * The server prints the wide form, so long lists are not clipped.
 */
export function serviceExternalIP(svc: corev1.Service): string {
  const externalIPs = list(svc.spec?.externalIPs).map(text);
  switch (svc.spec?.type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const all = [...loadBalancerAddresses(svc), ...externalIPs];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return text(svc.spec.externalName);
    default:
      return '<unknown>';
  }
}

/** Port(s): `port/protocol`, or `port:nodePort/protocol` when a node port is allocated. */
export function servicePorts(svc: corev1.Service): string {
  const pieces = list(svc.spec?.ports).map((p) => {
    const nodePort = int(p?.nodePort);
    const protocol = text(p?.protocol);
    return nodePort > 0 ? `${int(p?.port)}:${nodePort}/${protocol}` : `${int(p?.port)}/${protocol}`;
  });
  return pieces.length > 0 ? pieces.join(',') : '<none>';
}

export const servicePrinter = definePrinter<corev1.Service>(
  [
    nameColumn,
    column('Type', 'string', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'string', 'The IP address of the service inside the cluster.'),
    column('External-IP', 'string', 'Addresses outside the cluster that reach the service.'),
    column('Port(s)', 'string', 'The ports exposed by the service.'),
    ageColumn,
    column('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', true),
  ],
  (svc, now) => [
    text(svc.metadata?.name),
    text(svc.spec?.type),
    text(list(svc.spec?.clusterIPs)[0]) || text(svc.spec?.clusterIP) || '<none>',
    serviceExternalIP(svc),
    servicePorts(svc),
    age(svc.metadata?.creationTimestamp, now),
    formatLabels(svc.spec?.selector),
  ],
);

/** `host:port` as Go's net.JoinHostPort writes it (IPv6 hosts in brackets). */
function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Endpoints: up to three `ip:port` pairs (bare IPs for port-less subsets),
 * then ` + N more...`; `<none>` without subsets.
 */
export function formatEndpoints(ep: corev1.Endpoints): string {
  const subsets = list(ep.subsets);
  if (subsets.length === 0) return '<none>';
  const max = 3;
  const shown: string[] = [];
  let count = 0;
  for (const subset of subsets) {
    const addresses = list(subset?.addresses).map((a) => text(a?.ip));
    const ports = list(subset?.ports);
    if (ports.length === 0) {
      count += addresses.length;
      for (const ip of addresses) if (shown.length < max) shown.push(ip);
      continue;
    }
    for (const port of ports) {
      count += addresses.length;
      for (const ip of addresses) if (shown.length < max) shown.push(joinHostPort(ip, int(port?.port)));
    }
  }
  const joined = shown.join(',');
  return count > max ? `${joined} + ${count - max} more...` : joined;
}

export const endpointsPrinter = definePrinter<corev1.Endpoints>(
  [nameColumn, column('Endpoints', 'string', 'The set of addresses and ports that comprise the service.'), ageColumn],
  (ep, now) => [text(ep.metadata?.name), formatEndpoints(ep), age(ep.metadata?.creationTimestamp, now)],
);

export const endpointSlicePrinter = definePrinter<discoveryv1.EndpointSlice>(
  [
    nameColumn,
    column('AddressType', 'string', 'The type of address carried by this slice: IPv4, IPv6 or FQDN.'),
    column('Ports', 'string', 'The network ports exposed by each endpoint in this slice.'),
    column('Endpoints', 'string', 'The addresses of the endpoints in this slice.'),
    ageColumn,
  ],
  (slice, now) => {
    const ports = list(slice.ports).map((p) => {
      if (typeof p?.port === 'number') return String(int(p.port));
      return typeof p?.name === 'string' ? p.name : '*';
    });
    const addresses = list(slice.endpoints).flatMap((e) => list(e?.addresses).map(text));
    return [text(slice.metadata?.name), text(slice.addressType), listWithMore(ports), listWithMore(addresses), age(slice.metadata?.creationTimestamp, now)];
  },
);

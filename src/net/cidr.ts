// IPv4 addresses and CIDRs as unsigned 32-bit numbers, and the node's pod
// CIDR carved out of the cluster CIDR. Pure: no I/O.
import { NetError } from './errors.js';

export interface Ipv4Cidr {
  /** The network address as an unsigned 32-bit number; host bits are zero. */
  readonly network: number;
  /** The prefix length, 0-32. */
  readonly prefix: number;
}

const quad = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses a dotted quad ("10.42.0.1") into an unsigned 32-bit number. Leading zeros are refused (they read as octal elsewhere). */
export function parseIpv4(text: string): number {
  const m = quad.exec(text);
  const parts = m ? m.slice(1).map((p) => (p.length > 1 && p.startsWith('0') ? Number.NaN : Number(p))) : [];
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) {
    throw new NetError('bad-address', `${JSON.stringify(text)} is not an IPv4 address`);
  }
  const [a = 0, b = 0, c = 0, d = 0] = parts;
  return (((a << 24) | (b << 16) | (c << 8) | d) >>> 0);
}

export function formatIpv4(address: number): string {
  return [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
}

/** The netmask of a prefix length as an unsigned 32-bit number. */
export function prefixMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * Parses "10.42.0.0/16". Host bits are cleared, as Go's ParseCIDR (and so
 * Kubernetes) does: "10.42.0.1/16" means 10.42.0.0/16.
 */
export function parseCidr(text: string): Ipv4Cidr {
  const slash = text.indexOf('/');
  const prefixText = slash < 0 ? '' : text.slice(slash + 1);
  const prefix = /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= 32)) throw new NetError('bad-cidr', `${JSON.stringify(text)} is not an IPv4 CIDR such as 10.42.0.0/16`);
  let address: number;
  try {
    address = parseIpv4(text.slice(0, slash));
  } catch (err) {
    throw new NetError('bad-cidr', `${JSON.stringify(text)} is not an IPv4 CIDR such as 10.42.0.0/16`, { cause: err });
  }
  return { network: (address & prefixMask(prefix)) >>> 0, prefix };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${formatIpv4(cidr.network)}/${cidr.prefix}`;
}

/** How many addresses the CIDR spans (network and broadcast included). */
export function cidrSize(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

/** The last address of the CIDR (its broadcast address). */
export function lastAddress(cidr: Ipv4Cidr): number {
  return cidr.network + cidrSize(cidr) - 1;
}

export function containsAddress(cidr: Ipv4Cidr, address: number): boolean {
  return address >= cidr.network && address <= lastAddress(cidr);
}

/** True if `inner` lies wholly inside `outer` (equal counts). */
export function containsCidr(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return inner.prefix >= outer.prefix && containsAddress(outer, inner.network);
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  return containsCidr(a, b) || containsCidr(b, a);
}

/** The n-th address of the CIDR, counting the network address as 0. */
export function nthAddress(cidr: Ipv4Cidr, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= cidrSize(cidr)) {
    throw new RangeError(`${formatCidr(cidr)} has no address number ${n}`);
  }
  return cidr.network + n;
}

/** The gateway of a pod CIDR: its first address, which the bridge holds ("10.42.0.0/24" → "10.42.0.1"). */
export function podGateway(podCidr: string): string {
  return formatIpv4(nthAddress(parseCidr(podCidr), 1));
}

/** The gateway with the pod CIDR's prefix length, as the bridge carries it ("10.42.0.0/24" → "10.42.0.1/24"). */
export function bridgeAddress(podCidr: string): string {
  return `${podGateway(podCidr)}/${parseCidr(podCidr).prefix}`;
}

/**
 * The first block of `maskBits` inside `clusterCidr` that overlaps none of
 * `usedCidrs` (other nodes' pod CIDRs; ones outside the cluster CIDR are
 * ignored, larger or smaller ones block what they cover). Like Kubernetes'
 * node IPAM with `--node-cidr-mask-size` 24 by default.
 */
export function allocatePodCidr(clusterCidr: string, usedCidrs: Iterable<string>, maskBits = 24): string {
  const cluster = parseCidr(clusterCidr);
  if (!Number.isInteger(maskBits) || maskBits < cluster.prefix || maskBits > 30) {
    throw new NetError('bad-mask', `pod CIDRs of /${maskBits} cannot be carved out of ${formatCidr(cluster)}: use a prefix length from ${cluster.prefix} to 30`);
  }
  const used = [...usedCidrs]
    .map(parseCidr)
    .filter((c) => cidrsOverlap(c, cluster))
    .map((c) => [c.network, lastAddress(c)] as const)
    .sort((a, b) => a[0] - b[0]);
  const size = 2 ** (32 - maskBits);
  const end = lastAddress(cluster);
  let candidate = cluster.network;
  for (const [start, last] of used) {
    if (candidate + size - 1 < start) break;
    // This used range overlaps the candidate or lies below it: move past it, aligned.
    if (last >= candidate) candidate = Math.ceil((last + 1) / size) * size;
  }
  if (candidate + size - 1 > end) {
    throw new NetError('cidr-exhausted', `no /${maskBits} is free in the cluster CIDR ${formatCidr(cluster)}: all ${cidrSize(cluster) / size} are in use`);
  }
  return formatCidr({ network: candidate, prefix: maskBits });
}

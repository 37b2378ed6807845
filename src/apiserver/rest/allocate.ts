// ClusterIP and NodePort allocation. Each allocated address or port is a
// reservation key written in the same transaction as the Service, so two
// Services can never hold the same one and allocations survive restarts.
import type { StoredObject } from '../../api/types.js';
import { fieldInvalid, type FieldError } from '../../machinery/index.js';

export interface ServiceRanges {
  /** e.g. 10.43.0.0/16 */
  serviceCidr: string;
  nodePortMin: number;
  nodePortMax: number;
}

export interface ServiceAllocators {
  ranges: ServiceRanges;
  ipKey(ip: string): string;
  portKey(protocol: string, port: number): string;
  /** The first usable IP of the range (the `kubernetes` Service's). */
  firstIp: string;
  inRange(ip: string): boolean;
  randomIp(): string;
  randomPort(): number;
}

function ipToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (Math.floor(n / 2 ** s) % 256).toString()).join('.');
}

export function serviceAllocators(ranges: ServiceRanges): ServiceAllocators {
  const [base, bitsText] = ranges.serviceCidr.split('/');
  const bits = Number(bitsText);
  const start = ipToInt(base ?? '');
  if (start === undefined || !Number.isInteger(bits) || bits < 8 || bits > 30) throw new Error(`bad service CIDR ${ranges.serviceCidr}`);
  const size = 2 ** (32 - bits);
  const network = start - (start % size);
  return {
    ranges,
    ipKey: (ip) => `/registry/ranges/serviceips/${ip}`,
    portKey: (protocol, port) => `/registry/ranges/servicenodeports/${protocol.toLowerCase()}/${port}`,
    firstIp: intToIp(network + 1),
    inRange(ip) {
      const n = ipToInt(ip);
      return n !== undefined && n > network && n < network + size - 1;
    },
    // Random over the upper part of the range, as upstream keeps the lowest addresses for static assignment.
    randomIp() {
      const low = Math.min(size / 16, 256);
      return intToIp(network + low + Math.floor(Math.random() * (size - low - 1)));
    },
    randomPort() {
      return ranges.nodePortMin + Math.floor(Math.random() * (ranges.nodePortMax - ranges.nodePortMin + 1));
    },
  };
}

export interface ServicePlan {
  /** Reservation keys the create must write. */
  keys: string[];
  errors: FieldError[];
}

interface PortSpec {
  port?: number;
  nodePort?: number;
  protocol?: string;
}

/**
 * Fills spec.clusterIP(s) and nodePorts of a Service being created (random
 * choices; `taken` says whether a reservation key exists) and lists the
 * reservation keys.
 */
export async function planServiceAllocation(
  svc: StoredObject,
  alloc: ServiceAllocators,
  taken: (key: string) => Promise<boolean>,
): Promise<ServicePlan> {
  const spec = (svc.spec ?? {}) as { type?: string; clusterIP?: string; clusterIPs?: string[]; ports?: PortSpec[] };
  const keys: string[] = [];
  const errors: FieldError[] = [];
  if (spec.type === 'ExternalName') return { keys, errors };
  if (spec.clusterIP !== 'None') {
    let ip = spec.clusterIP ?? spec.clusterIPs?.[0];
    if (ip) {
      if (!alloc.inRange(ip)) {
        errors.push(fieldInvalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is not in the valid range. The range of valid IPs is ${alloc.ranges.serviceCidr}`));
      } else if (await taken(alloc.ipKey(ip))) {
        errors.push(fieldInvalid('spec.clusterIPs', [ip], `failed to allocate IP ${ip}: provided IP is already allocated`));
      }
    } else {
      for (let i = 0; i < 32 && !ip; i++) {
        const candidate = alloc.randomIp();
        if (!(await taken(alloc.ipKey(candidate)))) ip = candidate;
      }
      if (!ip) errors.push(fieldInvalid('spec.clusterIPs', [], 'failed to allocate IP: range is full'));
    }
    if (ip) {
      spec.clusterIP = ip;
      spec.clusterIPs = [ip];
      keys.push(alloc.ipKey(ip));
    }
  } else {
    spec.clusterIPs = ['None'];
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    for (const [i, port] of (spec.ports ?? []).entries()) {
      const protocol = port.protocol ?? 'TCP';
      if (port.nodePort) {
        const key = alloc.portKey(protocol, port.nodePort);
        if (port.nodePort < alloc.ranges.nodePortMin || port.nodePort > alloc.ranges.nodePortMax) {
          errors.push(fieldInvalid(`spec.ports[${i}].nodePort`, port.nodePort, `provided port is not in the valid range. The range of valid ports is ${alloc.ranges.nodePortMin}-${alloc.ranges.nodePortMax}`));
        } else if (keys.includes(key) || (await taken(key))) {
          errors.push(fieldInvalid(`spec.ports[${i}].nodePort`, port.nodePort, 'provided port is already allocated'));
        } else keys.push(key);
        continue;
      }
      for (let attempt = 0; attempt < 64; attempt++) {
        const candidate = alloc.randomPort();
        const key = alloc.portKey(protocol, candidate);
        if (!keys.includes(key) && !(await taken(key))) {
          port.nodePort = candidate;
          keys.push(key);
          break;
        }
      }
      if (!port.nodePort) errors.push(fieldInvalid(`spec.ports[${i}].nodePort`, 0, 'failed to allocate a nodePort: range is full'));
    }
  }
  svc.spec = spec;
  return { keys, errors };
}

/** Reservation keys a stored Service holds (to release on delete). */
export function serviceReservations(svc: StoredObject, alloc: ServiceAllocators): string[] {
  const spec = (svc.spec ?? {}) as { clusterIP?: string; ports?: PortSpec[] };
  const keys: string[] = [];
  if (spec.clusterIP && spec.clusterIP !== 'None') keys.push(alloc.ipKey(spec.clusterIP));
  for (const port of spec.ports ?? []) if (port.nodePort) keys.push(alloc.portKey(port.protocol ?? 'TCP', port.nodePort));
  return keys;
}

/**
 * An update that leaves out the allocated ClusterIP or NodePorts keeps them
 * (as upstream does), so `kubectl replace` of a manifest without them works.
 */
export function carryServiceAllocations(next: StoredObject, old: StoredObject): void {
  const spec = (next.spec ?? {}) as { type?: string; clusterIP?: string; clusterIPs?: string[]; ports?: PortSpec[] };
  const prev = (old.spec ?? {}) as { clusterIP?: string; clusterIPs?: string[]; ports?: PortSpec[] };
  if (spec.type !== 'ExternalName' && !spec.clusterIP && prev.clusterIP) {
    spec.clusterIP = prev.clusterIP;
    spec.clusterIPs = prev.clusterIPs ?? [prev.clusterIP];
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    for (const port of spec.ports ?? []) {
      if (port.nodePort) continue;
      const match = (prev.ports ?? []).find((p) => p.port === port.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
      if (match?.nodePort) port.nodePort = match.nodePort;
    }
  }
  next.spec = spec;
}

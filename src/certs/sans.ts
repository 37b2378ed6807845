// Subject alternative names: detecting IP vs DNS in user input, the SAN set
// of the apiserver's serving certificate, and comparing SAN sets.
// Comparison is on canonical forms (lower-case DNS, RFC 5952 IPv6), so
// `0:0:0:0:0:0:0:1` and `::1` are the same name and `Example.COM` equals
// `example.com`.
import { isIP } from 'node:net';
import { CertsError } from './errors.js';

export type San = { readonly type: 'ip'; readonly value: string } | { readonly type: 'dns'; readonly value: string };

/** What the serving certificate of the apiserver must be valid for. */
export interface ApiserverSanOptions {
  /** The node's hostname. */
  nodeName: string;
  /** The node's addresses (IPv4 and/or IPv6). */
  nodeIps: readonly string[];
  /** The ClusterIP of the `kubernetes` Service: the first IP of the service CIDR (10.43.0.1 by default). */
  serviceIp: string;
  /** Cluster DNS domain (`cluster.local` by default). */
  clusterDomain: string;
  /** Extra names from `--tls-san`: each an IP address or a DNS name. */
  tlsSans?: readonly string[];
}

const dnsLabel = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)$/;

/**
 * Parses one SAN as a user wrote it: an IP address (IPv6 optionally in
 * brackets) or a DNS name (a leading `*.` wildcard label is allowed).
 * Throws CertsError 'bad-san' naming the value.
 */
export function parseSan(text: string): San {
  const trimmed = text.trim();
  const unbracketed = /^\[.*\]$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
  const ip = canonicalIp(unbracketed);
  if (ip !== undefined) return { type: 'ip', value: ip };
  const name = trimmed.toLowerCase().replace(/\.$/, '');
  const labels = name.split('.');
  const wildcardOk = labels.slice(labels[0] === '*' && labels.length > 2 ? 1 : 0).every((l) => dnsLabel.test(l));
  if (name.length === 0 || name.length > 253 || !wildcardOk || /^[0-9.]+$/.test(name)) {
    throw new CertsError('bad-san', `"${text}" is neither an IP address nor a valid DNS name; use e.g. 10.0.0.5, fd00::5 or api.example.com`);
  }
  return { type: 'dns', value: name };
}

/** The SANs the apiserver serves under, in a stable order without duplicates. */
export function apiserverSans(opts: ApiserverSanOptions): San[] {
  const domain = opts.clusterDomain.replace(/\.$/, '');
  const texts = [
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    `kubernetes.default.svc.${domain}`,
    opts.nodeName,
    '127.0.0.1',
    '::1',
    opts.serviceIp,
    ...opts.nodeIps,
    ...(opts.tlsSans ?? []),
  ];
  return uniqueSans(texts.map(parseSan));
}

/** Drops repeated names, keeping the first occurrence. */
export function uniqueSans(sans: readonly San[]): San[] {
  const seen = new Set<string>();
  return sans.filter((s) => {
    const key = sanKey(s);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** True when both lists name the same set of SANs (order and repeats ignored). */
export function sameSans(a: readonly San[], b: readonly San[]): boolean {
  const left = new Set(a.map(sanKey));
  const right = new Set(b.map(sanKey));
  return left.size === right.size && [...left].every((k) => right.has(k));
}

/** Canonical text of a SAN, e.g. `ip:::1` or `dns:localhost`. */
export function sanKey(san: San): string {
  return san.type === 'ip' ? `ip:${canonicalIp(san.value) ?? san.value}` : `dns:${san.value.toLowerCase()}`;
}

/**
 * The canonical text of an IP address, or undefined when the text is not one.
 * IPv6 is compressed as RFC 5952 says (the WHATWG URL serializer does
 * exactly that); zone ids (`fe80::1%eth0`) are not addresses a certificate can name.
 */
export function canonicalIp(text: string): string | undefined {
  const family = isIP(text);
  if (family === 4) return text;
  if (family !== 6 || text.includes('%')) return undefined;
  return new URL(`http://[${text}]/`).hostname.slice(1, -1);
}

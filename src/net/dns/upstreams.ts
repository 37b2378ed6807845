// The node's upstream resolvers: the `nameserver` lines of its
// resolv.conf, minus the cluster DNS itself (a node whose resolv.conf
// points at the cluster DNS would otherwise forward to itself forever).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Endpoint } from './exchange.js';

export const defaultResolvConf = '/etc/resolv.conf';

/** Upstreams from resolv.conf text, in order, without the `exclude`d addresses. */
export function parseUpstreams(text: string, exclude: readonly string[] = []): Endpoint[] {
  const out: Endpoint[] = [];
  for (const raw of text.split('\n')) {
    const [key, host] = raw.replace(/[#;].*$/, '').trim().split(/\s+/);
    // A scoped IPv6 address (fe80::1%eth0) keeps its zone for the socket.
    if (key !== 'nameserver' || host === undefined || isIP(host.split('%')[0] ?? '') === 0) continue;
    if (exclude.includes(host) || out.some((u) => u.host === host)) continue;
    out.push({ host, port: 53 });
  }
  return out;
}

/** Upstreams from a resolv.conf file; none when it cannot be read. */
export function readUpstreams(path: string = defaultResolvConf, exclude: readonly string[] = []): Endpoint[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return parseUpstreams(text, exclude);
}

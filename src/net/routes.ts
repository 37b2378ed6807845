// Routes that keep every cluster address on this node. The cluster CIDR
// (pods of every node) and the service CIDR (ClusterIPs) are routed to the
// pod bridge, so a packet to a cluster address that no rule rewrites is
// dropped here (nobody answers ARP on the bridge) instead of following the
// default route off the host. The kernel has no dummy device here, so the
// bridge is that sink. Routes to other nodes' pod CIDRs, added later, are
// more specific and win.
import { mustRun, type CommandRunner } from './exec.js';
import { readIpv4Routes, type RouteInfo } from './ip.js';

export interface ClusterRoutes {
  bridge: string;
  /** The bridge's address: the source of packets the node sends to cluster addresses. */
  gateway: string;
  /** CIDRs to route to the bridge, normalised ("10.43.0.0/16"). */
  cidrs: readonly string[];
}

/** Routes each CIDR to the bridge (`ip route replace <cidr> dev <bridge> src <gateway>`). Returns what it changed. */
export async function ensureClusterRoutes(run: CommandRunner, routes: ClusterRoutes): Promise<string[]> {
  const existing = await readIpv4Routes(run);
  const changes: string[] = [];
  for (const cidr of routes.cidrs) {
    if (existing.some((r) => r.dst === cidr && r.dev === routes.bridge && r.gateway === undefined && r.prefsrc === routes.gateway)) continue;
    await mustRun(run, 'ip', ['route', 'replace', cidr, 'dev', routes.bridge, 'src', routes.gateway]);
    changes.push(`route ${cidr}`);
  }
  return changes;
}

/** Routes for addresses inside `cidr` that lead somewhere other than `bridge`. */
export function routesLeaving(routes: readonly RouteInfo[], bridge: string, inside: (dst: string) => boolean): RouteInfo[] {
  return routes.filter((r) => r.dst !== 'default' && r.dev !== bridge && inside(r.dst));
}

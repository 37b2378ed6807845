// The node's side of the pod network, set up before any pod runs: the bridge
// with the gateway of the node's pod CIDR, every cluster range routed to it,
// and the pods' egress masquerade. Idempotent: a restart with pods running
// changes nothing. teardownPodNetwork undoes it (a killall-style cleanup,
// after the pods are gone).
import type { Logger } from '../log/logger.js';
import { ensureBridge, removeBridge } from './bridge.js';
import { cidrsOverlap, containsAddress, containsCidr, formatCidr, parseCidr, parseIpv4, podGateway, type Ipv4Cidr } from './cidr.js';
import { cniNetworkName } from './cni-config.js';
import { NetError, isNetError } from './errors.js';
import { hostRunner, type CommandRunner } from './exec.js';
import { readIpv4Addresses, readIpv4Routes, readLink } from './ip.js';
import { ensureMasquerade, masqueradeChain, removeNatRules } from './iptables.js';
import { ensureClusterRoutes, routesLeaving } from './routes.js';

export const defaultBridge = 'cni0';

export interface PodNetworkOptions {
  /** The node's pod CIDR, inside the cluster CIDR ("10.42.0.0/24"). */
  podCidr: string;
  /** Every node's pods ("10.42.0.0/16"). */
  clusterCidr: string;
  /** ClusterIPs ("10.43.0.0/16"). */
  serviceCidr: string;
  logger: Logger;
  /** Default cni0; must match the CNI config's bridge. */
  bridge?: string;
  /** Masquerade pods' traffic to outside the cluster CIDR (k3s does, for IPv4). Default true. */
  masquerade?: boolean;
  /** Where the commands run; default this process's network namespace. */
  run?: CommandRunner;
}

export interface PodNetwork {
  bridge: string;
  podCidr: string;
  /** The bridge's address: the pods' default gateway. */
  gateway: string;
  /** What this call changed; empty when all was in place already. */
  changes: string[];
  /**
   * The MTU of the device the default route leaves by, if there is one: the
   * MTU to give pods (writeCniConfig's `mtu`) so their packets fit the uplink.
   */
  uplinkMtu: number | undefined;
}

export async function setupPodNetwork(opts: PodNetworkOptions): Promise<PodNetwork> {
  const run = opts.run ?? hostRunner;
  const bridge = opts.bridge ?? defaultBridge;
  const cluster = parseCidr(opts.clusterCidr);
  const service = parseCidr(opts.serviceCidr);
  const pod = parseCidr(opts.podCidr);
  if (cidrsOverlap(cluster, service)) {
    throw new NetError('cidr-overlap', `the cluster CIDR ${formatCidr(cluster)} and the service CIDR ${formatCidr(service)} overlap`);
  }
  if (!containsCidr(cluster, pod) || pod.prefix > 30) {
    throw new NetError('pod-cidr-outside', `the pod CIDR ${formatCidr(pod)} is not a /30 or larger inside the cluster CIDR ${formatCidr(cluster)}`);
  }
  const gateway = podGateway(formatCidr(pod));

  for (const a of await readIpv4Addresses(run)) {
    if (a.dev === bridge) continue;
    const inside = [cluster, service].find((c) => containsAddress(c, parseIpv4(a.address)));
    if (inside) {
      throw new NetError('address-conflict', `${a.dev} has the address ${a.address}, inside ${formatCidr(inside)}: pods and services would be unreachable`);
    }
  }

  const changes = await ensureBridge(run, bridge, gateway, pod.prefix);
  // The pod CIDR itself is the bridge's connected route; the rest of the cluster CIDR needs one when the pod CIDR is smaller.
  const cidrs = [...(pod.prefix > cluster.prefix ? [cluster] : []), service].map(formatCidr);
  changes.push(...(await ensureClusterRoutes(run, { bridge, gateway, cidrs })));
  const routes = await readIpv4Routes(run);
  warnAboutLeaks(opts.logger, bridge, service, routes);
  const uplink = routes.find((r) => r.dst === 'default')?.dev;
  const uplinkMtu = uplink === undefined ? undefined : (await readLink(run, uplink))?.mtu;
  if (opts.masquerade !== false && (await ensureMasquerade(run, formatCidr(cluster)))) changes.push('masquerade');

  opts.logger.info('pod network ready', { bridge, podCidr: formatCidr(pod), gateway, uplinkMtu, changes: changes.join(', ') || 'none' });
  return { bridge, podCidr: formatCidr(pod), gateway, changes, uplinkMtu };
}

export interface PodNetworkTeardownOptions {
  logger: Logger;
  bridge?: string;
  /** The CNI network's name, whose hostPort rules are removed; default tsk8s. */
  networkName?: string;
  run?: CommandRunner;
}

/**
 * Removes the masquerade chain, hostPort rules portmap left for this network,
 * and the bridge with the routes through it. Meant for when no pod runs any
 * more. Idempotent.
 */
export async function teardownPodNetwork(opts: PodNetworkTeardownOptions): Promise<void> {
  const run = opts.run ?? hostRunner;
  const bridge = opts.bridge ?? defaultBridge;
  const dnatComment = `dnat name: \\"${opts.networkName ?? cniNetworkName}\\"`;
  let chains: string[] = [];
  try {
    chains = await removeNatRules(run, {
      chain: (name) => name === masqueradeChain,
      // portmap's per-pod chains hang off its shared CNI-HOSTPORT-DNAT chain, tagged with the network's name.
      rule: (chain, spec) => chain === 'CNI-HOSTPORT-DNAT' && spec.includes(dnatComment),
    });
  } catch (err) {
    // Without iptables there can be no rules of ours.
    if (!isNetError(err, 'command-missing')) throw err;
  }
  const removed = await removeBridge(run, bridge);
  opts.logger.info('pod network removed', { bridge: removed ? bridge : 'none', chains: chains.join(',') || 'none' });
}

function warnAboutLeaks(logger: Logger, bridge: string, service: Ipv4Cidr, routes: Parameters<typeof routesLeaving>[0]): void {
  const inService = (dst: string): boolean => containsCidr(service, parseCidr(dst.includes('/') ? dst : `${dst}/32`));
  for (const r of routesLeaving(routes, bridge, inService)) {
    logger.warn('a route sends service addresses past the pod bridge', { dst: r.dst, dev: r.dev, via: r.gateway });
  }
}

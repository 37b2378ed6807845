// Renders a Service's ports (model.ts) into iptables rules, following
// kube-proxy's iptables mode:
//  - nat TSK8S-SERVICES: one rule per ClusterIP, external IP and
//    load-balancer IP that has endpoints, jumping to the port's chain;
//    TSK8S-NODEPORTS: one rule per NodePort. Addresses without endpoints get
//    no nat rule: the filter table REJECTs them instead (connection refused
//    at once, not a timeout).
//  - TSK8S-SVC-*: load balancing over the ready endpoints with `statistic`
//    probabilities 1/n, 1/(n-1), ... 1; ClientIP affinity checks `recent`
//    lists first. Traffic to the ClusterIP from outside the cluster CIDR is
//    marked for masquerade.
//  - TSK8S-SEP-*: one endpoint: masquerade when the source is the endpoint
//    itself (hairpin), then DNAT (recording the client for affinity).
//  - TSK8S-EXT-*: the entry for NodePorts, external and load-balancer IPs.
//    Cluster policy: masquerade, then SVC. Local policy: pods and the node
//    itself still reach every endpoint (through SVC); the rest goes to the
//    local endpoints (TSK8S-SVL-*) with its source kept, or, when there are
//    none, is left alone for the filter table to DROP.
// A service is rendered as its own chains plus the rules it adds to the
// shared chains, so a change to one service can be applied alone (diff.ts).
import { externalServicesChain, filterServicesChain, markMasqChain, natServicesChain, nodePortsChain, serviceChain, type Table } from './chains.js';
import type { ProxyEndpoint, ProxyPort } from './model.js';

/** A rule in a shared chain; `spec` is everything after `-A <chain> `. */
export interface SharedRule {
  table: Table;
  chain: string;
  spec: string;
}

export interface ServiceRules {
  /** The service's own nat chains, name → rule specs. */
  chains: Map<string, string[]>;
  /** The rules it adds to the shared chains. */
  shared: SharedRule[];
}

export interface RenderContext {
  /** Pods of every node ("10.42.0.0/16"): traffic from outside it to a ClusterIP is masqueraded. */
  clusterCidr: string;
}

export function renderService(ports: readonly ProxyPort[], ctx: RenderContext): ServiceRules {
  const out: ServiceRules = { chains: new Map(), shared: [] };
  for (const p of ports) renderPort(p, ctx, out);
  return out;
}

function renderPort(p: ProxyPort, ctx: RenderContext, out: ServiceRules): void {
  const id = `${p.namespace}/${p.name}${p.portName ? `:${p.portName}` : ''}`;
  const hashId = `${p.namespace}/${p.name}:${p.portName}/${p.protocol}`;
  const svc = serviceChain('SVC', hashId);
  const ext = serviceChain('EXT', hashId);
  const svl = serviceChain('SVL', hashId);
  const sep = (e: ProxyEndpoint): string => serviceChain('SEP', `${hashId}/${e.ip}:${e.port}`);
  const proto = `-p ${p.protocol}`;
  const dport = (port: number): string => `-m ${p.protocol} --dport ${port}`;
  const comment = (what: string): string => `-m comment --comment "${id}${what ? ` ${what}` : ''}"`;
  const hasEndpoints = p.endpoints.length > 0;
  const externalIPs = [...p.externalIPs, ...p.loadBalancerIPs];
  const hasExternal = externalIPs.length > 0 || p.nodePort > 0;
  const nat = (chain: string, spec: string): void => void out.shared.push({ table: 'nat', chain, spec });
  const filter = (chain: string, spec: string): void => void out.shared.push({ table: 'filter', chain, spec });

  if (!hasEndpoints) {
    const reject = '-j REJECT --reject-with icmp-port-unreachable';
    if (p.clusterIP) filter(filterServicesChain, `-d ${p.clusterIP}/32 ${proto} ${comment('has no endpoints')} ${dport(p.port)} ${reject}`);
    for (const ip of externalIPs) filter(externalServicesChain, `-d ${ip}/32 ${proto} ${comment('has no endpoints')} ${dport(p.port)} ${reject}`);
    if (p.nodePort) filter(externalServicesChain, `${proto} ${comment('has no endpoints')} -m addrtype --dst-type LOCAL ${dport(p.nodePort)} ${reject}`);
    return;
  }

  const svcRules: string[] = [];
  if (p.clusterIP) {
    nat(natServicesChain, `-d ${p.clusterIP}/32 ${proto} ${comment('cluster IP')} ${dport(p.port)} -j ${svc}`);
    svcRules.push(`! -s ${ctx.clusterCidr} -d ${p.clusterIP}/32 ${proto} ${comment('cluster IP')} ${dport(p.port)} -j ${markMasqChain}`);
  }
  svcRules.push(...balance(p.endpoints, p, comment, sep));
  out.chains.set(svc, svcRules);
  for (const e of new Set([...p.endpoints, ...p.localEndpoints])) out.chains.set(sep(e), endpointRules(e, p, comment, sep(e)));

  if (!hasExternal) return;
  for (const ip of p.externalIPs) nat(natServicesChain, `-d ${ip}/32 ${proto} ${comment('external IP')} ${dport(p.port)} -j ${ext}`);
  for (const ip of p.loadBalancerIPs) nat(natServicesChain, `-d ${ip}/32 ${proto} ${comment('loadbalancer IP')} ${dport(p.port)} -j ${ext}`);
  if (p.nodePort) nat(nodePortsChain, `${proto} ${comment('node port')} ${dport(p.nodePort)} -j ${ext}`);
  if (!p.externalLocal) {
    out.chains.set(ext, [`${comment('masquerade traffic for external destinations')} -j ${markMasqChain}`, `-j ${svc}`]);
    return;
  }
  const extRules = [
    `-s ${ctx.clusterCidr} ${comment('pod traffic for external destinations')} -j ${svc}`,
    `${comment('masquerade LOCAL traffic for external destinations')} -m addrtype --src-type LOCAL -j ${markMasqChain}`,
    `${comment('route LOCAL traffic for external destinations')} -m addrtype --src-type LOCAL -j ${svc}`,
  ];
  if (p.localEndpoints.length > 0) {
    extRules.push(`-j ${svl}`);
    out.chains.set(svl, balance(p.localEndpoints, p, comment, sep));
  } else {
    const drop = '-j DROP';
    for (const ip of externalIPs) filter(externalServicesChain, `-d ${ip}/32 ${proto} ${comment('has no local endpoints')} ${dport(p.port)} ${drop}`);
    if (p.nodePort) filter(externalServicesChain, `${proto} ${comment('has no local endpoints')} -m addrtype --dst-type LOCAL ${dport(p.nodePort)} ${drop}`);
  }
  out.chains.set(ext, extRules);
}

/** Affinity checks, then one jump per endpoint with probability 1/(endpoints left). */
function balance(endpoints: readonly ProxyEndpoint[], p: ProxyPort, comment: (w: string) => string, sep: (e: ProxyEndpoint) => string): string[] {
  const rules: string[] = [];
  if (p.affinitySeconds !== undefined) {
    for (const e of endpoints) {
      rules.push(`${comment(`-> ${e.ip}:${e.port}`)} -m recent --name ${sep(e)} --mask 255.255.255.255 --rsource --rcheck --seconds ${p.affinitySeconds} --reap -j ${sep(e)}`);
    }
  }
  endpoints.forEach((e, i) => {
    const left = endpoints.length - i;
    const statistic = left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(10)}` : '';
    rules.push(`${comment(`-> ${e.ip}:${e.port}`)}${statistic} -j ${sep(e)}`);
  });
  return rules;
}

function endpointRules(e: ProxyEndpoint, p: ProxyPort, comment: (w: string) => string, chain: string): string[] {
  const record = p.affinitySeconds !== undefined ? ` -m recent --name ${chain} --mask 255.255.255.255 --rsource --set` : '';
  return [`-s ${e.ip}/32 ${comment('')} -j ${markMasqChain}`, `-p ${p.protocol} ${comment('')}${record} -m ${p.protocol} -j DNAT --to-destination ${e.ip}:${e.port}`];
}

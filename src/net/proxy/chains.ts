// The proxy's iptables chains and marks. Every chain it owns starts with
// `TSK8S-`; the pod network's TSK8S-POSTROUTING is not the proxy's (the
// proxy never touches it). Per-service chain names end with 16 hex digits of
// a SHA-256, like kube-proxy's, so they fit iptables' 28-character limit.
import { createHash } from 'node:crypto';

export const natServicesChain = 'TSK8S-SERVICES';
export const nodePortsChain = 'TSK8S-NODEPORTS';
export const markMasqChain = 'TSK8S-MARK-MASQ';
export const proxyPostroutingChain = 'TSK8S-PROXY-POSTROUTING';
/** filter: REJECT for ClusterIPs of services without endpoints. */
export const filterServicesChain = 'TSK8S-SERVICES';
/** filter: REJECT/DROP for NodePorts, external and load-balancer IPs without (local) endpoints. */
export const externalServicesChain = 'TSK8S-EXTERNAL-SERVICES';
export const forwardChain = 'TSK8S-FORWARD';

/** The chain the pod network owns (its egress masquerade): never the proxy's to remove. */
export const podNetworkChain = 'TSK8S-POSTROUTING';

/** The fwmark bit of packets to masquerade (kube-proxy's value). */
export const masqMark = '0x4000';

export type Table = 'nat' | 'filter';

/** Per-service chain kinds: cluster load balancing, external entry, local-only load balancing, one endpoint. */
export type ChainKind = 'SVC' | 'EXT' | 'SVL' | 'SEP';

export function serviceChain(kind: ChainKind, id: string): string {
  return `TSK8S-${kind}-${createHash('sha256').update(id).digest('hex').slice(0, 16).toUpperCase()}`;
}

/** True for a chain the proxy owns in `table` (per-service or fixed). */
export function isProxyChain(table: Table, name: string): boolean {
  if (!name.startsWith('TSK8S-') || name === podNetworkChain) return false;
  if (table === 'filter') return name === filterServicesChain || name === externalServicesChain || name === forwardChain;
  return name === natServicesChain || name === nodePortsChain || name === markMasqChain || name === proxyPostroutingChain || /^TSK8S-(SVC|EXT|SVL|SEP)-[0-9A-F]{16}$/.test(name);
}

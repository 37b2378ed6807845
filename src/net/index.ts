// The pod network: pod CIDRs, the CNI config, and the node's bridge, routes
// and masquerade rules.
export {
  allocatePodCidr,
  bridgeAddress,
  cidrSize,
  cidrsOverlap,
  containsAddress,
  containsCidr,
  formatCidr,
  formatIpv4,
  parseCidr,
  parseIpv4,
  podGateway,
  type Ipv4Cidr,
} from './cidr.js';
export { cniConfigFileName, cniConfigText, cniNetworkName, cniVersion, renderCniConfig, writeCniConfig, type CniConfigInput, type CniConfList, type WrittenCniConfig } from './cni-config.js';
export { defaultBridge, setupPodNetwork, teardownPodNetwork, type PodNetwork, type PodNetworkOptions, type PodNetworkTeardownOptions } from './pod-network.js';
export { bridgeMac } from './bridge.js';
export { masqueradeChain } from './iptables.js';
export { hostRunner, type CommandOptions, type CommandResult, type CommandRunner } from './exec.js';
export { NetError, isNetError, netErrorCodes, netErrorSuggestions, type NetErrorCode } from './errors.js';

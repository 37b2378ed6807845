// Cluster DNS: names of Services, endpoints and pods in the cluster zone
// answered from the API, everything else forwarded upstream with a cache.
export { startClusterDns, type ClusterDns, type ClusterDnsOptions } from './cluster-dns.js';
export { startDnsServer, type DnsServer, type DnsServerOptions } from './server.js';
export { Resolver, type ResolverOptions, type Transport } from './resolver.js';
export { Forwarder, type Forwarded, type ForwarderOptions } from './forward.js';
export { ClusterRecords } from './records.js';
export { exchangeTcp, exchangeUdp, type Endpoint } from './exchange.js';
export { parseUpstreams, readUpstreams } from './upstreams.js';
export { DnsError, dnsErrorCodes, isDnsError, type DnsErrorCode } from './errors.js';

// The service proxy: Services and EndpointSlices → iptables rules in chains
// of our own (TSK8S-*), kept in step incrementally.
export { startServiceProxy, endpointSlicesRef, type RunningServiceProxy, type ServiceProxyOptions } from './start.js';
export { proxyPorts, serviceKey, nodeLocalLabel, serviceNameLabel, type ProxyPort, type ProxyEndpoint } from './model.js';
export { renderService, type ServiceRules, type RenderContext } from './render.js';
export { changeRestore, fullRestore } from './restore.js';
export { ProxyRules, readPresent, removeProxyRules, type SyncResult } from './rules.js';
export type { Spawner } from './session.js';
export { isProxyChain } from './chains.js';
export { ensureProxySysctls } from './kernel.js';

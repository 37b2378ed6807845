// Discovery documents built from the registry; routing and HTTP live elsewhere.
export {
  aggregatedDiscovery,
  type AggregatedVersion,
  type APIGroupDiscovery,
  type APIGroupDiscoveryList,
  type APIResourceDiscovery,
  type APISubresourceDiscovery,
  type APIVersionDiscovery,
} from './aggregated.js';
export { apiGroup, apiGroupList, apiResourceList, apiVersions } from './legacy.js';
export { discoveryContentTypes, negotiateDiscovery, type DiscoveryForm } from './negotiate.js';

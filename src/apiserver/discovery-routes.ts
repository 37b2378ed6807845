// Answers discovery paths: `/api` and `/apis` in the aggregated form the
// Accept header asks for (else legacy), and the legacy per-group and
// per-group-version documents.
import type { Registry } from '../api/registry/registry.js';
import { aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, discoveryContentTypes, negotiateDiscovery } from './discovery/index.js';
import type { DiscoveryRequest } from './request/info.js';
import { objectResponse, type ApiResponse } from './rest/types.js';

export function discovery(registry: Registry, info: DiscoveryRequest, accept: string, serverAddress: string): ApiResponse | undefined {
  if (info.group === undefined) {
    const form = negotiateDiscovery(accept);
    if (form !== 'legacy') return objectResponse(200, aggregatedDiscovery(registry, info.prefix, form), discoveryContentTypes[form]);
    return objectResponse(200, info.prefix === 'api' ? apiVersions(serverAddress) : apiGroupList(registry));
  }
  if (info.version === undefined) {
    const group = apiGroup(registry, info.group);
    return group && objectResponse(200, group);
  }
  const list = apiResourceList(registry, info.group, info.version);
  return list && objectResponse(200, list);
}

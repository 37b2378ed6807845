// Aggregated discovery (apidiscovery.k8s.io v2 and v2beta1): every group,
// version and resource in one document, so kubectl needs two requests
// (`/api` and `/apis`) instead of one per group-version. Both versions have
// the same shape; only apiVersion differs.
import type { Registry } from '../../api/registry/registry.js';
import type { ResourceDefinition } from '../../api/registry/types.js';
import type { GroupVersionKind } from '../../api/types.js';
import { byteOrder, sorted } from './order.js';

export type AggregatedVersion = 'v2' | 'v2beta1';

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  singularResource: string;
  scope: 'Namespaced' | 'Cluster';
  /** Clients drop a resource without one. */
  responseKind: GroupVersionKind;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  /** Clients report a Stale version as a failed group-version. */
  freshness: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  /** No name for the core group. */
  metadata: { name?: string };
  /** Preferred version first. */
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: `apidiscovery.k8s.io/${AggregatedVersion}`;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

/**
 * The aggregated document for `/api` (root 'api': the core group only) or
 * `/apis` (root 'apis': every named group, in discovery order).
 */
export function aggregatedDiscovery(registry: Registry, root: 'api' | 'apis', version: AggregatedVersion): APIGroupDiscoveryList {
  const items = registry
    .groups()
    .filter((g) => (root === 'api') === (g.group === ''))
    .map(
      (g): APIGroupDiscovery => ({
        metadata: g.group === '' ? {} : { name: g.group },
        versions: g.versions.map((v) => ({
          version: v,
          resources: registry
            .groupVersion(g.group, v)
            .map(resourceDiscovery)
            .sort((a, b) => byteOrder(a.resource, b.resource)),
          freshness: 'Current',
        })),
      }),
    );
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

function resourceDiscovery(def: ResourceDefinition): APIResourceDiscovery {
  const doc: APIResourceDiscovery = {
    resource: def.resource,
    singularResource: def.singular,
    scope: def.namespaced ? 'Namespaced' : 'Cluster',
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    verbs: sorted(def.verbs),
  };
  if (def.shortNames.length > 0) doc.shortNames = [...def.shortNames];
  if (def.categories.length > 0) doc.categories = [...def.categories];
  if (def.subresources.length > 0) {
    doc.subresources = def.subresources
      .map((sub) => ({ subresource: sub.name, responseKind: { ...sub.kind }, verbs: sorted(sub.verbs) }))
      .sort((a, b) => byteOrder(a.subresource, b.subresource));
  }
  return doc;
}

// Legacy (unaggregated) discovery: `/api`, `/apis`, `/apis/<group>`,
// `/api/v1` and `/apis/<group>/<version>`. Clients that do not ask for
// aggregated discovery, and every client for the per-group-version lists,
// read these.
import type { Registry } from '../../api/registry/registry.js';
import type { ResourceDefinition } from '../../api/registry/types.js';
import type { metav1 } from '../../api/types.js';
import { byteOrder, sorted } from './order.js';

/** `/api`: the core group's versions and the address clients should use. */
export function apiVersions(serverAddress: string): metav1.APIVersions {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/** `/apis`: every named group (not the core group), in discovery order. */
export function apiGroupList(registry: Registry): metav1.APIGroupList {
  const groups: metav1.APIGroup[] = [];
  for (const { group } of registry.groups()) {
    const doc = apiGroupEntry(registry, group);
    if (doc) groups.push(doc);
  }
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `/apis/<group>`; undefined for the core group or a group not served. */
export function apiGroup(registry: Registry, group: string): metav1.APIGroup | undefined {
  const entry = apiGroupEntry(registry, group);
  return entry && { kind: 'APIGroup', apiVersion: 'v1', ...entry };
}

function apiGroupEntry(registry: Registry, group: string): metav1.APIGroup | undefined {
  if (group === '') return undefined;
  const served = registry.groups().find((g) => g.group === group);
  if (!served) return undefined;
  const versions = served.versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  const preferred = versions[0];
  return preferred && { name: group, versions, preferredVersion: preferred };
}

/**
 * `/api/v1` or `/apis/<group>/<version>`: each resource, then each of its
 * subresources as `parent/sub`, sorted by name. Undefined when the
 * group-version is not served.
 */
export function apiResourceList(registry: Registry, group: string, version: string): metav1.APIResourceList | undefined {
  const defs = registry.groupVersion(group, version);
  if (defs.length === 0) return undefined;
  const resources = defs.flatMap((def) => resourceEntries(def)).sort((a, b) => byteOrder(a.name, b.name));
  // Upstream's core list carries no apiVersion; the named groups' lists do.
  const groupVersion = group === '' ? version : `${group}/${version}`;
  return group === ''
    ? { kind: 'APIResourceList', groupVersion, resources }
    : { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

function resourceEntries(def: ResourceDefinition): metav1.APIResource[] {
  const main: metav1.APIResource = {
    name: def.resource,
    singularName: def.singular,
    namespaced: def.namespaced,
    kind: def.kind,
    verbs: sorted(def.verbs),
  };
  if (def.shortNames.length > 0) main.shortNames = [...def.shortNames];
  if (def.categories.length > 0) main.categories = [...def.categories];
  const subs = def.subresources.map((sub): metav1.APIResource => {
    // group/version appear only when the subresource's kind lives elsewhere (Scale, Eviction, TokenRequest).
    const foreign = sub.kind.group !== def.group || sub.kind.version !== def.version;
    return {
      name: `${def.resource}/${sub.name}`,
      singularName: '',
      namespaced: def.namespaced,
      ...(foreign ? { group: sub.kind.group, version: sub.kind.version } : {}),
      kind: sub.kind.kind,
      verbs: sorted(sub.verbs),
    };
  });
  return [main, ...subs];
}

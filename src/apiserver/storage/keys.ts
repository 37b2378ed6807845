// Where objects live in the store: `/registry/<resource>/<namespace>/<name>`
// for the core group, `/registry/<group>/<resource>/...` for other groups
// (so core and events.k8s.io Events never share keys).

export interface ResourceKeyspace {
  group: string;
  resource: string;
  namespaced: boolean;
}

export function resourcePrefix(space: ResourceKeyspace): string {
  return space.group === '' ? `/registry/${space.resource}/` : `/registry/${space.group}/${space.resource}/`;
}

/** Prefix of a list: every object of the resource, or one namespace's. */
export function listPrefix(space: ResourceKeyspace, namespace: string): string {
  const base = resourcePrefix(space);
  return space.namespaced && namespace !== '' ? `${base}${namespace}/` : base;
}

export function objectKey(space: ResourceKeyspace, namespace: string, name: string): string {
  const base = resourcePrefix(space);
  return space.namespaced ? `${base}${namespace}/${name}` : `${base}${name}`;
}

/** The first key after every key that starts with `prefix` (etcd's range_end for a prefix). */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

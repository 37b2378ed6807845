// Custom resources in the garbage collector's graph: an established
// CustomResourceDefinition adds its kind (the storage version's informer;
// owner references naming any served version resolve to it), a changed
// storage version moves it, and a deleted definition takes it out again
// and stops its informer. So a custom object owning a Deployment, or a
// Deployment owning a custom object, is collected as a built-in one is.
import { apiVersionOf } from '../api/types.js';
import type { ObjectLike, ResourceRef } from '../client/index.js';
import type { Lister } from './controller.js';
import type { GarbageCollector, TrackedResource } from './garbagecollector.js';

/** What is read of a CustomResourceDefinition. */
export interface CustomResourceDefinitionLike extends ObjectLike {
  spec?: {
    group?: string;
    scope?: string;
    names?: { kind?: string; plural?: string };
    versions?: Array<{ name: string; served?: boolean; storage?: boolean }>;
  };
  status?: { conditions?: Array<{ type?: string; status?: string }> };
}

export const customResourceDefinitionsRef: ResourceRef = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', namespaced: false };

export interface CustomResourceSource {
  definitions: Lister<CustomResourceDefinitionLike>;
  /** The shared lister of a custom resource (its informer starts on first use). */
  lister(ref: ResourceRef): Lister<ObjectLike>;
  /** Stops the informer of a custom resource whose definition is gone. */
  release(ref: ResourceRef): void;
}

interface Followed {
  resource: TrackedResource;
  /** The served versions, joined, to notice a change. */
  served: string;
}

/** The resource and served apiVersions an established definition stands for, else undefined. */
export function definedResource(crd: CustomResourceDefinitionLike): { ref: ResourceRef; kind: string; apiVersions: string[] } | undefined {
  const spec = crd.spec;
  const established = crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
  const version = spec?.versions?.find((v) => v.storage) ?? spec?.versions?.find((v) => v.served);
  if (!established || !spec?.group || !spec.names?.plural || !spec.names.kind || !version) return undefined;
  return {
    ref: { group: spec.group, version: version.name, resource: spec.names.plural, namespaced: spec.scope === 'Namespaced' },
    kind: spec.names.kind,
    apiVersions: (spec.versions ?? []).filter((v) => v.served).map((v) => apiVersionOf(spec.group ?? '', v.name)),
  };
}

/** Keeps `gc` tracking every established custom resource of `source`. */
export function followCustomResources(gc: GarbageCollector, source: CustomResourceSource): void {
  const followed = new Map<string, Followed>();
  const drop = (name: string): void => {
    const f = followed.get(name);
    if (!f) return;
    followed.delete(name);
    gc.untrack(f.resource);
    source.release(f.resource.ref);
  };
  const define = (crd: CustomResourceDefinitionLike): void => {
    const name = crd.metadata?.name ?? '';
    const defined = definedResource(crd);
    const current = followed.get(name);
    if (!defined) {
      // Not (or no longer) established: nothing new is tracked, a kind already followed stays until the definition goes.
      return;
    }
    const served = defined.apiVersions.join(',');
    const sameRef = current && current.resource.ref.version === defined.ref.version && current.resource.ref.namespaced === defined.ref.namespaced;
    if (current && sameRef && current.served === served) return;
    drop(name);
    const resource: TrackedResource = { ref: defined.ref, kind: defined.kind, lister: source.lister(defined.ref) };
    followed.set(name, { resource, served });
    gc.track(resource, defined.apiVersions);
  };
  source.definitions.addEventHandler({
    onAdd: (crd) => define(crd),
    onUpdate: (_old, crd) => define(crd),
    onDelete: (crd) => drop(crd.metadata?.name ?? ''),
  });
}

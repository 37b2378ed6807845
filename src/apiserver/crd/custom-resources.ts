// The live set of custom kinds, driven by the stored CRDs. `sync()` is the
// CRD controller (run after every CRD write that passes the router, and once
// before the first request): it sets each CRD's acceptedNames and
// NamesAccepted/Established conditions, adds the cleanup finalizer,
// empties and releases deleted CRDs, and rebuilds what is served — the
// contexts of each served version, the registry discovery reads and the
// OpenAPI documents (whose hashes change with their content). Syncs run
// one at a time.
import { Registry } from '../../api/registry/registry.js';
import type { ResourceDefinition } from '../../api/registry/types.js';
import { decodeObject } from '../storage/codec.js';
import { indexDefinitions, loadDefinitions } from '../openapi/definitions.js';
import { OpenApiDocs } from '../openapi/index.js';
import type { Schema } from '../openapi/schema.js';
import { resourceContext, type ResourceContext, type ServerState } from '../rest/context.js';
import { rfc3339 } from '../rest/meta.js';
import { objectKey } from '../storage/keys.js';
import { admitCrd } from './admission.js';
import { deleteAllObjects } from './cleanup.js';
import { claimedNames, desiredStatus } from './conditions.js';
import { customKind, type CustomKind } from './kind.js';
import { cleanupFinalizer, type CustomResourceDefinition } from './types.js';
import { compareVersions } from './version-order.js';
import { VersionedDecoded, VersionedStore } from './versioned-store.js';

export const crdGroup = 'apiextensions.k8s.io';
export const crdResource = 'customresourcedefinitions';
const crdSpace = { group: crdGroup, resource: crdResource, namespaced: false };

export interface ServedCustomKind {
  ctx: ResourceContext;
  /** The context of status writes: its store checks the written object against the schema. */
  statusCtx: ResourceContext;
  kind: CustomKind;
}

function established(crd: CustomResourceDefinition): boolean {
  return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true;
}

export class CustomResources {
  private served = new Map<string, ServedCustomKind>();
  private merged: Registry;
  private docs: OpenApiDocs;
  private fingerprint = '';
  private chain: Promise<void> = Promise.resolve();
  private initial: Promise<void> | undefined;

  constructor(
    private readonly state: ServerState,
    private readonly builtin: Registry,
  ) {
    this.merged = builtin;
    this.docs = new OpenApiDocs(builtin);
  }

  /** A built-in definition as the router serves it: CRDs get their admission. */
  adapt(def: ResourceDefinition): ResourceDefinition {
    return def.group === crdGroup && def.resource === crdResource ? { ...def, defaulter: admitCrd } : def;
  }

  /** Resolves once the CRDs stored before this process started are served (retried after a failure). */
  ready(): Promise<void> {
    this.initial ??= this.sync().catch((err: unknown) => {
      this.initial = undefined;
      throw err;
    });
    return this.initial;
  }

  registry(): Registry {
    return this.merged;
  }

  openapi(): OpenApiDocs {
    return this.docs;
  }

  /** The served custom resource at `<group>/<version>/<resource>`. */
  lookup(group: string, version: string, resource: string): ServedCustomKind | undefined {
    return this.served.get(`${group}/${version}/${resource}`);
  }

  sync(): Promise<void> {
    const run = this.chain.then(() => this.reconcile());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async list(): Promise<{ crd: CustomResourceDefinition; modRevision: number }[]> {
    const page = await this.state.store.page({ prefix: `/registry/${crdGroup}/${crdResource}/`, limit: 0, revision: 0 });
    const out = page.items.map(({ kv }) => ({ crd: decodeObject(kv) as CustomResourceDefinition, modRevision: kv.modRevision }));
    const created = (c: CustomResourceDefinition) => c.metadata.creationTimestamp ?? '';
    return out.sort((a, b) => (created(a.crd) < created(b.crd) ? -1 : created(a.crd) > created(b.crd) ? 1 : (a.crd.metadata.name ?? '') < (b.crd.metadata.name ?? '') ? -1 : 1));
  }

  private async reconcile(): Promise<void> {
    const active: CustomResourceDefinition[] = [];
    const claimed = new Map<string, Set<string>>();
    for (const { crd, modRevision } of await this.list()) {
      const key = objectKey(crdSpace, '', crd.metadata.name ?? '');
      if (crd.metadata.deletionTimestamp !== undefined) {
        await this.finalize(crd, key, modRevision);
        continue;
      }
      const taken = claimed.get(crd.spec.group) ?? new Set<string>();
      claimed.set(crd.spec.group, taken);
      const names = claimedNames(crd);
      const clash = [...names.resources, ...names.kinds.map((k) => `kind:${k}`)].find((n) => taken.has(n));
      const conflict = clash === undefined ? undefined : `"${clash.replace(/^kind:/, '')}" is already in use`;
      if (conflict === undefined) for (const n of [...names.resources, ...names.kinds.map((k) => `kind:${k}`)]) taken.add(n);
      const next = this.withStatus(crd, conflict);
      if (JSON.stringify(next) !== JSON.stringify(crd)) {
        const out = await this.state.store.update(key, next, modRevision);
        if (out.ok && established(out.obj as CustomResourceDefinition)) active.push(out.obj as CustomResourceDefinition);
        else if (!out.ok) this.state.logger.info('CRD changed during sync; it is synced again after that write', { name: crd.metadata.name });
      } else if (established(crd)) {
        active.push(crd);
      }
    }
    this.rebuild(active);
  }

  private withStatus(crd: CustomResourceDefinition, conflict: string | undefined): CustomResourceDefinition {
    const finalizers = crd.metadata.finalizers ?? [];
    const metadata = finalizers.includes(cleanupFinalizer) ? crd.metadata : { ...crd.metadata, finalizers: [...finalizers, cleanupFinalizer] };
    return { ...crd, metadata, status: desiredStatus(crd, conflict, rfc3339(this.state.now())) };
  }

  /** A deleted CRD: stop serving it, delete its objects, then drop the finalizer (which deletes the CRD when it was the last). */
  private async finalize(crd: CustomResourceDefinition, key: string, modRevision: number): Promise<void> {
    const finalizers = crd.metadata.finalizers ?? [];
    if (!finalizers.includes(cleanupFinalizer)) return;
    this.rebuild([...this.servedCrds()].filter((c) => c.metadata.name !== crd.metadata.name));
    await deleteAllObjects(this.state.store, crd.spec.group, crd.spec.names.plural);
    const rest = finalizers.filter((f) => f !== cleanupFinalizer);
    if (rest.length === 0) {
      await this.state.store.delete(key, modRevision);
      return;
    }
    await this.state.store.update(key, { ...crd, metadata: { ...crd.metadata, finalizers: rest } }, modRevision);
  }

  private servedCrds(): Set<CustomResourceDefinition> {
    return new Set([...this.served.values()].map((s) => s.kind.crd));
  }

  /** Serves exactly the versions of `crds` (no-op when nothing changed). */
  private rebuild(crds: readonly CustomResourceDefinition[]): void {
    const fingerprint = crds.map((c) => `${c.metadata.uid ?? ''}@${c.metadata.resourceVersion ?? ''}`).sort().join(',');
    if (fingerprint === this.fingerprint) return;
    this.fingerprint = fingerprint;
    const builtinDefs = loadDefinitions();
    const served = new Map<string, ServedCustomKind>();
    const published: Record<string, Schema> = {};
    const sortedCrds = [...crds].sort((a, b) => (a.spec.group < b.spec.group ? -1 : a.spec.group > b.spec.group ? 1 : a.spec.names.plural < b.spec.names.plural ? -1 : 1));
    const defs: ResourceDefinition[] = [];
    const byGroup = new Map<string, { version: string; kind: CustomKind }[]>();
    for (const crd of sortedCrds) {
      for (const v of crd.spec.versions) {
        if (!v.served) continue;
        const kind = customKind(crd, v, builtinDefs?.definitions ?? {});
        const list = byGroup.get(crd.spec.group) ?? [];
        list.push({ version: v.name, kind });
        byGroup.set(crd.spec.group, list);
      }
    }
    for (const entries of byGroup.values()) {
      entries.sort((a, b) => compareVersions(a.version, b.version) || (a.kind.def.resource < b.kind.def.resource ? -1 : 1));
      for (const { kind } of entries) {
        const def = kind.def;
        // A CRD cannot take over a built-in resource's URL.
        if (this.builtin.lookup(def.group, def.version, def.resource)) continue;
        const apiVersion = `${def.group}/${def.version}`;
        const decoded = new VersionedDecoded(apiVersion);
        const ctx = resourceContext({ ...this.state, store: new VersionedStore(this.state.store, apiVersion, kind.storageApiVersion), decoded }, def);
        const statusStore = new VersionedStore(this.state.store, apiVersion, kind.storageApiVersion, kind.admit);
        served.set(`${def.group}/${def.version}/${def.resource}`, { ctx, statusCtx: { ...ctx, store: statusStore }, kind });
        defs.push(def);
        Object.assign(published, kind.published);
      }
    }
    this.served = served;
    this.merged = new Registry({ resources: [...this.builtin.resources, ...defs], printers: {}, defaulters: {} });
    const index = builtinDefs === undefined ? undefined : indexDefinitions(builtinDefs.source, { ...builtinDefs.definitions, ...published });
    this.docs = new OpenApiDocs(this.merged, () => index);
  }
}

// The garbage collector: deletes objects whose owners are all gone, and
// carries out the owner's propagation policy when an owner is deleted with
// a finalizer:
// - `orphan`: the owner's references are removed from its dependents, then
//   the finalizer;
// - `foregroundDeletion`: the dependents are deleted (foreground themselves
//   when they block their owner's deletion), and the finalizer is removed
//   once none is left;
// - background (no finalizer): the owner is gone at once and its dependents
//   follow here, as dangling references are found.
// The graph (uid → object, owner uid → dependents) is built from the shared
// informers of the resources in `resources`, and of custom resources as
// their definitions come and go (garbagecollector-custom.ts); owners of
// kinds outside them are taken to exist (never wrongly deleting is worth
// more than cleaning up).
import { apiVersionOf, type OwnerReference } from '../api/types.js';
import { keyOf, runWorkers, WorkQueue, type Client, type ObjectLike, type ResourceClient, type ResourceRef } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isConflict, isNotFound } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';

export interface TrackedResource {
  ref: ResourceRef;
  /** The kind objects of this resource have, e.g. `ReplicaSet`. */
  kind: string;
  lister: Lister<ObjectLike>;
}

export interface GarbageCollectorOptions {
  client: Client;
  resources: readonly TrackedResource[];
  logger?: Logger;
  queue?: WorkQueue;
}

interface Node {
  resource: TrackedResource;
  namespace: string;
  name: string;
  owners: OwnerReference[];
}

const orphanFinalizer = 'orphan';
const foregroundFinalizer = 'foregroundDeletion';

export class GarbageCollector implements Controller {
  readonly name = 'garbagecollector';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly nodes = new Map<string, Node>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly byKind = new Map<string, TrackedResource>();
  /** Removes the event handlers track() added, per resource. */
  private readonly tracked = new Map<TrackedResource, () => void>();

  constructor(private readonly opts: GarbageCollectorOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    for (const r of opts.resources) this.track(r);
  }

  /**
   * Adds a resource to the graph; owner references naming any of
   * `apiVersions` (default: the ref's own) with its kind resolve to it.
   */
  track(resource: TrackedResource, apiVersions: readonly string[] = [apiVersionOf(resource.ref.group, resource.ref.version)]): void {
    for (const v of apiVersions) this.byKind.set(`${v}|${resource.kind}`, resource);
    const removeHandlers = resource.lister.addEventHandler({
      onAdd: (obj) => this.observe(resource, obj),
      onUpdate: (_old, obj) => this.observe(resource, obj),
      onDelete: (obj) => this.forget(obj),
    });
    this.tracked.set(resource, removeHandlers);
  }

  /**
   * Stops following a resource whose kind is gone: its objects leave the
   * graph and their dependents are looked at again. Owner references to
   * the kind still resolve to it, so a read finds such owners absent.
   */
  untrack(resource: TrackedResource): void {
    const removeHandlers = this.tracked.get(resource);
    if (!removeHandlers) return;
    this.tracked.delete(resource);
    removeHandlers();
    for (const [uid, node] of this.nodes) if (node.resource === resource) this.forgetUid(uid);
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  /** `key` is an object's uid. */
  async sync(uid: string): Promise<void> {
    const node = this.nodes.get(uid);
    if (!node) return;
    const obj = node.resource.lister.get(node.name, node.namespace || undefined);
    if (!obj || obj.metadata?.uid !== uid) return;
    const finalizers = obj.metadata?.finalizers ?? [];
    if (obj.metadata?.deletionTimestamp) {
      if (finalizers.includes(orphanFinalizer)) await this.orphanDependents(uid, node, obj);
      else if (finalizers.includes(foregroundFinalizer)) await this.deleteDependents(uid, node, obj);
      return;
    }
    const owners = obj.metadata?.ownerReferences ?? [];
    if (owners.length === 0) return;
    const dangling: OwnerReference[] = [];
    let waitingForeground = false;
    for (const ref of owners) {
      const state = await this.ownerState(ref, node.namespace);
      if (state === 'absent') dangling.push(ref);
      else if (state === 'foreground' && ref.blockOwnerDeletion) waitingForeground = true;
    }
    if (dangling.length === owners.length) {
      await this.deleteObject(node, uid, waitingForeground ? 'Foreground' : 'Background');
    } else if (dangling.length > 0) {
      const gone = new Set(dangling.map((r) => r.uid));
      await this.patchOwners(node, uid, owners.filter((r) => !gone.has(r.uid)));
    } else if (waitingForeground && owners.every((r) => r.blockOwnerDeletion)) {
      // Every owner is being deleted in the foreground: this dependent goes first.
      await this.deleteObject(node, uid, 'Foreground');
    }
  }

  private async orphanDependents(uid: string, node: Node, owner: ObjectLike): Promise<void> {
    for (const dep of this.dependentsOf(uid)) {
      const d = this.nodes.get(dep);
      if (d) await this.patchOwners(d, dep, d.owners.filter((r) => r.uid !== uid));
    }
    await this.removeFinalizer(node, owner, orphanFinalizer);
  }

  private async deleteDependents(uid: string, node: Node, owner: ObjectLike): Promise<void> {
    const deps = this.dependentsOf(uid);
    if (deps.length === 0) {
      await this.removeFinalizer(node, owner, foregroundFinalizer);
      return;
    }
    for (const dep of deps) {
      const d = this.nodes.get(dep);
      if (!d) continue;
      const obj = d.resource.lister.get(d.name, d.namespace || undefined);
      if (obj?.metadata?.deletionTimestamp) continue;
      const blocks = d.owners.some((r) => r.uid === uid && r.blockOwnerDeletion);
      await this.deleteObject(d, dep, blocks ? 'Foreground' : 'Background');
    }
    // The dependents' deletions enqueue the owner again (forget()).
  }

  /** 'absent' (verified with a read), 'foreground' (being deleted in the foreground) or 'present'. */
  private async ownerState(ref: OwnerReference, namespace: string): Promise<'absent' | 'foreground' | 'present'> {
    const resource = this.byKind.get(`${ref.apiVersion}|${ref.kind}`);
    if (!resource) return 'present';
    const ns = resource.ref.namespaced ? namespace : undefined;
    const cached = this.nodes.get(ref.uid);
    const seen = cached ? resource.lister.get(cached.name, cached.namespace || undefined) : undefined;
    let owner: ObjectLike | undefined = seen?.metadata?.uid === ref.uid ? seen : undefined;
    if (!owner) {
      try {
        owner = await this.client(resource).get(ref.name, ns);
      } catch (err) {
        if (isNotFound(err)) return 'absent';
        throw err;
      }
      if (owner.metadata?.uid !== ref.uid) return 'absent';
    }
    return owner.metadata?.deletionTimestamp && owner.metadata.finalizers?.includes(foregroundFinalizer) ? 'foreground' : 'present';
  }

  private async deleteObject(node: Node, uid: string, propagationPolicy: 'Foreground' | 'Background'): Promise<void> {
    try {
      await this.client(node.resource).delete(node.name, { namespace: node.namespace || undefined, propagationPolicy, preconditions: { uid } });
      this.log.debug('deleted', { object: `${node.resource.kind}/${keyOf(node.name, node.namespace)}`, propagationPolicy });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  private async patchOwners(node: Node, uid: string, owners: OwnerReference[]): Promise<void> {
    try {
      await this.client(node.resource).patch(node.name, { metadata: { ownerReferences: owners, uid } }, { namespace: node.namespace || undefined, type: 'merge' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async removeFinalizer(node: Node, obj: ObjectLike, finalizer: string): Promise<void> {
    const finalizers = (obj.metadata?.finalizers ?? []).filter((f) => f !== finalizer);
    try {
      await this.client(node.resource).patch(node.name, { metadata: { finalizers, resourceVersion: obj.metadata?.resourceVersion } }, { namespace: node.namespace || undefined, type: 'merge' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private client(resource: TrackedResource): ResourceClient<ObjectLike> {
    return this.opts.client.resource<ObjectLike>(resource.ref);
  }

  private dependentsOf(uid: string): string[] {
    return [...(this.dependents.get(uid) ?? [])];
  }

  private observe(resource: TrackedResource, obj: ObjectLike): void {
    const uid = obj.metadata?.uid;
    if (!uid) return;
    const owners = obj.metadata?.ownerReferences ?? [];
    const previous = this.nodes.get(uid);
    for (const ref of previous?.owners ?? []) this.dependents.get(ref.uid)?.delete(uid);
    this.nodes.set(uid, { resource, namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '', owners });
    for (const ref of owners) {
      let set = this.dependents.get(ref.uid);
      if (!set) this.dependents.set(ref.uid, (set = new Set()));
      set.add(uid);
    }
    const finalizers = obj.metadata?.finalizers ?? [];
    const attention = owners.length > 0 || (obj.metadata?.deletionTimestamp && (finalizers.includes(orphanFinalizer) || finalizers.includes(foregroundFinalizer)));
    if (attention) this.queue.add(uid);
  }

  private forget(obj: ObjectLike): void {
    const uid = obj.metadata?.uid;
    if (uid) this.forgetUid(uid);
  }

  private forgetUid(uid: string): void {
    const node = this.nodes.get(uid);
    this.nodes.delete(uid);
    for (const ref of node?.owners ?? []) {
      this.dependents.get(ref.uid)?.delete(uid);
      // An owner waiting in the foreground may now be free to go.
      if (this.nodes.has(ref.uid)) this.queue.add(ref.uid);
    }
    // Dependents of a vanished owner are now dangling.
    for (const dep of this.dependents.get(uid) ?? []) this.queue.add(dep);
  }
}

// Owner references: who controls an object, and adopting or releasing
// objects by selector as upstream's ControllerRefManager does. Adoption and
// release are strategic-merge patches on metadata.ownerReferences guarded
// by the object's uid.
import type { OwnerReference } from '../api/types.js';
import type { ObjectLike, ResourceClient } from '../client/index.js';
import { isNotFound, type LabelMatcher } from '../machinery/index.js';

export function controllerRefOf(obj: ObjectLike): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

export interface OwnerIdentity {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; uid?: string; deletionTimestamp?: string };
}

/** The reference a controller puts on what it creates: controller and blockOwnerDeletion true. */
export function newControllerRef(owner: OwnerIdentity): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export interface ClaimOptions<T extends ObjectLike> {
  owner: OwnerIdentity;
  selector: LabelMatcher;
  candidates: readonly T[];
  resource: ResourceClient<T>;
  namespace: string;
  /** Checked once before the first adoption: false when the owner is gone or being deleted (a fresh read). */
  canAdopt: () => Promise<boolean>;
}

/**
 * The candidates this owner controls after adopting orphans that match the
 * selector and releasing owned objects that no longer match. Objects owned
 * by another controller are left alone. Objects that vanish meanwhile are
 * dropped.
 */
export async function claimObjects<T extends ObjectLike>(opts: ClaimOptions<T>): Promise<T[]> {
  const uid = opts.owner.metadata?.uid;
  const deleting = Boolean(opts.owner.metadata?.deletionTimestamp);
  const claimed: T[] = [];
  let adoptable: boolean | undefined;
  for (const obj of opts.candidates) {
    const ref = controllerRefOf(obj);
    const matches = opts.selector.matches(obj.metadata?.labels);
    const name = obj.metadata?.name ?? '';
    if (ref) {
      if (ref.uid !== uid) continue;
      if (matches) claimed.push(obj);
      else if (!deleting) await patchIgnoringNotFound(opts, name, { metadata: { ownerReferences: [{ $patch: 'delete', uid }], uid: obj.metadata?.uid } });
      continue;
    }
    if (!matches || deleting || obj.metadata?.deletionTimestamp) continue;
    adoptable ??= await opts.canAdopt();
    if (!adoptable) continue;
    const adopted = await patchIgnoringNotFound(opts, name, { metadata: { ownerReferences: [newControllerRef(opts.owner)], uid: obj.metadata?.uid } });
    if (adopted) claimed.push(adopted);
  }
  return claimed;
}

async function patchIgnoringNotFound<T extends ObjectLike>(opts: ClaimOptions<T>, name: string, patch: unknown): Promise<T | undefined> {
  try {
    return await opts.resource.patch(name, patch, { namespace: opts.namespace, type: 'strategic' });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

// A StatefulSet's history as ControllerRevisions, as upstream keeps it: one
// revision per distinct pod template, named `<set>-<hash>` and holding
// `{spec: {template}}` (what `kubectl rollout history|undo sts` reads and
// patches back). Pods carry the revision's name in `controller-revision-hash`;
// status.currentRevision and status.updateRevision are revision names. A
// name taken by another template bumps status.collisionCount.
import type { appsv1, corev1 } from '../api/types.js';
import type { Client, ResourceClient } from '../client/index.js';
import { isAlreadyExists, isNotFound } from '../machinery/index.js';
import type { Lister } from './controller.js';
import { controllerRevisionsRef, templateHash } from './daemonset-history.js';
import { sameJSON } from './endpoints.js';
import { controllerRefOf, newControllerRef } from './ownership.js';
import { statefulSetKind } from './statefulset-pods.js';

type StatefulSet = appsv1.StatefulSet;
type Revision = appsv1.ControllerRevision;

export const revisionNameHashLabel = 'controller.kubernetes.io/hash';

/** Tries before giving up on finding a free revision name (each bumps collisionCount). */
const maxCollisions = 10;

function revisionData(set: StatefulSet): Revision['data'] {
  return { spec: { template: { ...structuredClone(set.spec?.template ?? {}), $patch: 'replace' } } } as unknown as Revision['data'];
}

/** The pod template a revision records. */
export function templateOf(revision: Revision): corev1.PodTemplateSpec {
  const data = revision.data as { spec?: { template?: corev1.PodTemplateSpec & { $patch?: string } } } | undefined;
  const { $patch: _replace, ...template } = structuredClone(data?.spec?.template ?? {});
  return template;
}

export interface SetRevisions {
  /** The revision the set's pods were last all at (status.currentRevision; the update revision at first). */
  current: Revision;
  /** The revision of the set's template now. */
  update: Revision;
  collisionCount: number;
}

export class StatefulSetHistory {
  readonly api: ResourceClient<Revision>;

  constructor(
    client: Client,
    private readonly revisions: Lister<Revision>,
  ) {
    this.api = client.resource<Revision>(controllerRevisionsRef);
  }

  /** The set's revisions, oldest first. */
  owned(set: StatefulSet): Revision[] {
    return this.revisions
      .list(set.metadata?.namespace)
      .filter((r) => controllerRefOf(r)?.uid === set.metadata?.uid)
      .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  }

  /** Finds or creates the update revision (made newest) and finds the current one. */
  async resolve(set: StatefulSet): Promise<SetRevisions> {
    const owned = this.owned(set);
    const data = revisionData(set);
    const max = owned.reduce((m, r) => Math.max(m, r.revision ?? 0), 0);
    let collisionCount = set.status?.collisionCount ?? 0;
    let update = owned.filter((r) => sameJSON(r.data, data)).pop();
    if (update && (update.revision ?? 0) < max) update = await this.api.update({ ...structuredClone(update), apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: max + 1 });
    for (let tries = 0; !update; tries++) {
      const created = await this.create(set, data, max + 1, collisionCount);
      if (created) update = created;
      else if (tries >= maxCollisions) throw new Error(`no free ControllerRevision name for StatefulSet ${set.metadata?.name ?? ''} after ${maxCollisions} collisions`);
      else collisionCount++;
    }
    const current = owned.find((r) => r.metadata?.name === set.status?.currentRevision) ?? update;
    return { current, update, collisionCount };
  }

  /** The new revision, or the same-named one when it records this template; undefined on a collision. */
  private async create(set: StatefulSet, data: Revision['data'], revision: number, collisionCount: number): Promise<Revision | undefined> {
    const hash = templateHash(set.spec?.template, collisionCount);
    const namespace = set.metadata?.namespace ?? '';
    const body: Revision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: `${set.metadata?.name ?? ''}-${hash}`,
        namespace,
        labels: { ...set.spec?.template?.metadata?.labels, [revisionNameHashLabel]: hash },
        ownerReferences: [newControllerRef({ ...statefulSetKind, metadata: set.metadata })],
      },
      data,
      revision,
    };
    try {
      return await this.api.create(body, { namespace });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      // Our own revision not yet in the cache, or another template's: a collision.
      const existing = await this.api.get(body.metadata?.name ?? '', namespace);
      if (!sameJSON(existing.data, data) || controllerRefOf(existing)?.uid !== set.metadata?.uid) return undefined;
      return (existing.revision ?? 0) === revision ? existing : await this.api.update({ ...existing, revision });
    }
  }

  /** Deletes the oldest revisions beyond revisionHistoryLimit that neither the status nor a pod uses. */
  async prune(set: StatefulSet, live: ReadonlySet<string>): Promise<void> {
    const limit = set.spec?.revisionHistoryLimit ?? 10;
    const old = this.owned(set).filter((r) => !live.has(r.metadata?.name ?? ''));
    for (const r of old.slice(0, Math.max(0, old.length - limit))) {
      try {
        await this.api.delete(r.metadata?.name ?? '', { namespace: r.metadata?.namespace });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}

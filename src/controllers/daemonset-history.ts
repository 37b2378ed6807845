// A DaemonSet's history as ControllerRevisions, as upstream keeps it: one
// revision per distinct pod template, named `<ds>-<hash>`, holding
// `{spec: {template}}` (what `kubectl rollout history|undo ds` reads). The
// revision matching the current template becomes the newest; revisions no
// pod uses beyond revisionHistoryLimit (default 10) are deleted.
import type { appsv1, corev1 } from '../api/types.js';
import type { Client, ResourceClient, ResourceRef } from '../client/index.js';
import { isAlreadyExists, isNotFound } from '../machinery/index.js';
import type { Lister } from './controller.js';
import { controllerRefOf, newControllerRef } from './ownership.js';
import { sameJSON } from './endpoints.js';

type DaemonSet = appsv1.DaemonSet;
type Revision = appsv1.ControllerRevision;

export const controllerRevisionsRef = { group: 'apps', version: 'v1', resource: 'controllerrevisions', namespaced: true } as const satisfies ResourceRef;
export const revisionHashLabel = 'controller-revision-hash';

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** FNV-1a (32 bit) of the template and collision count, spelled in upstream's vowel-free alphabet. */
export function templateHash(template: corev1.PodTemplateSpec | undefined, collisionCount = 0): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(JSON.stringify(template ?? {}) + (collisionCount ? String(collisionCount) : ''))) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((d) => safeAlphabet[Number(d) % safeAlphabet.length]).join('');
}

function revisionData(ds: DaemonSet): Revision['data'] {
  return { spec: { template: { ...structuredClone(ds.spec?.template ?? {}), $patch: 'replace' } } } as unknown as Revision['data'];
}

export class DaemonSetHistory {
  readonly api: ResourceClient<Revision>;

  constructor(
    client: Client,
    private readonly revisions: Lister<Revision>,
  ) {
    this.api = client.resource<Revision>(controllerRevisionsRef);
  }

  /** The DaemonSet's revisions, oldest first. */
  owned(ds: DaemonSet): Revision[] {
    return this.revisions
      .list(ds.metadata?.namespace)
      .filter((r) => controllerRefOf(r)?.uid === ds.metadata?.uid)
      .sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
  }

  /** The revision of the current template (created or made newest as needed) and its hash. */
  async current(ds: DaemonSet): Promise<{ revision: number; hash: string }> {
    const owned = this.owned(ds);
    const data = revisionData(ds);
    const max = owned.reduce((m, r) => Math.max(m, r.revision ?? 0), 0);
    const match = owned.find((r) => sameJSON(r.data, data));
    if (match) {
      const hash = match.metadata?.labels?.[revisionHashLabel] ?? templateHash(ds.spec?.template);
      if ((match.revision ?? 0) < max) await this.api.update({ ...structuredClone(match), apiVersion: 'apps/v1', kind: 'ControllerRevision', revision: max + 1 });
      return { revision: (match.revision ?? 0) < max ? max + 1 : (match.revision ?? 0), hash };
    }
    const hash = templateHash(ds.spec?.template, ds.status?.collisionCount ?? 0);
    const namespace = ds.metadata?.namespace ?? '';
    const body: Revision = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name: `${ds.metadata?.name ?? ''}-${hash}`,
        namespace,
        labels: { ...ds.spec?.template?.metadata?.labels, [revisionHashLabel]: hash },
        ownerReferences: [newControllerRef({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: ds.metadata })],
      },
      data,
      revision: max + 1,
    };
    try {
      await this.api.create(body, { namespace });
    } catch (err) {
      // A same-named revision of another template: upstream bumps collisionCount; we retry via the queue.
      if (!isAlreadyExists(err)) throw err;
      const existing = await this.api.get(body.metadata?.name ?? '', namespace);
      if (!sameJSON(existing.data, data) || controllerRefOf(existing)?.uid !== ds.metadata?.uid) throw err;
      await this.api.update({ ...existing, revision: max + 1 });
    }
    return { revision: max + 1, hash };
  }

  /** Deletes the oldest revisions beyond the limit that no live pod uses. */
  async prune(ds: DaemonSet, liveHashes: ReadonlySet<string>, currentHash: string): Promise<void> {
    const limit = ds.spec?.revisionHistoryLimit ?? 10;
    const old = this.owned(ds).filter((r) => {
      const h = r.metadata?.labels?.[revisionHashLabel] ?? '';
      return h !== currentHash && !liveHashes.has(h);
    });
    for (const r of old.slice(0, Math.max(0, old.length - limit))) {
      try {
        await this.api.delete(r.metadata?.name ?? '', { namespace: r.metadata?.namespace });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}

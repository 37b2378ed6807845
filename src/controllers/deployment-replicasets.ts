// The Deployment controller's writes to ReplicaSets: creating the new one
// (named `<deployment>-<hash>`, revision annotated), resizing with the
// replica annotations and ScalingReplicaSet events, copying the revision to
// the Deployment, and deleting history beyond revisionHistoryLimit.
import type { appsv1 } from '../api/types.js';
import type { Client, EventRecorder } from '../client/index.js';
import { isAlreadyExists, isNotFound } from '../machinery/index.js';
import {
  byCreation,
  computeTemplateHash,
  copiedAnnotations,
  desiredReplicasAnnotation,
  equalIgnoreHash,
  maxReplicasAnnotation,
  replicasOf,
  revisionAnnotation,
  revisionOf,
  setReplicasAnnotations,
  templateHashLabel,
} from './deployment-revisions.js';
import { maxSurgeOf, newReplicaSetReplicas } from './deployment-rolling.js';
import { newCondition, reasons, setCondition } from './deployment-status.js';
import { controllerRefOf, newControllerRef } from './ownership.js';

type Deployment = appsv1.Deployment;
type ReplicaSet = appsv1.ReplicaSet;

export interface Deps {
  client: Client;
  recorder: Pick<EventRecorder, 'event'>;
  now: () => Date;
}

export const deploymentKind = { apiVersion: 'apps/v1', kind: 'Deployment' } as const;
export const rsKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' } as const;

export async function createReplicaSet(deps: Deps, d: Deployment, oldRSs: ReplicaSet[], revision: number): Promise<ReplicaSet> {
  const hash = computeTemplateHash(d.spec?.template, d.status?.collisionCount);
  const template = structuredClone(d.spec?.template ?? {});
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [templateHashLabel]: hash } };
  const selector = structuredClone(d.spec?.selector ?? {});
  selector.matchLabels = { ...selector.matchLabels, [templateHashLabel]: hash };
  const name = `${d.metadata?.name ?? ''}-${hash}`;
  const rs: ReplicaSet = {
    ...rsKind,
    metadata: {
      name,
      namespace: d.metadata?.namespace,
      labels: { ...template.metadata.labels },
      annotations: { ...copiedAnnotations(d), [revisionAnnotation]: String(revision) },
      ownerReferences: [newControllerRef({ ...deploymentKind, metadata: d.metadata })],
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  const size = newReplicaSetReplicas(d, oldRSs, rs);
  rs.spec = { ...rs.spec!, replicas: size };
  setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurgeOf(d));
  let created: ReplicaSet;
  try {
    created = await deps.client.replicaSets.create(rs);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    const existing = await deps.client.replicaSets.get(name, d.metadata?.namespace);
    if (controllerRefOf(existing)?.uid === d.metadata?.uid && equalIgnoreHash(existing.spec?.template, d.spec?.template)) return { ...existing, ...rsKind };
    // A hash collision: count it so the next hash differs, and retry.
    const collisionCount = (d.status?.collisionCount ?? 0) + 1;
    await deps.client.deployments.updateStatus({ ...d, status: { ...d.status, collisionCount } });
    throw new Error(`hash collision for ReplicaSet ${name}; collisionCount is now ${collisionCount}`);
  }
  if (size > 0) deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${size}`);
  if (d.spec?.progressDeadlineSeconds !== undefined) {
    const status = { ...d.status, conditions: [...(d.status?.conditions ?? [])] };
    setCondition(status, newCondition('Progressing', 'True', reasons.newRSCreated, `Created new replica set "${name}"`, deps.now()));
    d.status = status;
  }
  return { ...created, ...rsKind };
}

/** Copies the new ReplicaSet's revision to the Deployment's annotation. */
export async function syncRevision(deps: Deps, d: Deployment, newRS: ReplicaSet): Promise<void> {
  const revision = newRS.metadata?.annotations?.[revisionAnnotation];
  if (revision === undefined || d.metadata?.annotations?.[revisionAnnotation] === revision) return;
  const patched = await deps.client.deployments.patch(d.metadata?.name ?? '', { metadata: { annotations: { [revisionAnnotation]: revision } } }, { namespace: d.metadata?.namespace });
  d.metadata = { ...d.metadata, annotations: { ...d.metadata?.annotations, [revisionAnnotation]: revision }, resourceVersion: patched.metadata?.resourceVersion ?? d.metadata?.resourceVersion };
}

export function annotationsStale(d: Deployment, rs: ReplicaSet): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[desiredReplicasAnnotation] !== String(replicasOf(d)) || a[maxReplicasAnnotation] !== String(replicasOf(d) + maxSurgeOf(d));
}

/** Resizes `rs` (and refreshes its replica annotations); records ScalingReplicaSet. Returns the written object. */
export async function scaleReplicaSet(deps: Deps, d: Deployment, rs: ReplicaSet, size: number): Promise<ReplicaSet> {
  const from = replicasOf(rs);
  if (from === size && !annotationsStale(d, rs)) return rs;
  const copy = structuredClone(rs);
  copy.spec = { ...copy.spec!, replicas: size };
  setReplicasAnnotations(copy, replicasOf(d), replicasOf(d) + maxSurgeOf(d));
  const updated = { ...(await deps.client.replicaSets.update(copy)), ...rsKind };
  if (from !== size) {
    deps.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${size > from ? 'up' : 'down'} replica set ${rs.metadata?.name ?? ''} from ${from} to ${size}`);
  }
  return updated;
}

/** Deletes the oldest scaled-down ReplicaSets beyond revisionHistoryLimit (default 10). */
export async function cleanupHistory(deps: Deps, d: Deployment, oldRSs: ReplicaSet[]): Promise<void> {
  const limit = d.spec?.revisionHistoryLimit ?? 10;
  const alive = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
  const excess = alive.length - limit;
  if (excess <= 0) return;
  const ordered = [...alive].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (const rs of ordered.slice(0, excess)) {
    const idle = replicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && (rs.status?.observedGeneration ?? 0) >= (rs.metadata?.generation ?? 0);
    if (!idle) continue;
    try {
      await deps.client.replicaSets.delete(rs.metadata?.name ?? '', { namespace: rs.metadata?.namespace });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

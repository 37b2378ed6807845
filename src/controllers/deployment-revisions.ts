// Deployment bookkeeping shared by the rollout strategies: the
// pod-template-hash that names a Deployment's ReplicaSets, which
// ReplicaSet is "new" (its template equals the Deployment's), revision
// numbers and the replica annotations upstream keeps on ReplicaSets.
import type { appsv1, corev1 } from '../api/types.js';

type Deployment = appsv1.Deployment;
type ReplicaSet = appsv1.ReplicaSet;

export const templateHashLabel = 'pod-template-hash';
export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** Annotations a Deployment does not pass on to its ReplicaSets. */
const notCopied = new Set([lastAppliedAnnotation, revisionAnnotation, revisionHistoryAnnotation, desiredReplicasAnnotation, maxReplicasAnnotation, 'deprecated.deployment.rollback.to']);

const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * The hash of a pod template (and the collision count), as upstream's
 * ComputeHash: a 32-bit FNV-1a of the template's canonical form, written in
 * decimal and each digit mapped onto the vowel-free alphabet (so it never
 * spells words and is a valid label value).
 */
export function computeTemplateHash(template: corev1.PodTemplateSpec | undefined, collisionCount?: number): string {
  let text = canonical(template ?? {});
  if (collisionCount !== undefined) text += String(collisionCount);
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return [...String(h)].map((c) => safeAlphabet[c.charCodeAt(0) % safeAlphabet.length]).join('');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The template without the pod-template-hash label, for comparing a ReplicaSet's with its Deployment's. */
function withoutHash(template: corev1.PodTemplateSpec | undefined): string {
  const t = structuredClone(template ?? {});
  if (t.metadata?.labels) {
    delete t.metadata.labels[templateHashLabel];
    if (Object.keys(t.metadata.labels).length === 0) delete t.metadata.labels;
  }
  return canonical(t);
}

export function equalIgnoreHash(a: corev1.PodTemplateSpec | undefined, b: corev1.PodTemplateSpec | undefined): boolean {
  return withoutHash(a) === withoutHash(b);
}

/** Oldest first; ties broken by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** The oldest ReplicaSet whose template equals the Deployment's, if any. */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } }): number {
  const n = Number(obj.metadata?.annotations?.[revisionAnnotation] ?? '0');
  return Number.isFinite(n) ? n : 0;
}

export function maxRevision(rsList: readonly ReplicaSet[]): number {
  return Math.max(0, ...rsList.map(revisionOf));
}

/** Annotations of the Deployment that its ReplicaSets carry too. */
export function copiedAnnotations(d: Deployment): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) if (!notCopied.has(k)) out[k] = v;
  return out;
}

/** Sets desired-replicas and max-replicas; true when something changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = { ...rs.metadata?.annotations };
  const changed = annotations[desiredReplicasAnnotation] !== String(desired) || annotations[maxReplicasAnnotation] !== String(max);
  annotations[desiredReplicasAnnotation] = String(desired);
  annotations[maxReplicasAnnotation] = String(max);
  rs.metadata = { ...rs.metadata, annotations };
  return changed;
}

export function replicasOf(obj: { spec?: { replicas?: number } } | undefined): number {
  return obj?.spec?.replicas ?? 0;
}

/** Sum of spec.replicas. */
export function specReplicas(rsList: readonly ReplicaSet[]): number {
  return rsList.reduce((n, rs) => n + replicasOf(rs), 0);
}

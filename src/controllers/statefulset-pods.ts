// A StatefulSet's pods and claims by ordinal, as upstream names them: pod
// `<set>-<ordinal>` with hostname = its name and subdomain = the governing
// Service, claim `<template>-<set>-<ordinal>` mounted as the template's
// volume. Pure functions: no API calls here.
import type { appsv1, corev1 } from '../api/types.js';
import { revisionHashLabel } from './daemonset-history.js';
import { newControllerRef } from './ownership.js';
import { isPodReady } from './pods.js';

type Pod = corev1.Pod;
type StatefulSet = appsv1.StatefulSet;
type Claim = corev1.PersistentVolumeClaim;

export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
export const podIndexLabel = 'apps.kubernetes.io/pod-index';
export const statefulSetKind = { apiVersion: 'apps/v1', kind: 'StatefulSet' } as const;

/** The first ordinal (spec.ordinals.start, default 0). */
export function startOrdinal(set: StatefulSet): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** The pod's ordinal when its name is `<set>-<n>`, else undefined (not a member). */
export function ordinalOf(set: StatefulSet, pod: Pod): number | undefined {
  const prefix = `${set.metadata?.name ?? ''}-`;
  const name = pod.metadata?.name ?? '';
  if (!name.startsWith(prefix)) return undefined;
  const rest = name.slice(prefix.length);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}

/** True when the ordinal lies in [start, start + replicas). */
export function inOrdinalRange(set: StatefulSet, ordinal: number): boolean {
  const start = startOrdinal(set);
  return ordinal >= start && ordinal < start + (set.spec?.replicas ?? 1);
}

export function podName(set: StatefulSet, ordinal: number): string {
  return `${set.metadata?.name ?? ''}-${ordinal}`;
}

export function claimName(template: Claim, set: StatefulSet, ordinal: number): string {
  return `${template.metadata?.name ?? ''}-${podName(set, ordinal)}`;
}

/** The revision name a pod was made from (its `controller-revision-hash` label). */
export function revisionOf(pod: Pod): string | undefined {
  return pod.metadata?.labels?.[revisionHashLabel];
}

export function isTerminating(pod: Pod): boolean {
  return Boolean(pod.metadata?.deletionTimestamp);
}

export function isRunningAndReady(pod: Pod): boolean {
  return pod.status?.phase === 'Running' && isPodReady(pod);
}

/** Running, ready and not being deleted: what OrderedReady waits for. */
export function isHealthy(pod: Pod): boolean {
  return isRunningAndReady(pod) && !isTerminating(pod);
}

export function hasFinished(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
}

/** The claims the pod at `ordinal` uses, as they would be created (owner references aside). */
export function claimsFor(set: StatefulSet, ordinal: number): Claim[] {
  return (set.spec?.volumeClaimTemplates ?? []).map((template) => {
    const { status: _status, ...claim } = structuredClone(template);
    const labels = { ...claim.metadata?.labels, ...set.spec?.selector?.matchLabels };
    return {
      ...claim,
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { ...claim.metadata, name: claimName(template, set, ordinal), namespace: set.metadata?.namespace, labels },
    };
  });
}

/**
 * The pod at `ordinal` from `template` (the template of revision
 * `revision`): identity labels, hostname and subdomain, one volume per claim
 * template (replacing a template volume of the same name), controlled by
 * the set.
 */
export function statefulPod(set: StatefulSet, template: corev1.PodTemplateSpec, revision: string, ordinal: number): Pod {
  const name = podName(set, ordinal);
  const meta = template.metadata ?? {};
  const spec = structuredClone(template.spec ?? { containers: [] });
  const claims = (set.spec?.volumeClaimTemplates ?? []).map((t): corev1.Volume => ({ name: t.metadata?.name ?? '', persistentVolumeClaim: { claimName: claimName(t, set, ordinal) } }));
  const claimed = new Set(claims.map((v) => v.name));
  const volumes = [...(spec.volumes ?? []).filter((v) => !claimed.has(v.name)), ...claims];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata?.namespace,
      labels: { ...meta.labels, [podNameLabel]: name, [podIndexLabel]: String(ordinal), [revisionHashLabel]: revision },
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ownerReferences: [newControllerRef({ ...statefulSetKind, metadata: set.metadata })],
    },
    spec: {
      ...spec,
      ...(volumes.length > 0 ? { volumes } : {}),
      hostname: name,
      ...(set.spec?.serviceName ? { subdomain: set.spec.serviceName } : {}),
    },
  };
}

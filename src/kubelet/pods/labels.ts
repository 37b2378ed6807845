// The labels and annotations the kubelet puts on sandboxes and containers,
// upstream's names, so the state of every pod can be rebuilt from the
// runtime alone after a restart: which pod and container a record belongs
// to, its spec hash, restart count and termination settings.
import type { corev1 } from '../../api/types.js';

export const podNameLabel = 'io.kubernetes.pod.name';
export const podNamespaceLabel = 'io.kubernetes.pod.namespace';
export const podUidLabel = 'io.kubernetes.pod.uid';
export const containerNameLabel = 'io.kubernetes.container.name';

export const containerHashAnnotation = 'io.kubernetes.container.hash';
export const restartCountAnnotation = 'io.kubernetes.container.restartCount';
export const terminationMessagePathAnnotation = 'io.kubernetes.container.terminationMessagePath';
export const terminationMessagePolicyAnnotation = 'io.kubernetes.container.terminationMessagePolicy';
export const containerPortsAnnotation = 'io.kubernetes.container.ports';
export const podDeletionGraceAnnotation = 'io.kubernetes.pod.deletionGracePeriod';
export const podTerminationGraceAnnotation = 'io.kubernetes.pod.terminationGracePeriod';

/** Sandbox labels: the pod's own plus the three that identify it. */
export function sandboxLabels(pod: corev1.Pod): Record<string, string> {
  const m = pod.metadata ?? {};
  return { ...m.labels, [podNameLabel]: m.name ?? '', [podNamespaceLabel]: m.namespace ?? '', [podUidLabel]: m.uid ?? '' };
}

export function containerLabels(pod: corev1.Pod, container: corev1.Container): Record<string, string> {
  const m = pod.metadata ?? {};
  return { [podNameLabel]: m.name ?? '', [podNamespaceLabel]: m.namespace ?? '', [podUidLabel]: m.uid ?? '', [containerNameLabel]: container.name };
}

export function containerAnnotations(pod: corev1.Pod, container: corev1.Container, hash: string, restartCount: number): Record<string, string> {
  const annotations: Record<string, string> = {
    [containerHashAnnotation]: hash,
    [restartCountAnnotation]: String(restartCount),
    [terminationMessagePathAnnotation]: container.terminationMessagePath ?? '/dev/termination-log',
    [terminationMessagePolicyAnnotation]: container.terminationMessagePolicy ?? 'File',
    [podTerminationGraceAnnotation]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
  };
  if (pod.metadata?.deletionGracePeriodSeconds !== undefined) annotations[podDeletionGraceAnnotation] = String(pod.metadata.deletionGracePeriodSeconds);
  if (container.ports && container.ports.length > 0) {
    annotations[containerPortsAnnotation] = JSON.stringify(container.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })));
  }
  return annotations;
}

/** The pod uid a runtime record belongs to; undefined for records the kubelet did not make. */
export function podUidOf(labels: Record<string, string> | undefined): string | undefined {
  const uid = labels?.[podUidLabel];
  return uid === undefined || uid === '' ? undefined : uid;
}

/** The restart count a container was created with (annotation first, then the CRI attempt). */
export function restartCountOf(annotations: Record<string, string> | undefined, attempt: number | undefined): number {
  const n = Number(annotations?.[restartCountAnnotation]);
  return Number.isInteger(n) && n >= 0 ? n : (attempt ?? 0);
}

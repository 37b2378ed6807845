// Static pods as upstream's file source makes them: each Pod document of a
// manifest file becomes a pod named `<name>-<nodeName>`, in namespace
// default unless it names one, bound to this node, tolerating every
// NoExecute taint, with defaults applied. Its uid is a hash of the node, the
// file and the pod, so any change to the file makes a new pod (the old one
// is stopped). Annotations: config.source=file, config.hash=<uid>,
// config.seen; the mirror pod in the API also carries config.mirror=<hash>.
import { createHash } from 'node:crypto';
import { defaultPod } from '../../api/defaults/pod.js';
import type { corev1 } from '../../api/types.js';
import { canonical } from '../canonical.js';

export const configSourceAnnotation = 'kubernetes.io/config.source';
export const configHashAnnotation = 'kubernetes.io/config.hash';
export const configMirrorAnnotation = 'kubernetes.io/config.mirror';
export const configSeenAnnotation = 'kubernetes.io/config.seen';

export function isStaticPod(pod: corev1.Pod): boolean {
  const source = pod.metadata?.annotations?.[configSourceAnnotation];
  return source !== undefined && source !== 'api';
}

export function isMirrorPod(pod: corev1.Pod): boolean {
  return pod.metadata?.annotations?.[configMirrorAnnotation] !== undefined;
}

/** The config hash a static or mirror pod carries. */
export function configHashOf(pod: corev1.Pod): string | undefined {
  const a = pod.metadata?.annotations;
  return a?.[configMirrorAnnotation] ?? a?.[configHashAnnotation];
}

export interface StaticPodResult {
  pods: corev1.Pod[];
  /** Documents that are not usable pods, with the reason. */
  problems: string[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The static pods of one file's documents; `seen` is the config.seen timestamp (RFC 3339). */
export function staticPodsOf(docs: unknown[], file: string, nodeName: string, seen: string): StaticPodResult {
  const pods: corev1.Pod[] = [];
  const problems: string[] = [];
  docs.forEach((doc, i) => {
    const where = `${file} document ${i + 1}`;
    if (!isRecord(doc) || doc['kind'] !== 'Pod' || (doc['apiVersion'] !== 'v1' && doc['apiVersion'] !== undefined)) {
      problems.push(`${where}: not a v1 Pod`);
      return;
    }
    const pod = structuredClone(doc) as corev1.Pod;
    const name = pod.metadata?.name;
    if (!name) {
      problems.push(`${where}: metadata.name is empty`);
      return;
    }
    if (!Array.isArray(pod.spec?.containers) || pod.spec.containers.length === 0) {
      problems.push(`${where}: spec.containers is empty`);
      return;
    }
    const node = nodeName.toLowerCase();
    const { uid: _uid, resourceVersion: _rv, ...meta } = pod.metadata ?? {};
    const metadata: corev1.Pod['metadata'] = { ...meta, name: `${name}-${node}`, namespace: meta.namespace || 'default' };
    const spec: corev1.PodSpec = { ...pod.spec, nodeName };
    spec.tolerations = [...(spec.tolerations ?? []), { operator: 'Exists', effect: 'NoExecute' }];
    const built: corev1.Pod = { apiVersion: 'v1', kind: 'Pod', metadata, spec };
    defaultPod(built as unknown as Record<string, unknown>);
    const uid = createHash('md5').update(`host:${node}\nfile:${file}\n`).update(canonical(built)).digest('hex');
    built.metadata = {
      ...built.metadata,
      uid,
      annotations: { ...built.metadata?.annotations, [configSourceAnnotation]: 'file', [configHashAnnotation]: uid, [configSeenAnnotation]: seen },
    };
    pods.push(built);
  });
  return { pods, problems };
}

/** The mirror of a static pod: the same object without uid and status, owned by the node, marked with config.mirror. */
export function mirrorPodOf(pod: corev1.Pod, nodeUid: string): corev1.Pod {
  const { uid: _uid, ...meta } = pod.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...meta,
      annotations: { ...meta.annotations, [configMirrorAnnotation]: configHashOf(pod) ?? '' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: pod.spec?.nodeName ?? '', uid: nodeUid, controller: true }],
    },
    spec: structuredClone(pod.spec),
  };
}

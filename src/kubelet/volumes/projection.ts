// The files of configMap, secret, downwardAPI and projected volumes, with
// upstream's rules: every key (or the listed items) as a file, defaultMode
// 0644 unless set, a missing non-optional source or key is an error, an
// optional missing source gives no files.
import type { corev1 } from '../../api/types.js';
import { KubeletError } from '../errors.js';
import { podFieldValue, resourceFieldValue, type NodeAllocatable } from '../pods/env.js';
import type { FileContent } from './atomic.js';

export interface ProjectionSources {
  configMap(namespace: string, name: string): Promise<corev1.ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<corev1.Secret | undefined>;
  /** A bound service account token for the pod; absent when the kubelet cannot request tokens. */
  token?(pod: corev1.Pod, source: corev1.ServiceAccountTokenProjection): Promise<string>;
  nodeAllocatable: NodeAllocatable;
}

const defaultMode = 0o644;

type Files = Map<string, FileContent>;

function keyFiles(files: Files, data: Map<string, Buffer>, items: corev1.KeyToPath[] | undefined, mode: number, optional: boolean, missingKey: (k: string) => string): void {
  if (!items || items.length === 0) {
    for (const [k, v] of data) files.set(k, { data: v, mode });
    return;
  }
  for (const item of items) {
    const v = data.get(item.key);
    if (v === undefined) {
      if (optional) continue;
      throw new KubeletError('volume', missingKey(item.key));
    }
    files.set(item.path, { data: v, mode: item.mode ?? mode });
  }
}

function configMapData(cm: corev1.ConfigMap): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, v] of Object.entries(cm.data ?? {})) out.set(k, Buffer.from(v, 'utf8'));
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) out.set(k, Buffer.from(v, 'base64'));
  return out;
}

function secretData(s: corev1.Secret): Map<string, Buffer> {
  return new Map(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

async function addConfigMap(files: Files, pod: corev1.Pod, src: { name?: string; items?: corev1.KeyToPath[]; optional?: boolean }, mode: number, sources: ProjectionSources): Promise<void> {
  const optional = src.optional === true;
  const cm = await sources.configMap(pod.metadata?.namespace ?? '', src.name ?? '');
  if (!cm) {
    if (optional) return;
    throw new KubeletError('volume', `configmap "${src.name ?? ''}" not found`);
  }
  keyFiles(files, configMapData(cm), src.items, mode, optional, (k) => `configmap references non-existent config key: ${k}`);
}

async function addSecret(files: Files, pod: corev1.Pod, name: string, src: { items?: corev1.KeyToPath[]; optional?: boolean }, mode: number, sources: ProjectionSources): Promise<void> {
  const optional = src.optional === true;
  const s = await sources.secret(pod.metadata?.namespace ?? '', name);
  if (!s) {
    if (optional) return;
    throw new KubeletError('volume', `secret "${name}" not found`);
  }
  keyFiles(files, secretData(s), src.items, mode, optional, (k) => `references non-existent secret key: ${k}`);
}

function addDownward(files: Files, pod: corev1.Pod, items: corev1.DownwardAPIVolumeFile[] | undefined, mode: number, sources: ProjectionSources): void {
  for (const item of items ?? []) {
    let value: string;
    if (item.fieldRef) value = podFieldValue(pod, item.fieldRef.fieldPath, [], []);
    else if (item.resourceFieldRef) {
      const self = (pod.spec?.containers ?? []).find((c) => c.name === item.resourceFieldRef?.containerName) ?? (pod.spec?.containers ?? [])[0];
      if (!self) continue;
      value = resourceFieldValue(pod, item.resourceFieldRef, self, sources.nodeAllocatable);
    } else continue;
    files.set(item.path, { data: Buffer.from(value, 'utf8'), mode: item.mode ?? mode });
  }
}

export async function projectedFiles(pod: corev1.Pod, v: corev1.Volume, sources: ProjectionSources): Promise<Files> {
  const files: Files = new Map();
  if (v.configMap) await addConfigMap(files, pod, v.configMap, v.configMap.defaultMode ?? defaultMode, sources);
  else if (v.secret) await addSecret(files, pod, v.secret.secretName ?? '', v.secret, v.secret.defaultMode ?? defaultMode, sources);
  else if (v.downwardAPI) addDownward(files, pod, v.downwardAPI.items, v.downwardAPI.defaultMode ?? defaultMode, sources);
  else if (v.projected) {
    const mode = v.projected.defaultMode ?? defaultMode;
    for (const src of v.projected.sources ?? []) {
      if (src.configMap) await addConfigMap(files, pod, src.configMap, mode, sources);
      else if (src.secret) await addSecret(files, pod, src.secret.name ?? '', src.secret, mode, sources);
      else if (src.downwardAPI) addDownward(files, pod, src.downwardAPI.items, mode, sources);
      else if (src.serviceAccountToken) {
        if (!sources.token) throw new KubeletError('volume', 'service account tokens cannot be requested');
        files.set(src.serviceAccountToken.path, { data: Buffer.from(await sources.token(pod, src.serviceAccountToken), 'utf8'), mode });
      }
    }
  }
  return files;
}

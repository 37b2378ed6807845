// Where a pod's things live on the host: its directory under the kubelet's
// root (volumes, termination message files, hosts file), its log directory
// and its cgroup parent.
import { join } from 'node:path';
import type { corev1 } from '../../api/types.js';

export interface PodPathsConfig {
  rootDir: string;
  podLogDir: string;
  cgroupRoot: string;
}

export function podDir(config: PodPathsConfig, uid: string): string {
  return join(config.rootDir, 'pods', uid);
}

/** `<podLogDir>/<namespace>_<name>_<uid>`, upstream's layout (log collectors parse it). */
export function podLogDirectory(config: PodPathsConfig, namespace: string, name: string, uid: string): string {
  return join(config.podLogDir, `${namespace}_${name}_${uid}`);
}

export function podLogDirectoryOf(config: PodPathsConfig, pod: corev1.Pod): string {
  const m = pod.metadata ?? {};
  return podLogDirectory(config, m.namespace ?? '', m.name ?? '', m.uid ?? '');
}

/** A container's log file, relative to the pod's log directory. */
export function containerLogPath(containerName: string, restartCount: number): string {
  return `${containerName}/${restartCount}.log`;
}

export function podCgroupParent(config: Pick<PodPathsConfig, 'cgroupRoot'>, uid: string): string {
  return `${config.cgroupRoot === '/' ? '' : config.cgroupRoot}/pod${uid}`;
}

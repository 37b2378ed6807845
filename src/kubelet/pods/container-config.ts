// The ContainerConfig of one container start, as upstream's kubelet builds
// it: metadata with the restart count as attempt, the resolved image,
// command and args with `$(VAR)` expanded, environment, working dir,
// mounts (volumes, the hosts file, the termination message file), log
// path `<name>/<restartCount>.log`, resources, security, and the labels
// and annotations that let the kubelet rebuild its state from the runtime.
import { posix } from 'node:path';
import type { corev1 } from '../../api/types.js';
import type { ContainerConfig, Image, Mount, MountPropagation } from '../cri/types.js';
import { KubeletError } from '../errors.js';
import type { VolumeMountSource } from '../volumes/types.js';
import { containerEnv, expandCommand, type EnvSources } from './env.js';
import { containerHash } from './hash.js';
import { containerAnnotations, containerLabels } from './labels.js';
import { containerLogPath } from './paths.js';
import { containerResources } from './resources.js';
import { containerSecurity, effectiveSecurityContext, verifyRunAsNonRoot } from './security.js';

export interface ContainerConfigInput {
  pod: corev1.Pod;
  container: corev1.Container;
  restartCount: number;
  /** The image id to run. */
  imageRef: string;
  /** The image's metadata, for the runAsNonRoot check. */
  image: Image | undefined;
  env: EnvSources;
  volumes: ReadonlyMap<string, VolumeMountSource>;
  /** The kubelet-managed hosts file, when the pod gets one. */
  hostsFile: string | undefined;
  /** The host file mounted at the container's terminationMessagePath, when it has one. */
  terminationMessageFile: string | undefined;
  memoryCapacityBytes: number;
}

const propagation: Readonly<Record<string, MountPropagation>> = {
  None: 'PROPAGATION_PRIVATE',
  HostToContainer: 'PROPAGATION_HOST_TO_CONTAINER',
  Bidirectional: 'PROPAGATION_BIDIRECTIONAL',
};

function volumeMounts(container: corev1.Container, volumes: ReadonlyMap<string, VolumeMountSource>, env: Map<string, string>): Mount[] {
  const mounts: Mount[] = [];
  for (const vm of container.volumeMounts ?? []) {
    const source = volumes.get(vm.name);
    if (!source) throw new KubeletError('container-config', `cannot find volume "${vm.name}" to mount into container "${container.name}"`);
    let hostPath = source.hostPath;
    const sub = vm.subPathExpr ? vm.subPathExpr.replace(/\$\(([^)]*)\)/g, (_m, name: string) => env.get(name) ?? '') : vm.subPath;
    if (sub) {
      if (posix.isAbsolute(sub) || sub.split('/').includes('..')) throw new KubeletError('container-config', `subPath "${sub}" must be a relative path without ".."`);
      hostPath = posix.join(hostPath, sub);
    }
    const m: Mount = { containerPath: vm.mountPath, hostPath, readonly: vm.readOnly === true || source.readOnly };
    const p = propagation[vm.mountPropagation ?? 'None'];
    if (p) m.propagation = p;
    mounts.push(m);
  }
  return mounts;
}

export async function buildContainerConfig(input: ContainerConfigInput): Promise<ContainerConfig> {
  const { pod, container, restartCount } = input;
  const sc = effectiveSecurityContext(pod, container);
  verifyRunAsNonRoot(sc, input.image, container.name);
  const envs = await containerEnv(pod, container, input.env);
  const { command, args } = expandCommand(container, envs);
  const mounts = volumeMounts(container, input.volumes, new Map(envs.map((e) => [e.key, e.value])));
  const mounted = new Set(mounts.map((m) => m.containerPath));
  if (input.hostsFile && !mounted.has('/etc/hosts')) mounts.push({ containerPath: '/etc/hosts', hostPath: input.hostsFile, readonly: false });
  if (input.terminationMessageFile && container.terminationMessagePath) {
    mounts.push({ containerPath: container.terminationMessagePath, hostPath: input.terminationMessageFile, readonly: false });
  }
  const config: ContainerConfig = {
    metadata: { name: container.name, attempt: restartCount },
    image: { image: input.imageRef, userSpecifiedImage: container.image ?? '' },
    command,
    args,
    envs,
    mounts,
    labels: containerLabels(pod, container),
    annotations: containerAnnotations(pod, container, containerHash(container), restartCount),
    logPath: containerLogPath(container.name, restartCount),
    linux: { resources: containerResources(pod, container, input.memoryCapacityBytes), securityContext: containerSecurity(pod, container) },
  };
  if (container.workingDir) config.workingDir = container.workingDir;
  if (container.stdin) config.stdin = true;
  if (container.stdinOnce) config.stdinOnce = true;
  if (container.tty) config.tty = true;
  return config;
}

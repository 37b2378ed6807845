// A container's Linux security context: the pod's settings overridden by
// the container's own, converted to the CRI's, with upstream's default
// masked and read-only /proc paths; runAsNonRoot checked against the image.
import type { corev1 } from '../../api/types.js';
import type { Image, LinuxContainerSecurityContext } from '../cri/types.js';
import { KubeletError } from '../errors.js';
import { namespaceOptions, seccompProfile } from './sandbox-config.js';

export const defaultMaskedPaths = [
  '/proc/asound',
  '/proc/acpi',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/proc/scsi',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
];
export const defaultReadonlyPaths = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export function effectiveSecurityContext(pod: corev1.Pod, container: corev1.Container): corev1.SecurityContext {
  const psc = pod.spec?.securityContext ?? {};
  const sc: corev1.SecurityContext = {};
  if (psc.runAsUser !== undefined) sc.runAsUser = psc.runAsUser;
  if (psc.runAsGroup !== undefined) sc.runAsGroup = psc.runAsGroup;
  if (psc.runAsNonRoot !== undefined) sc.runAsNonRoot = psc.runAsNonRoot;
  if (psc.seLinuxOptions) sc.seLinuxOptions = psc.seLinuxOptions;
  if (psc.seccompProfile) sc.seccompProfile = psc.seccompProfile;
  return { ...sc, ...container.securityContext };
}

/** Rejects a container that must not run as root but would (upstream's verifyRunAsNonRoot). */
export function verifyRunAsNonRoot(sc: corev1.SecurityContext, image: Image | undefined, containerName: string): void {
  if (sc.runAsNonRoot !== true) return;
  if (sc.runAsUser !== undefined) {
    if (sc.runAsUser === 0) throw new KubeletError('container-config', `container's runAsUser breaks non-root policy (pod: container ${containerName}, runAsUser: 0)`);
    return;
  }
  if (image?.uid !== undefined) {
    if (image.uid === 0) throw new KubeletError('container-config', 'container has runAsNonRoot and image will run as root');
    return;
  }
  const name = image?.username ?? '';
  if (name !== '') throw new KubeletError('container-config', `container has runAsNonRoot and image has non-numeric user (${name}), cannot verify user is non-root`);
  throw new KubeletError('container-config', 'container has runAsNonRoot and image will run as root');
}

export function containerSecurity(pod: corev1.Pod, container: corev1.Container): LinuxContainerSecurityContext {
  const sc = effectiveSecurityContext(pod, container);
  const psc = pod.spec?.securityContext ?? {};
  const out: LinuxContainerSecurityContext = {
    namespaceOptions: namespaceOptions(pod),
    seccomp: seccompProfile(sc.seccompProfile),
  };
  if (sc.privileged) out.privileged = true;
  if (sc.capabilities?.add?.length || sc.capabilities?.drop?.length) {
    out.capabilities = { addCapabilities: [...(sc.capabilities.add ?? [])], dropCapabilities: [...(sc.capabilities.drop ?? [])] };
  }
  if (sc.runAsUser !== undefined) out.runAsUser = sc.runAsUser;
  if (sc.runAsGroup !== undefined) out.runAsGroup = sc.runAsGroup;
  if (sc.readOnlyRootFilesystem) out.readonlyRootfs = true;
  if (sc.allowPrivilegeEscalation === false) out.noNewPrivs = true;
  if (sc.seLinuxOptions) out.selinuxOptions = { ...sc.seLinuxOptions };
  const groups = [...(psc.supplementalGroups ?? []), ...(psc.fsGroup !== undefined ? [psc.fsGroup] : [])];
  if (groups.length > 0) out.supplementalGroups = groups;
  const unmasked = sc.procMount === 'Unmasked';
  out.maskedPaths = unmasked ? [] : [...defaultMaskedPaths];
  out.readonlyPaths = unmasked ? [] : [...defaultReadonlyPaths];
  return out;
}

// The Node this kubelet registers: labels (hostname, os, arch and the
// caller's), taints, pod CIDRs and the annotations upstream's kubelet sets.
// Node-role labels are the server's business and never set here.
import type { corev1 } from '../../api/types.js';
import type { KubeletConfig } from '../options.js';
import type { MachineInfo } from './machine.js';

export function defaultNodeLabels(config: Pick<KubeletConfig, 'hostname' | 'labels'>, machine: Pick<MachineInfo, 'architecture' | 'operatingSystem'>): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': machine.architecture,
    'beta.kubernetes.io/os': machine.operatingSystem,
    'kubernetes.io/arch': machine.architecture,
    'kubernetes.io/hostname': config.hostname.toLowerCase(),
    'kubernetes.io/os': machine.operatingSystem,
    ...config.labels,
  };
}

export function nodeObject(config: Pick<KubeletConfig, 'nodeName' | 'hostname' | 'labels' | 'taints' | 'podCidr'>, machine: MachineInfo): corev1.Node {
  const spec: corev1.NodeSpec = {};
  if (config.podCidr) {
    spec.podCIDR = config.podCidr;
    spec.podCIDRs = [config.podCidr];
  }
  if (config.taints.length > 0) spec.taints = structuredClone(config.taints);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: config.nodeName,
      labels: defaultNodeLabels(config, machine),
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec,
  };
}

/**
 * The merge patch adopting an existing Node of this name: our labels, and
 * the pod CIDR when it has none. Taints are only set at registration (as
 * upstream), so an admin's removal sticks. Undefined when nothing changes.
 */
export function adoptionPatch(existing: corev1.Node, wanted: corev1.Node): Record<string, unknown> | undefined {
  const patch: Record<string, unknown> = {};
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(wanted.metadata?.labels ?? {})) if (existing.metadata?.labels?.[k] !== v) labels[k] = v;
  if (Object.keys(labels).length > 0) patch.metadata = { labels };
  if (!existing.spec?.podCIDR && wanted.spec?.podCIDR) patch.spec = { podCIDR: wanted.spec.podCIDR, podCIDRs: wanted.spec.podCIDRs };
  return Object.keys(patch).length > 0 ? patch : undefined;
}

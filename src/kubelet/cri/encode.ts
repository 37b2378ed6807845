// The kubelet's request types (types.ts) into objects the CRI .proto
// serialiser accepts. Field names already match (camelCase); what differs is
// the Int64Value wrapper around optional user and group ids.
import type { ContainerConfig, LinuxContainerSecurityContext, LinuxSandboxSecurityContext, PodSandboxConfig } from './types.js';

const int64Value = (v: number | undefined): { value: number } | undefined => (v === undefined ? undefined : { value: v });

function securityContext<T extends LinuxSandboxSecurityContext | LinuxContainerSecurityContext>(sc: T | undefined): object | undefined {
  if (!sc) return undefined;
  return { ...sc, runAsUser: int64Value(sc.runAsUser), runAsGroup: int64Value(sc.runAsGroup) };
}

export function sandboxConfig(config: PodSandboxConfig): object {
  const { linux } = config;
  return { ...config, linux: linux && { ...linux, securityContext: securityContext(linux.securityContext) } };
}

export function containerConfig(config: ContainerConfig): object {
  const { linux } = config;
  return { ...config, linux: linux && { ...linux, securityContext: securityContext(linux.securityContext) } };
}

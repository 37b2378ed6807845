// The PodSandboxConfig of a pod, as upstream's kubelet builds it: metadata
// with the attempt, hostname (none for host-network pods: they share the
// host's UTS namespace), log directory, DNS, port mappings, the pod's
// labels and annotations plus the kubelet's identifying labels, and the
// Linux part: cgroup parent, namespaces, sysctls, pod-level security.
import type { corev1 } from '../../api/types.js';
import type { LinuxSandboxSecurityContext, NamespaceOption, PodSandboxConfig, PortMapping, SecurityProfile } from '../cri/types.js';
import { KubeletError } from '../errors.js';
import { podDnsConfig, type DnsSettings, type DnsWarning } from './dns.js';
import { sandboxLabels } from './labels.js';
import { podCgroupParent, podLogDirectoryOf, type PodPathsConfig } from './paths.js';
import { sandboxResources } from './resources.js';

export interface SandboxConfigInput extends PodPathsConfig, DnsSettings {}

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The pod's hostname and (with a subdomain) its domain. */
export function podHostname(pod: corev1.Pod, clusterDomain: string): { hostname: string; domain: string } {
  let hostname = pod.metadata?.name ?? '';
  const asked = pod.spec?.hostname;
  if (asked) {
    if (asked.length > 63 || !dnsLabel.test(asked)) throw new KubeletError('sandbox', `pod Hostname "${asked}" is not a valid DNS label`);
    hostname = asked;
  }
  if (hostname.length > 63) hostname = hostname.slice(0, 63).replace(/[-.]+$/, '');
  const sub = pod.spec?.subdomain;
  const domain = sub ? `${sub}.${pod.metadata?.namespace ?? ''}.svc.${clusterDomain}` : '';
  return { hostname, domain };
}

export function namespaceOptions(pod: corev1.Pod): NamespaceOption {
  const spec = pod.spec ?? { containers: [] };
  return {
    network: spec.hostNetwork ? 'NODE' : 'POD',
    pid: spec.hostPID ? 'NODE' : spec.shareProcessNamespace ? 'POD' : 'CONTAINER',
    ipc: spec.hostIPC ? 'NODE' : 'POD',
  };
}

export function seccompProfile(profile: corev1.SeccompProfile | undefined): SecurityProfile {
  if (profile?.type === 'RuntimeDefault') return { profileType: 'RuntimeDefault' };
  if (profile?.type === 'Localhost') return { profileType: 'Localhost', localhostRef: profile.localhostProfile ?? '' };
  return { profileType: 'Unconfined' };
}

export function portMappings(pod: corev1.Pod): PortMapping[] {
  const out: PortMapping[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      const m: PortMapping = { protocol: (p.protocol ?? 'TCP') as PortMapping['protocol'], containerPort: p.containerPort };
      if (p.hostPort) m.hostPort = p.hostPort;
      if (p.hostIP) m.hostIp = p.hostIP;
      out.push(m);
    }
  }
  return out;
}

function sandboxSecurity(pod: corev1.Pod): LinuxSandboxSecurityContext {
  const sc = pod.spec?.securityContext ?? {};
  const out: LinuxSandboxSecurityContext = { namespaceOptions: namespaceOptions(pod), seccomp: seccompProfile(sc.seccompProfile) };
  if (sc.runAsUser !== undefined) out.runAsUser = sc.runAsUser;
  if (sc.runAsGroup !== undefined) out.runAsGroup = sc.runAsGroup;
  const groups = [...(sc.supplementalGroups ?? []), ...(sc.fsGroup !== undefined ? [sc.fsGroup] : [])];
  if (groups.length > 0) out.supplementalGroups = groups;
  if (sc.seLinuxOptions) out.selinuxOptions = { ...sc.seLinuxOptions };
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  if (all.some((c) => c.securityContext?.privileged === true)) out.privileged = true;
  return out;
}

export function sandboxConfig(pod: corev1.Pod, attempt: number, input: SandboxConfigInput): { config: PodSandboxConfig; warnings: DnsWarning[] } {
  const m = pod.metadata ?? {};
  const uid = m.uid ?? '';
  const { config: dns, warnings } = podDnsConfig(pod, input);
  const config: PodSandboxConfig = {
    metadata: { name: m.name ?? '', namespace: m.namespace ?? '', uid, attempt },
    logDirectory: podLogDirectoryOf(input, pod),
    dnsConfig: { servers: dns.servers, searches: dns.searches, options: dns.options },
    portMappings: portMappings(pod),
    labels: sandboxLabels(pod),
    annotations: { ...m.annotations },
    linux: {
      cgroupParent: podCgroupParent(input, uid),
      securityContext: sandboxSecurity(pod),
      resources: sandboxResources(pod),
    },
  };
  if (!pod.spec?.hostNetwork) {
    const { hostname, domain } = podHostname(pod, input.clusterDomain);
    config.hostname = pod.spec?.setHostnameAsFQDN && domain ? `${hostname}.${domain}` : hostname;
  }
  const sysctls = pod.spec?.securityContext?.sysctls ?? [];
  if (sysctls.length > 0 && config.linux) config.linux.sysctls = Object.fromEntries(sysctls.map((s) => [s.name, s.value]));
  return { config, warnings };
}

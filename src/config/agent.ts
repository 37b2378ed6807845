// The node side of the configuration: where the embedded agent keeps its
// files, and the flags that shape the Node it registers (k3s's names).
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import { defaults } from './defaults.js';
import { ConfigError } from './errors.js';
import { parseKubeletArgs, type KubeletArgs } from './kubelet-args.js';

export interface AgentFlags {
  disableAgent?: boolean;
  nodeIp?: string[];
  nodeLabel?: string[];
  nodeTaint?: string[];
  clusterCidr?: string;
  clusterDns?: string;
  privateRegistry?: string;
  kubeletArg?: string[];
}

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface NodeTaint {
  key: string;
  value?: string;
  effect: TaintEffect;
}

export interface AgentConfig {
  /** `<dataDir>/agent`: containerd's root, images to import, pod volumes, CNI config. */
  dir: string;
  /** Tarballs dropped here are imported at start and while running. */
  imagesDir: string;
  /** Sockets and runtime state of containerd: on /run, which a reboot clears. */
  containerdStateDir: string;
  /** The CRI log files of every pod. */
  podLogDir: string;
  /** `<dataDir>/storage`: local-path volumes of this node (k3s's place); the kubelet removes them on reclaim. */
  storageDir: string;
  /** `<dir>/pod-manifests`: static pod manifests the kubelet runs without the API. */
  podManifestsDir: string;
  /** The cgroup under which every pod's cgroup is made. */
  cgroupRoot: string;
  nodeLabels: Record<string, string>;
  nodeTaints: NodeTaint[];
  clusterCidr: string;
  clusterDns: string;
  /** registries.yaml in k3s's format; a missing file means no registry settings. */
  privateRegistry: string;
  /** From `--kubelet-arg`: eviction thresholds and image GC thresholds. */
  kubelet: KubeletArgs;
}

/**
 * The agent's layout. The default data dir gets k3s's host-wide places
 * (/run/tsk8s/containerd, /var/log/pods, cgroup /tsk8s); any other data dir
 * gets places of its own, so two servers on one host (as tests run them, each
 * in its own network namespace) never share a socket, a log or a cgroup.
 */
/** --cluster-dns, or the default: the address pods resolve through and the kube-dns Service's ClusterIP. */
export function clusterDnsAddress(flags: Pick<AgentFlags, 'clusterDns'>): string {
  const clusterDns = flags.clusterDns ?? defaults.clusterDns;
  if (isIP(clusterDns) !== 4) throw new ConfigError('bad-flag', `--cluster-dns must be an IPv4 address (got "${clusterDns}")`);
  return clusterDns;
}

export function resolveAgentConfig(dataDir: string, isDefaultDataDir: boolean, flags: AgentFlags): AgentConfig {
  const dir = join(dataDir, 'agent');
  const tag = createHash('sha256').update(dataDir).digest('hex').slice(0, 8);
  const clusterCidr = flags.clusterCidr ?? defaults.clusterCidr;
  if (!isIpv4Cidr(clusterCidr)) throw new ConfigError('bad-flag', `--cluster-cidr must be an IPv4 CIDR like 10.42.0.0/16 (got "${clusterCidr}")`);
  const clusterDns = clusterDnsAddress(flags);
  return {
    dir,
    imagesDir: join(dir, 'images'),
    containerdStateDir: isDefaultDataDir ? '/run/tsk8s/containerd' : `/run/tsk8s/${tag}/containerd`,
    podLogDir: isDefaultDataDir ? '/var/log/pods' : join(dir, 'pod-logs'),
    storageDir: join(dataDir, 'storage'),
    podManifestsDir: join(dir, 'pod-manifests'),
    cgroupRoot: isDefaultDataDir ? '/tsk8s' : `/tsk8s-${tag}`,
    nodeLabels: parseLabels(flags.nodeLabel ?? []),
    nodeTaints: (flags.nodeTaint ?? []).map(parseTaint),
    clusterCidr,
    clusterDns,
    privateRegistry: resolve(flags.privateRegistry ?? defaults.privateRegistry),
    kubelet: parseKubeletArgs(flags.kubeletArg ?? []),
  };
}

/** `--node-ip` values (repeatable, comma-separated), each checked. */
export function parseNodeIps(values: string[]): string[] {
  const ips = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  for (const ip of ips) if (isIP(ip) === 0) throw new ConfigError('bad-flag', `--node-ip must be an IP address (got "${ip}")`);
  return ips;
}

const qualifiedName = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const labelValue = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function parseLabels(values: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const text of values.flatMap((v) => v.split(','))) {
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    const value = eq < 0 ? '' : text.slice(eq + 1);
    if (!qualifiedName.test(key) || key.length > 316 || !labelValue.test(value) || value.length > 63) {
      throw new ConfigError('bad-flag', `--node-label must be key=value with a valid label key and value (got "${text}")`);
    }
    labels[key] = value;
  }
  return labels;
}

/** `key=value:Effect` or `key:Effect`, as kubectl taint and k3s take them. */
export function parseTaint(text: string): NodeTaint {
  const match = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(text);
  const key = match?.[1] ?? '';
  const value = match?.[2];
  if (!match || !qualifiedName.test(key) || (value !== undefined && !labelValue.test(value))) {
    throw new ConfigError('bad-flag', `--node-taint must be key=value:Effect with Effect one of NoSchedule, PreferNoSchedule, NoExecute (got "${text}")`);
  }
  return { key, ...(value !== undefined && value !== '' ? { value } : {}), effect: match[3] as TaintEffect };
}

function isIpv4Cidr(text: string): boolean {
  const [ip, bits] = text.split('/');
  return isIP(ip ?? '') === 4 && /^\d{1,2}$/.test(bits ?? '') && Number(bits) <= 30;
}

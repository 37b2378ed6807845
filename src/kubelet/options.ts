// What startKubelet needs, and the defaults it fills in. The caller (the
// agent) resolves flags and config files; everything here is already data.
import type { corev1 } from '../api/types.js';
import type { Client, SharedInformerFactory } from '../client/index.js';
import type { Logger } from '../log/logger.js';
import { systemClock, type Clock } from './clock.js';
import type { ContainerRuntime } from './cri/runtime.js';
import { KubeletError } from './errors.js';
import type { MachineInfo } from './node/machine.js';
import { defaultEvictionHard, type EvictionThresholds } from './node/thresholds.js';

export interface KubeletIntervals {
  /** Lease renewal. Default 10 s. */
  leaseRenewMs: number;
  /** How often node status is computed; posted when it changed. Default 10 s. */
  nodeStatusMs: number;
  /** Node status is posted at least this often even when unchanged. Default 1 min. */
  nodeStatusReportMs: number;
  /** How often the runtime's containers are listed to notice exits. Default 1 s. */
  relistMs: number;
  /** Orphan clean-up (sandboxes, directories, cgroups of pods that are gone). Default 10 s. */
  housekeepingMs: number;
  /** Every pod is synced at least this often. Default 1 min. */
  resyncMs: number;
  /** Retry delay of a pod sync that failed. Default 10 s. */
  syncRetryMs: number;
  /** The static pod manifest directory is read at least this often (and on changes). Default 20 s. */
  staticPodScanMs: number;
}

export interface KubeletOptions {
  client: Client;
  runtime: ContainerRuntime;
  nodeName: string;
  /** InternalIP addresses of the node; the first is the pods' hostIP. */
  nodeIps: string[];
  hostname: string;
  /** The node's pod CIDR, registered as spec.podCIDR(s) when the node has none. */
  podCidr?: string;
  /** Labels added to the defaults (hostname, os, arch). */
  labels?: Record<string, string>;
  /** Taints the node registers with. */
  taints?: corev1.Taint[];
  /** `<data-dir>/agent`: pod directories (volumes, termination logs, hosts files) live under `pods/`. */
  rootDir: string;
  /** Root of the pods' log directories (`<podLogDir>/<ns>_<name>_<uid>`). */
  podLogDir: string;
  /** `<data-dir>/storage`: local-path volumes live here; the kubelet removes their directories on reclaim. Absent: no clean-up. */
  storageDir?: string;
  /** Static pod manifests (`<data-dir>/agent/pod-manifests`), run without the API and mirrored to it. Absent: no static pods. */
  podManifestsDir?: string;
  /** cgroup parent of all pods (each pod gets `<cgroupRoot>/pod<uid>`). Default '/tsk8s'. */
  cgroupRoot?: string;
  /** Where cgroup hierarchies are mounted. Default '/sys/fs/cgroup'. */
  cgroupFs?: string;
  clusterDns: string[];
  clusterDomain: string;
  /** The host's resolver configuration (dnsPolicy Default). Default '/etc/resolv.conf'. */
  resolvConf?: string;
  /** The pause image; kept from image garbage collection together with pinnedImages. */
  sandboxImage: string;
  /** Images the image manager must never remove (besides the sandbox image). */
  pinnedImages?: () => ReadonlySet<string>;
  kubeletVersion: string;
  logger: Logger;
  clock?: Clock;
  /** The process-wide informer factory; the kubelet makes its own when absent. */
  informers?: SharedInformerFactory;
  /** Hard eviction thresholds: the node's pressure conditions and what allocatable keeps back. Default: upstream's (node/thresholds.ts). */
  evictionHard?: EvictionThresholds;
  /** Image GC starts at this usage of the image filesystem (percent) and frees down to the low one. Default 85 and 80. */
  imageGc?: { highThresholdPercent: number; lowThresholdPercent: number };
  /** Machine facts for node status; read from the host when absent. */
  machine?: () => Promise<MachineInfo>;
  intervals?: Partial<KubeletIntervals>;
}

export interface KubeletConfig extends Required<Omit<KubeletOptions, 'podCidr' | 'storageDir' | 'podManifestsDir' | 'informers' | 'machine' | 'intervals' | 'pinnedImages' | 'imageGc'>> {
  imageGc: { highThresholdPercent: number; lowThresholdPercent: number } | undefined;
  podCidr: string | undefined;
  storageDir: string | undefined;
  podManifestsDir: string | undefined;
  pinnedImages: () => ReadonlySet<string>;
  intervals: KubeletIntervals;
}

export const defaultIntervals: KubeletIntervals = {
  leaseRenewMs: 10_000,
  nodeStatusMs: 10_000,
  nodeStatusReportMs: 60_000,
  relistMs: 1_000,
  housekeepingMs: 10_000,
  resyncMs: 60_000,
  syncRetryMs: 10_000,
  staticPodScanMs: 20_000,
};

/** Fills in defaults and checks what cannot work; throws KubeletError('options'). */
export function resolveOptions(opts: KubeletOptions): KubeletConfig {
  const problems: string[] = [];
  if (!opts.nodeName) problems.push('nodeName is empty');
  if (!opts.rootDir.startsWith('/')) problems.push(`rootDir "${opts.rootDir}" is not absolute`);
  if (!opts.podLogDir.startsWith('/')) problems.push(`podLogDir "${opts.podLogDir}" is not absolute`);
  if (opts.storageDir !== undefined && !opts.storageDir.startsWith('/')) problems.push(`storageDir "${opts.storageDir}" is not absolute`);
  if (opts.podManifestsDir !== undefined && !opts.podManifestsDir.startsWith('/')) problems.push(`podManifestsDir "${opts.podManifestsDir}" is not absolute`);
  const cgroupRoot = opts.cgroupRoot ?? '/tsk8s';
  if (!cgroupRoot.startsWith('/') || cgroupRoot.includes('..')) problems.push(`cgroupRoot "${cgroupRoot}" must be an absolute cgroup path`);
  if (problems.length > 0) throw new KubeletError('options', `kubelet options: ${problems.join('; ')}`);
  return {
    client: opts.client,
    runtime: opts.runtime,
    nodeName: opts.nodeName,
    nodeIps: opts.nodeIps,
    hostname: opts.hostname,
    podCidr: opts.podCidr,
    labels: opts.labels ?? {},
    taints: opts.taints ?? [],
    rootDir: opts.rootDir,
    podLogDir: opts.podLogDir,
    storageDir: opts.storageDir,
    podManifestsDir: opts.podManifestsDir,
    cgroupRoot: cgroupRoot.replace(/\/+$/, '') || '/',
    cgroupFs: opts.cgroupFs ?? '/sys/fs/cgroup',
    clusterDns: opts.clusterDns,
    clusterDomain: opts.clusterDomain,
    resolvConf: opts.resolvConf ?? '/etc/resolv.conf',
    sandboxImage: opts.sandboxImage,
    pinnedImages: opts.pinnedImages ?? (() => new Set<string>()),
    evictionHard: opts.evictionHard ?? defaultEvictionHard,
    imageGc: opts.imageGc,
    kubeletVersion: opts.kubeletVersion,
    logger: opts.logger,
    clock: opts.clock ?? systemClock,
    intervals: { ...defaultIntervals, ...opts.intervals },
  };
}

// The runtime-level and image answers of the CRI, and stats. Same number
// rules as types.ts: nanosecond times and CPU nanoseconds are bigint, other
// counters numbers; an absent optional counter is undefined.
import type { ContainerMetadata, ImageSpec, Labels, UnixNanos } from './types.js';

export interface RuntimeVersion {
  /** Version of the kubelet-runtime API the runtime speaks ("0.1.0" for containerd). */
  version: string;
  runtimeName: string;
  runtimeVersion: string;
  /** CRI API version ("v1"). */
  runtimeApiVersion: string;
}

export interface RuntimeCondition {
  /** "RuntimeReady" and "NetworkReady" are the ones every runtime reports. */
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

export interface RuntimeStatus {
  conditions: RuntimeCondition[];
  /** Runtime-specific details; filled only when asked for verbosely. */
  info: Labels;
}

export interface Image {
  /** The image id (the config digest for OCI images). */
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** Size on disk, in bytes. */
  size: number;
  /** The image's user as a uid, when it is numeric. */
  uid: number | undefined;
  /** The image's user when it is a name. */
  username: string;
  spec: ImageSpec | undefined;
  /** Pinned images are never garbage-collected. */
  pinned: boolean;
}

/** Registry credentials for one pull; only one of the forms is needed. */
export interface AuthConfig {
  username?: string;
  password?: string;
  /** base64 of "user:password". */
  auth?: string;
  serverAddress?: string;
  identityToken?: string;
  registryToken?: string;
}

export interface FilesystemUsage {
  timestamp: UnixNanos;
  mountpoint: string;
  usedBytes: number | undefined;
  inodesUsed: number | undefined;
}

export interface ImageFsInfo {
  imageFilesystems: FilesystemUsage[];
  /** Empty when images and writable layers share a filesystem (or the runtime does not say). */
  containerFilesystems: FilesystemUsage[];
}

export interface CpuUsage {
  timestamp: UnixNanos;
  /** Cumulative CPU time of all cores, in nanoseconds. */
  usageCoreNanoSeconds: bigint | undefined;
  /** Average over the runtime's sampling window, in nanocores. */
  usageNanoCores: number | undefined;
}

export interface MemoryUsage {
  timestamp: UnixNanos;
  workingSetBytes: number | undefined;
  availableBytes: number | undefined;
  usageBytes: number | undefined;
  rssBytes: number | undefined;
  pageFaults: number | undefined;
  majorPageFaults: number | undefined;
}

export interface ContainerStats {
  attributes: { id: string; metadata: ContainerMetadata; labels: Labels; annotations: Labels };
  cpu: CpuUsage | undefined;
  memory: MemoryUsage | undefined;
  writableLayer: FilesystemUsage | undefined;
}

export interface ContainerStatsFilter {
  id?: string;
  podSandboxId?: string;
  labelSelector?: Labels;
}

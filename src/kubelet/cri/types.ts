// What the kubelet sends to and gets from a container runtime: the CRI
// runtime.v1 messages it uses, with camelCase field names (the wire names
// converted by the usual protobuf rule) and enums as their wire names.
//
// Numbers: timestamps are int64 nanoseconds since the Unix epoch, beyond
// 2^53, so they are `bigint` everywhere (0n = not set), as is cumulative CPU
// time in nanoseconds. Every other int64/uint64 (bytes, ids, shares, exit
// codes, seconds) is a `number`; a runtime value beyond 2^53 is clamped to
// Number.MAX_SAFE_INTEGER on the way in. Optional wrappers of the wire
// (Int64Value, UInt64Value) are `number | undefined`.

/** Nanoseconds since the Unix epoch; 0n means "not set". */
export type UnixNanos = bigint;

export type Labels = Record<string, string>;

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
/** POD: shared by the pod's containers; CONTAINER: the container's own; NODE: the host's; TARGET: another container's (targetId). */
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';
export type SecurityProfileType = 'RuntimeDefault' | 'Unconfined' | 'Localhost';

// ---- Shared pieces

export interface NamespaceOption {
  network?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  targetId?: string;
}

export interface SELinuxOption {
  user?: string;
  role?: string;
  type?: string;
  level?: string;
}

export interface SecurityProfile {
  profileType: SecurityProfileType;
  /** For Localhost: the profile's path or name on the node. */
  localhostRef?: string;
}

export interface PortMapping {
  protocol?: Protocol;
  containerPort: number;
  hostPort?: number;
  hostIp?: string;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  selinuxRelabel?: boolean;
  propagation?: MountPropagation;
}

export interface Device {
  containerPath: string;
  hostPath: string;
  /** cgroup device permissions: a combination of r, w, m. */
  permissions: string;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface ImageSpec {
  image: string;
  annotations?: Labels;
  /** The name as the pod spec gave it, before the kubelet resolved it. */
  userSpecifiedImage?: string;
}

/** cgroup settings; 0 or absent means "not set" for every number. */
export interface LinuxContainerResources {
  cpuPeriod?: number;
  cpuQuota?: number;
  cpuShares?: number;
  memoryLimitInBytes?: number;
  oomScoreAdj?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  hugepageLimits?: { pageSize: string; limit: number }[];
  /** cgroup v2 key/value settings, written as files of the container's cgroup. */
  unified?: Labels;
  memorySwapLimitInBytes?: number;
}

// ---- Pod sandboxes

export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt?: number;
}

export interface LinuxSandboxSecurityContext {
  namespaceOptions?: NamespaceOption;
  selinuxOptions?: SELinuxOption;
  runAsUser?: number;
  runAsGroup?: number;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  privileged?: boolean;
  seccomp?: SecurityProfile;
  apparmor?: SecurityProfile;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  /** Directory for the pod's container logs; each container's logPath is relative to it. */
  logDirectory?: string;
  dnsConfig?: { servers?: string[]; searches?: string[]; options?: string[] };
  portMappings?: PortMapping[];
  labels?: Labels;
  annotations?: Labels;
  linux?: {
    cgroupParent?: string;
    securityContext?: LinuxSandboxSecurityContext;
    sysctls?: Labels;
    overhead?: LinuxContainerResources;
    resources?: LinuxContainerResources;
  };
}

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: UnixNanos;
  labels: Labels;
  annotations: Labels;
  runtimeHandler: string;
}

export interface PodSandboxStatus extends PodSandbox {
  /** Pod IP and further IPs; ip is '' for host-network sandboxes, network undefined when the runtime reports none. */
  network: { ip: string; additionalIps: string[] } | undefined;
  namespaceOptions: NamespaceOption | undefined;
}

export interface PodSandboxFilter {
  id?: string;
  state?: PodSandboxState;
  /** Every pair must match (AND). */
  labelSelector?: Labels;
}

// ---- Containers

export interface ContainerMetadata {
  name: string;
  attempt?: number;
}

export interface LinuxContainerSecurityContext {
  capabilities?: { addCapabilities?: string[]; dropCapabilities?: string[]; addAmbientCapabilities?: string[] };
  privileged?: boolean;
  namespaceOptions?: NamespaceOption;
  selinuxOptions?: SELinuxOption;
  runAsUser?: number;
  runAsGroup?: number;
  runAsUsername?: string;
  readonlyRootfs?: boolean;
  supplementalGroups?: number[];
  noNewPrivs?: boolean;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  seccomp?: SecurityProfile;
  apparmor?: SecurityProfile;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  image: ImageSpec;
  /** Replaces the image's entrypoint when non-empty. */
  command?: string[];
  /** Replaces the image's cmd when non-empty. */
  args?: string[];
  workingDir?: string;
  envs?: KeyValue[];
  mounts?: Mount[];
  devices?: Device[];
  labels?: Labels;
  annotations?: Labels;
  /** Relative to the sandbox's logDirectory. */
  logPath?: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  linux?: { resources?: LinuxContainerResources; securityContext?: LinuxContainerSecurityContext };
}

export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  image: ImageSpec;
  /** The image the runtime resolved the spec to (an image id or repo digest). */
  imageRef: string;
  state: ContainerState;
  createdAt: UnixNanos;
  labels: Labels;
  annotations: Labels;
}

export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: UnixNanos;
  /** 0n until started. */
  startedAt: UnixNanos;
  /** 0n until exited. */
  finishedAt: UnixNanos;
  /** Meaningful once exited; 128+N after signal N. */
  exitCode: number;
  image: ImageSpec;
  imageRef: string;
  /** Once exited: "Completed" (exit 0), "Error", "OOMKilled", or the runtime's own. */
  reason: string;
  message: string;
  labels: Labels;
  annotations: Labels;
  mounts: Mount[];
  logPath: string;
  resources: LinuxContainerResources | undefined;
}

export interface ContainerFilter {
  id?: string;
  state?: ContainerState;
  podSandboxId?: string;
  labelSelector?: Labels;
}

export interface ExecSyncResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

/** Streaming requests answer a URL the kubelet proxies the client's stream to. */
export interface ExecRequest {
  containerId: string;
  cmd: string[];
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

export interface AttachRequest {
  containerId: string;
  tty?: boolean;
  stdin?: boolean;
  stdout?: boolean;
  stderr?: boolean;
}

// ---- Stats, status, images: see results.ts
export type * from './results.js';

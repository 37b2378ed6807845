// The kubelet's seam to a container runtime (owned here, by its consumer).
// Two implementations pass one suite (conformance.ts): the gRPC client of a
// CRI runtime (grpc.ts) and an in-memory fake for kubelet tests (fake.ts).
//
// Contract for every method:
//  - rejects only with CriError (errors.ts): 'not-found' for an unknown
//    sandbox or container id, 'unavailable' when the runtime cannot be
//    reached, 'deadline' when the call outlives its deadline, 'cancelled'
//    when opts.signal aborts it;
//  - stops and removals are idempotent: stopping what is stopped, and
//    stopping or removing an id that does not exist (any more), resolves;
//  - results are fresh objects the caller may keep and modify.
import type {
  AttachRequest,
  AuthConfig,
  Container,
  ContainerConfig,
  ContainerFilter,
  ContainerStats,
  ContainerStatsFilter,
  ContainerStatus,
  ExecRequest,
  ExecSyncResult,
  Image,
  ImageFsInfo,
  LinuxContainerResources,
  PodSandbox,
  PodSandboxConfig,
  PodSandboxFilter,
  PodSandboxStatus,
  RuntimeStatus,
  RuntimeVersion,
} from './types.js';

export interface CallOptions {
  /**
   * Deadline of the call in milliseconds, replacing the implementation's
   * default (10 s; 2 min for pulls). Calls that carry their own timeout
   * (stopContainer, execSync) add that timeout to the deadline.
   */
  timeoutMs?: number;
  /** Aborting rejects the call with 'cancelled' (the runtime may still finish it). */
  signal?: AbortSignal;
}

export interface RuntimeService {
  version(opts?: CallOptions): Promise<RuntimeVersion>;
  /** RuntimeReady / NetworkReady conditions; `verbose` asks for the info map. */
  status(verbose?: boolean, opts?: CallOptions): Promise<RuntimeStatus>;

  /** Creates and starts the pod's sandbox; resolves to its id. */
  runPodSandbox(config: PodSandboxConfig, runtimeHandler?: string, opts?: CallOptions): Promise<string>;
  /** Stops every container of the sandbox (killing them) and the sandbox; idempotent. */
  stopPodSandbox(podSandboxId: string, opts?: CallOptions): Promise<void>;
  /** Removes the sandbox and its containers, stopping them if needed; idempotent. */
  removePodSandbox(podSandboxId: string, opts?: CallOptions): Promise<void>;
  podSandboxStatus(podSandboxId: string, opts?: CallOptions): Promise<PodSandboxStatus>;
  listPodSandbox(filter?: PodSandboxFilter, opts?: CallOptions): Promise<PodSandbox[]>;

  /** Creates a container in a ready sandbox; `sandboxConfig` is the one the sandbox was run with. */
  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig, opts?: CallOptions): Promise<string>;
  startContainer(containerId: string, opts?: CallOptions): Promise<void>;
  /**
   * Sends the stop signal, waits up to `timeoutSeconds`, then kills; 0 kills
   * at once. Resolves once the container has exited; a no-op on an exited
   * container.
   */
  stopContainer(containerId: string, timeoutSeconds: number, opts?: CallOptions): Promise<void>;
  /** Removes the container, killing it if it runs; idempotent. */
  removeContainer(containerId: string, opts?: CallOptions): Promise<void>;
  listContainers(filter?: ContainerFilter, opts?: CallOptions): Promise<Container[]>;
  containerStatus(containerId: string, opts?: CallOptions): Promise<ContainerStatus>;
  updateContainerResources(containerId: string, resources: LinuxContainerResources, opts?: CallOptions): Promise<void>;

  /**
   * Runs `cmd` in the container and collects its output. `timeoutSeconds`
   * 0 means no limit; past the limit the runtime ends the call with an error.
   */
  execSync(containerId: string, cmd: string[], timeoutSeconds: number, opts?: CallOptions): Promise<ExecSyncResult>;
  /** Prepares an interactive exec; resolves to the runtime's streaming URL. */
  exec(req: ExecRequest, opts?: CallOptions): Promise<string>;
  /** Prepares an attach; resolves to the runtime's streaming URL. */
  attach(req: AttachRequest, opts?: CallOptions): Promise<string>;
  /** Prepares a port-forward into the sandbox's network; resolves to the streaming URL. */
  portForward(podSandboxId: string, ports: number[], opts?: CallOptions): Promise<string>;

  containerStats(containerId: string, opts?: CallOptions): Promise<ContainerStats>;
  listContainerStats(filter?: ContainerStatsFilter, opts?: CallOptions): Promise<ContainerStats[]>;
}

export interface PullOptions extends CallOptions {
  auth?: AuthConfig;
  /** The sandbox the image is pulled for (runtimes may pick a snapshotter or platform by it). */
  sandboxConfig?: PodSandboxConfig;
}

export interface ImageService {
  /** Every image (containerd ignores the CRI's list filter, so there is none). */
  listImages(opts?: CallOptions): Promise<Image[]>;
  /** The image a name, digest or id refers to; undefined when it is not present. */
  imageStatus(image: string, opts?: CallOptions): Promise<Image | undefined>;
  /** Pulls (always contacting the registry); resolves to the image ref (id or digest) of what was pulled. */
  pullImage(image: string, opts?: PullOptions): Promise<string>;
  /** Removes an image by name, digest or id; idempotent. */
  removeImage(image: string, opts?: CallOptions): Promise<void>;
  imageFsInfo(opts?: CallOptions): Promise<ImageFsInfo>;
}

export interface ContainerRuntime extends RuntimeService, ImageService {
  /** Ends the connection; calls after it reject with 'unavailable'. Idempotent. */
  close(): Promise<void>;
}

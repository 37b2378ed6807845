// Decoded CRI responses (proto.ts) into the kubelet's types (types.ts).
// One function per message; each builds a fresh object.
import type { Wire } from './proto.js';
import type {
  Container,
  ContainerMetadata,
  ContainerState,
  ContainerStats,
  ContainerStatus,
  FilesystemUsage,
  Image,
  ImageSpec,
  LinuxContainerResources,
  Mount,
  MountPropagation,
  NamespaceMode,
  NamespaceOption,
  PodSandbox,
  PodSandboxMetadata,
  PodSandboxState,
  PodSandboxStatus,
  RuntimeStatus,
  RuntimeVersion,
} from './types.js';
import { bool, enumName, labels, list, nanos, num, obj, str, strings, wrapped, wrappedBig } from './wire.js';

const sandboxStates: readonly PodSandboxState[] = ['SANDBOX_READY', 'SANDBOX_NOTREADY'];
const containerStates: readonly ContainerState[] = ['CONTAINER_CREATED', 'CONTAINER_RUNNING', 'CONTAINER_EXITED', 'CONTAINER_UNKNOWN'];
const propagations: readonly MountPropagation[] = ['PROPAGATION_PRIVATE', 'PROPAGATION_HOST_TO_CONTAINER', 'PROPAGATION_BIDIRECTIONAL'];
const namespaceModes: readonly NamespaceMode[] = ['POD', 'CONTAINER', 'NODE', 'TARGET'];

export function version(w: Wire): RuntimeVersion {
  return {
    version: str(w, 'version'),
    runtimeName: str(w, 'runtimeName'),
    runtimeVersion: str(w, 'runtimeVersion'),
    runtimeApiVersion: str(w, 'runtimeApiVersion'),
  };
}

export function runtimeStatus(w: Wire): RuntimeStatus {
  return {
    conditions: list(obj(w, 'status'), 'conditions').map((c) => ({
      type: str(c, 'type'),
      status: bool(c, 'status'),
      reason: str(c, 'reason'),
      message: str(c, 'message'),
    })),
    info: labels(w, 'info'),
  };
}

function sandboxMetadata(w: Wire | undefined): PodSandboxMetadata {
  return { name: str(w, 'name'), uid: str(w, 'uid'), namespace: str(w, 'namespace'), attempt: num(w, 'attempt') };
}

function containerMetadata(w: Wire | undefined): ContainerMetadata {
  return { name: str(w, 'name'), attempt: num(w, 'attempt') };
}

function imageSpec(w: Wire | undefined): ImageSpec {
  const spec: ImageSpec = { image: str(w, 'image'), annotations: labels(w, 'annotations') };
  const userSpecified = str(w, 'userSpecifiedImage');
  if (userSpecified) spec.userSpecifiedImage = userSpecified;
  return spec;
}

function namespaceOption(w: Wire | undefined): NamespaceOption {
  return {
    network: enumName(w, 'network', namespaceModes, 'POD'),
    pid: enumName(w, 'pid', namespaceModes, 'POD'),
    ipc: enumName(w, 'ipc', namespaceModes, 'POD'),
    targetId: str(w, 'targetId'),
  };
}

export function podSandbox(w: Wire): PodSandbox {
  return {
    id: str(w, 'id'),
    metadata: sandboxMetadata(obj(w, 'metadata')),
    state: enumName(w, 'state', sandboxStates, 'SANDBOX_NOTREADY'),
    createdAt: nanos(w, 'createdAt'),
    labels: labels(w, 'labels'),
    annotations: labels(w, 'annotations'),
    runtimeHandler: str(w, 'runtimeHandler'),
  };
}

export function podSandboxStatus(w: Wire): PodSandboxStatus {
  const network = obj(w, 'network');
  const options = obj(obj(obj(w, 'linux'), 'namespaces'), 'options');
  return {
    ...podSandbox(w),
    network: network ? { ip: str(network, 'ip'), additionalIps: list(network, 'additionalIps').map((ip) => str(ip, 'ip')) } : undefined,
    namespaceOptions: options ? namespaceOption(options) : undefined,
  };
}

export function container(w: Wire): Container {
  return {
    id: str(w, 'id'),
    podSandboxId: str(w, 'podSandboxId'),
    metadata: containerMetadata(obj(w, 'metadata')),
    image: imageSpec(obj(w, 'image')),
    imageRef: str(w, 'imageRef'),
    state: enumName(w, 'state', containerStates, 'CONTAINER_UNKNOWN'),
    createdAt: nanos(w, 'createdAt'),
    labels: labels(w, 'labels'),
    annotations: labels(w, 'annotations'),
  };
}

function mount(w: Wire): Mount {
  return {
    containerPath: str(w, 'containerPath'),
    hostPath: str(w, 'hostPath'),
    readonly: bool(w, 'readonly'),
    selinuxRelabel: bool(w, 'selinuxRelabel'),
    propagation: enumName(w, 'propagation', propagations, 'PROPAGATION_PRIVATE'),
  };
}

function resources(w: Wire | undefined): LinuxContainerResources | undefined {
  if (!w) return undefined;
  return {
    cpuPeriod: num(w, 'cpuPeriod'),
    cpuQuota: num(w, 'cpuQuota'),
    cpuShares: num(w, 'cpuShares'),
    memoryLimitInBytes: num(w, 'memoryLimitInBytes'),
    oomScoreAdj: num(w, 'oomScoreAdj'),
    cpusetCpus: str(w, 'cpusetCpus'),
    cpusetMems: str(w, 'cpusetMems'),
    hugepageLimits: list(w, 'hugepageLimits').map((h) => ({ pageSize: str(h, 'pageSize'), limit: num(h, 'limit') })),
    unified: labels(w, 'unified'),
    memorySwapLimitInBytes: num(w, 'memorySwapLimitInBytes'),
  };
}

export function containerStatus(w: Wire): ContainerStatus {
  return {
    id: str(w, 'id'),
    metadata: containerMetadata(obj(w, 'metadata')),
    state: enumName(w, 'state', containerStates, 'CONTAINER_UNKNOWN'),
    createdAt: nanos(w, 'createdAt'),
    startedAt: nanos(w, 'startedAt'),
    finishedAt: nanos(w, 'finishedAt'),
    exitCode: num(w, 'exitCode'),
    image: imageSpec(obj(w, 'image')),
    imageRef: str(w, 'imageRef'),
    reason: str(w, 'reason'),
    message: str(w, 'message'),
    labels: labels(w, 'labels'),
    annotations: labels(w, 'annotations'),
    mounts: list(w, 'mounts').map(mount),
    logPath: str(w, 'logPath'),
    resources: resources(obj(obj(w, 'resources'), 'linux')),
  };
}

export function image(w: Wire): Image {
  const spec = obj(w, 'spec');
  return {
    id: str(w, 'id'),
    repoTags: strings(w, 'repoTags'),
    repoDigests: strings(w, 'repoDigests'),
    size: num(w, 'size'),
    uid: wrapped(w, 'uid'),
    username: str(w, 'username'),
    spec: spec ? imageSpec(spec) : undefined,
    pinned: bool(w, 'pinned'),
  };
}

export function filesystemUsage(w: Wire): FilesystemUsage {
  return {
    timestamp: nanos(w, 'timestamp'),
    mountpoint: str(obj(w, 'fsId'), 'mountpoint'),
    usedBytes: wrapped(w, 'usedBytes'),
    inodesUsed: wrapped(w, 'inodesUsed'),
  };
}

export function containerStats(w: Wire): ContainerStats {
  const attributes = obj(w, 'attributes');
  const cpu = obj(w, 'cpu');
  const memory = obj(w, 'memory');
  const layer = obj(w, 'writableLayer');
  return {
    attributes: {
      id: str(attributes, 'id'),
      metadata: containerMetadata(obj(attributes, 'metadata')),
      labels: labels(attributes, 'labels'),
      annotations: labels(attributes, 'annotations'),
    },
    cpu: cpu && {
      timestamp: nanos(cpu, 'timestamp'),
      usageCoreNanoSeconds: wrappedBig(cpu, 'usageCoreNanoSeconds'),
      usageNanoCores: wrapped(cpu, 'usageNanoCores'),
    },
    memory: memory && {
      timestamp: nanos(memory, 'timestamp'),
      workingSetBytes: wrapped(memory, 'workingSetBytes'),
      availableBytes: wrapped(memory, 'availableBytes'),
      usageBytes: wrapped(memory, 'usageBytes'),
      rssBytes: wrapped(memory, 'rssBytes'),
      pageFaults: wrapped(memory, 'pageFaults'),
      majorPageFaults: wrapped(memory, 'majorPageFaults'),
    },
    writableLayer: layer && filesystemUsage(layer),
  };
}

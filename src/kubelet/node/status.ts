// Node status as upstream's kubelet computes it: capacity and allocatable
// from the machine (allocatable keeps back the memory and nodefs hard
// eviction thresholds), addresses, nodeInfo, images, the daemon endpoint,
// and the four conditions with upstream's reasons and messages (the
// pressure ones from the observed signals). Pure: the caller gathers the
// inputs.
import type { corev1 } from '../../api/types.js';
import { rfc3339 } from '../clock.js';
import type { Image, RuntimeStatus, RuntimeVersion } from '../cri/types.js';
import { canonical } from '../canonical.js';
import type { MachineInfo } from './machine.js';
import { pressureConditions, type WantedCondition } from './pressure.js';
import type { Observations } from './signals.js';
import { defaultEvictionHard, thresholdAmount, type EvictionSignal, type EvictionThresholds } from './thresholds.js';

export const maxPods = 110;
export const kubeletPort = 10250;
const maxImages = 50;
const maxNamesPerImage = 5;

export interface NodeStatusInput {
  machine: MachineInfo;
  nodeIps: string[];
  hostname: string;
  kubeletVersion: string;
  /** What the runtime said; an error message when it could not be asked. */
  runtime: { version: RuntimeVersion | undefined; status: RuntimeStatus | undefined; error: string | undefined };
  images: Image[];
  /** What the eviction signals see now, and their hard thresholds. */
  observed: Observations;
  thresholds: EvictionThresholds;
  /** Signals that crossed their threshold within the transition period (they keep their condition True). */
  recentPressure?: readonly EvictionSignal[];
  now: number;
  previous: corev1.NodeStatus | undefined;
}

const ki = (bytes: number): string => `${Math.floor(bytes / 1024)}Ki`;

export function nodeResources(
  machine: MachineInfo,
  thresholds: EvictionThresholds = defaultEvictionHard,
): { capacity: Record<string, string>; allocatable: Record<string, string> } {
  const base = { cpu: String(machine.cpus), 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', pods: String(maxPods) };
  const keptBack = (signal: 'memory.available' | 'nodefs.available', capacity: number): number => {
    const value = thresholds[signal];
    return value ? thresholdAmount(value, capacity) : 0;
  };
  const storage = machine.ephemeralStorageBytes;
  return {
    capacity: { ...base, 'ephemeral-storage': ki(storage), memory: ki(machine.memoryBytes) },
    allocatable: {
      ...base,
      'ephemeral-storage': String(Math.max(0, storage - keptBack('nodefs.available', storage))),
      memory: ki(Math.max(0, machine.memoryBytes - keptBack('memory.available', machine.memoryBytes))),
    },
  };
}

function conditionText(c: { type: string; status: boolean; reason: string; message: string }): string {
  return `${c.type}=${c.status} reason:${c.reason} message:${c.message}`;
}

/** Why the node is not ready (upstream's runtime errors), empty when it is. */
export function notReadyErrors(runtime: NodeStatusInput['runtime']): string[] {
  if (runtime.error !== undefined || runtime.status === undefined) return ['container runtime is down'];
  const errors: string[] = [];
  const find = (type: string) => runtime.status?.conditions.find((c) => c.type === type);
  const rt = find('RuntimeReady');
  if (!rt || !rt.status) errors.push(rt ? `container runtime not ready: ${conditionText(rt)}` : 'container runtime not ready: RuntimeReady condition missing');
  const net = find('NetworkReady');
  if (!net || !net.status) errors.push(net ? `container runtime network not ready: ${conditionText(net)}` : 'container runtime network not ready: NetworkReady condition missing');
  return errors;
}

/** The NetworkReady failure alone (host-network pods still run without it); undefined while the network is ready or unknown. */
export function networkError(runtime: NodeStatusInput['runtime']): string | undefined {
  const net = runtime.status?.conditions.find((c) => c.type === 'NetworkReady');
  if (!net || net.status) return undefined;
  return `container runtime network not ready: ${conditionText(net)}`;
}

/** The pressure conditions, then Ready. */
export function wantedConditions(runtime: NodeStatusInput['runtime'], pressure: WantedCondition[]): WantedCondition[] {
  const errors = notReadyErrors(runtime);
  const ready: WantedCondition =
    errors.length === 0
      ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }
      : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]` };
  return [...pressure, ready];
}

/** Heartbeat now; transition time kept while the status stays the same. */
export function stampConditions(wanted: WantedCondition[], previous: corev1.NodeCondition[] | undefined, now: number): corev1.NodeCondition[] {
  const at = rfc3339(now);
  return wanted.map((w) => {
    const old = previous?.find((c) => c.type === w.type);
    return { ...w, lastHeartbeatTime: at, lastTransitionTime: old && old.status === w.status && old.lastTransitionTime ? old.lastTransitionTime : at };
  });
}

export function nodeImages(images: Image[]): corev1.ContainerImage[] {
  return [...images]
    .sort((a, b) => b.size - a.size)
    .slice(0, maxImages)
    .map((image) => ({ names: [...image.repoDigests, ...image.repoTags].slice(0, maxNamesPerImage), sizeBytes: image.size }));
}

export function buildNodeStatus(input: NodeStatusInput): corev1.NodeStatus {
  const { machine, runtime } = input;
  const version = runtime.version;
  return {
    ...nodeResources(machine, input.thresholds),
    conditions: stampConditions(wantedConditions(runtime, pressureConditions(input.observed, input.thresholds, input.recentPressure)), input.previous?.conditions, input.now),
    addresses: [...input.nodeIps.map((address) => ({ type: 'InternalIP', address })), { type: 'Hostname', address: input.hostname.toLowerCase() }],
    daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
    nodeInfo: {
      machineID: machine.machineId,
      systemUUID: machine.systemUuid,
      bootID: machine.bootId,
      kernelVersion: machine.kernelVersion,
      osImage: machine.osImage,
      containerRuntimeVersion: version ? `${version.runtimeName}://${version.runtimeVersion}` : (input.previous?.nodeInfo?.containerRuntimeVersion ?? ''),
      kubeletVersion: input.kubeletVersion,
      kubeProxyVersion: input.kubeletVersion,
      operatingSystem: machine.operatingSystem,
      architecture: machine.architecture,
    },
    images: nodeImages(input.images),
  };
}

/** Whether `next` differs from `prev` in anything but heartbeat times. */
export function statusChanged(prev: corev1.NodeStatus | undefined, next: corev1.NodeStatus): boolean {
  if (!prev) return true;
  const strip = (s: corev1.NodeStatus) => ({ ...s, conditions: (s.conditions ?? []).map(({ lastHeartbeatTime: _, ...rest }) => rest) });
  return canonical(strip(prev)) !== canonical(strip(next));
}

// Where a pod's log, exec, attach or port-forward request goes: the pod's
// node, that node's kubelet address and port, and the kubelet path. The
// checks are upstream's, with its messages: the container must be named
// when the pod has several, must exist, and must have started.
import type { corev1 } from '../../api/types.js';
import { badRequest, notFound } from '../../machinery/index.js';

export type PodSubresource = 'log' | 'exec' | 'attach' | 'portforward';

export interface KubeletLocation {
  /** The pod's node. */
  nodeName: string;
  host: string;
  port: number;
  /** Path and query on the kubelet. */
  path: string;
}

/** The kubelet port a node reports, else upstream's default. */
export const defaultKubeletPort = 10250;

/** The query parameters passed on to the kubelet, per subresource. */
const forwarded: Readonly<Record<PodSubresource, readonly string[]>> = {
  log: ['follow', 'previous', 'timestamps', 'tailLines', 'sinceSeconds', 'sinceTime', 'limitBytes'],
  exec: ['command', 'stdin', 'stdout', 'stderr', 'tty'],
  attach: ['stdin', 'stdout', 'stderr', 'tty'],
  portforward: ['ports'],
};

function names(list: readonly { name: string }[] | undefined): string {
  return `[${(list ?? []).map((c) => c.name).join(' ')}]`;
}

/** The container a request addresses: the named one, or the only one. */
export function chooseContainer(pod: corev1.Pod, requested: string): string {
  const name = pod.metadata?.name ?? '';
  const spec = pod.spec;
  const all = [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...(spec?.ephemeralContainers ?? [])];
  if (requested === '') {
    const only = spec?.containers?.length === 1 ? spec.containers[0] : undefined;
    if (only) return only.name;
    let message = `a container name must be specified for pod ${name}, choose one of: ${names(spec?.containers)}`;
    if (spec?.initContainers?.length) message += ` or one of the init containers: ${names(spec.initContainers)}`;
    if (spec?.ephemeralContainers?.length) message += ` or one of the ephemeral containers: ${names(spec.ephemeralContainers)}`;
    throw badRequest(message);
  }
  if (!all.some((c) => c.name === requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
  return requested;
}

function containerStatus(pod: corev1.Pod, container: string): corev1.ContainerStatus | undefined {
  const s = pod.status;
  return [...(s?.containerStatuses ?? []), ...(s?.initContainerStatuses ?? []), ...(s?.ephemeralContainerStatuses ?? [])].find((c) => c.name === container);
}

/** Refuses a request for a container that has not started (for logs: that never ran, or has no previous instance). */
export function checkContainerStarted(pod: corev1.Pod, container: string, sub: PodSubresource, previous: boolean): void {
  const podName = pod.metadata?.name ?? '';
  const status = containerStatus(pod, container);
  const waiting = status === undefined ? 'ContainerCreating' : status.state?.waiting ? status.state.waiting.reason || 'ContainerCreating' : undefined;
  const ranBefore = status?.lastState?.terminated !== undefined;
  if (sub === 'log') {
    if (previous) {
      if (!ranBefore) throw badRequest(`previous terminated container "${container}" in pod "${podName}" not found`);
      return;
    }
    if (waiting !== undefined && !ranBefore) throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${waiting}`);
    return;
  }
  if (waiting !== undefined) throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${waiting}`);
  if (status?.state?.terminated) throw badRequest(`container "${container}" in pod "${podName}" is not running`);
}

/** The node's kubelet: its InternalIP (else its first address) and reported port. */
export function kubeletAddress(node: corev1.Node): { host: string; port: number } | undefined {
  const addresses = node.status?.addresses ?? [];
  const host = (addresses.find((a) => a.type === 'InternalIP') ?? addresses[0])?.address;
  if (!host) return undefined;
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port;
  return { host, port: port && port > 0 ? port : defaultKubeletPort };
}

export interface LocateInput {
  pod: corev1.Pod;
  sub: PodSubresource;
  query: URLSearchParams;
  /** Looks a node up by name. */
  node: corev1.Node | undefined;
}

/** The kubelet location for the request; throws the Status the client should see. */
export function kubeletLocation({ pod, sub, query, node }: LocateInput): KubeletLocation {
  const podName = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? '';
  const container = sub === 'portforward' ? '' : chooseContainer(pod, query.get('container') ?? '');
  const nodeName = pod.spec?.nodeName ?? '';
  if (nodeName === '') {
    if (sub === 'portforward') throw badRequest(`pod ${podName} does not have a host assigned`);
    throw badRequest(`container "${container}" in pod "${podName}" is waiting to start: ContainerCreating`);
  }
  if (sub !== 'portforward') checkContainerStarted(pod, container, sub, query.get('previous') === 'true' || query.get('previous') === '1');
  if (!node) throw notFound('nodes', nodeName);
  const address = kubeletAddress(node);
  if (!address) throw badRequest(`node ${nodeName} has no address to reach its kubelet at`);
  const out = new URLSearchParams();
  for (const key of forwarded[sub]) for (const v of query.getAll(key)) out.append(key, v);
  const qs = out.toString();
  const seg = (s: string) => encodeURIComponent(s);
  const base = sub === 'portforward' ? `/portForward/${seg(namespace)}/${seg(podName)}` : `/${sub === 'log' ? 'containerLogs' : sub}/${seg(namespace)}/${seg(podName)}/${seg(container)}`;
  return { nodeName, ...address, path: qs === '' ? base : `${base}?${qs}` };
}

// What the Endpoints and EndpointSlice controllers share: which services a
// pod belongs to (by selector, within its namespace), which pods count as
// endpoints, and how a Service port's targetPort resolves on a pod.
// Services without a selector are never managed: their endpoints belong to
// whoever wrote them (the apiserver writes the `kubernetes` Service's own).
import type { corev1 } from '../api/types.js';
import { objectKey } from '../client/index.js';
import { labelSelectorFromSet, type LabelMatcher } from '../machinery/index.js';
import type { Lister } from './controller.js';
import { isPodReady } from './pods.js';

type Pod = corev1.Pod;
type Service = corev1.Service;

/** The Service's pod selector, or undefined when it has none (not managed). */
export function serviceSelector(svc: Service): LabelMatcher | undefined {
  const sel = svc.spec?.selector;
  if (!sel || Object.keys(sel).length === 0) return undefined;
  return labelSelectorFromSet(sel);
}

export function isHeadless(svc: Service): boolean {
  return svc.spec?.clusterIP === 'None';
}

/** The pod's IPv4 address, if it has one. */
export function podIPv4(pod: Pod): string | undefined {
  const ips = [pod.status?.podIP, ...(pod.status?.podIPs ?? []).map((p) => p.ip)];
  return ips.find((ip): ip is string => typeof ip === 'string' && ip.includes('.'));
}

/** Has an address and is not terminal; terminating pods count only when `withTerminating`. */
export function podCounts(pod: Pod, withTerminating: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (!podIPv4(pod)) return false;
  return withTerminating || !pod.metadata?.deletionTimestamp;
}

/** Ready (or published regardless): the pod's address serves traffic. */
export function podServes(pod: Pod, svc: Service): boolean {
  return svc.spec?.publishNotReadyAddresses === true || isPodReady(pod);
}

/** The pods of `svc` in its namespace (no filtering by state). */
export function selectedPods(svc: Service, pods: Lister<Pod>): Pod[] {
  const selector = serviceSelector(svc);
  if (!selector) return [];
  return pods.list(svc.metadata?.namespace).filter((p) => selector.matches(p.metadata?.labels));
}

/**
 * The port number `port.targetPort` names on `pod`: a number as is, a name
 * looked up among the containers' ports with the same protocol; absent
 * targetPort means the service port itself. Undefined when the name is unknown.
 */
export function resolveTargetPort(pod: Pod, port: corev1.ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  const asNumber = Number(target);
  if (target !== '' && Number.isInteger(asNumber)) return asNumber;
  const protocol = port.protocol ?? 'TCP';
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
  }
  return undefined;
}

/** Resolved ports of `svc` on `pod`, in the service's order; ports that do not resolve are left out. */
export function resolvedPorts(pod: Pod, svc: Service): corev1.EndpointPort[] {
  const out: corev1.EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = resolveTargetPort(pod, sp);
    if (port === undefined) continue;
    out.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

export function podReference(pod: Pod): corev1.ObjectReference {
  return { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' };
}

/**
 * Enqueues service keys on service events, and on pod events the keys of
 * every service in the pod's namespace whose selector matches the pod's old
 * or new labels (the namespace index narrows the search).
 */
export function watchServiceTriggers(services: Lister<Service>, pods: Lister<Pod>, enqueue: (key: string) => void): void {
  services.addEventHandler({
    onAdd: (svc) => enqueue(objectKey(svc)),
    onUpdate: (_old, svc) => enqueue(objectKey(svc)),
    onDelete: (svc) => enqueue(objectKey(svc)),
  });
  const forPod = (...versions: Pod[]): void => {
    const keys = new Set<string>();
    for (const svc of services.list(versions[0]?.metadata?.namespace)) {
      const selector = serviceSelector(svc);
      if (selector && versions.some((p) => selector.matches(p.metadata?.labels))) keys.add(objectKey(svc));
    }
    keys.forEach(enqueue);
  };
  pods.addEventHandler({
    onAdd: (pod) => forPod(pod),
    onUpdate: (old, pod) => {
      if (old.metadata?.resourceVersion !== pod.metadata?.resourceVersion) forPod(old, pod);
    },
    onDelete: (pod) => forPod(pod),
  });
}

// What an object counts against a ResourceQuota (upstream's quota
// evaluators), shared by quota admission and the quota controller so both
// charge the same amounts. Every object counts once as `count/<resource>`;
// pods, services and persistent volume claims also count their compute,
// port and storage usage. Quota scopes (Terminating, BestEffort,
// PriorityClass, ...) decide which pods a quota tracks.
import type { corev1, KubeObject } from '../api/types.js';
import { parseQuantity } from './quantityparse.js';
import { addAmounts, maxQuantity, zeroQuantity, type ResourceAmounts } from './quantitymath.js';
import { newQuantity, type Quantity } from './quantity.js';

const one = (): Quantity => newQuantity(1n);

/** Reads a resource list; unparseable values are left out (validation reports them). */
export function readAmounts(list: Record<string, unknown> | undefined): ResourceAmounts {
  const out: ResourceAmounts = new Map();
  for (const [name, value] of Object.entries(list ?? {})) {
    try {
      if (typeof value === 'string' || typeof value === 'number') out.set(name, parseQuantity(String(value)));
    } catch {
      // invalid quantities are validation's to report
    }
  }
  return out;
}

function containerAmounts(containers: corev1.Container[] | undefined, field: 'requests' | 'limits'): ResourceAmounts[] {
  return (containers ?? []).map((c) => readAmounts(c.resources?.[field] as Record<string, unknown> | undefined));
}

function maxAmounts(a: ResourceAmounts, b: ResourceAmounts): ResourceAmounts {
  const out = new Map(a);
  for (const [name, q] of b) out.set(name, maxQuantity(out.get(name) ?? zeroQuantity, q));
  return out;
}

/**
 * A pod's effective requests or limits (upstream's PodRequests/PodLimits):
 * the sum over containers and restartable (sidecar) init containers, at least
 * the largest other init container plus the sidecars started before it,
 * plus the pod overhead.
 */
export function podAmounts(pod: corev1.Pod, field: 'requests' | 'limits'): ResourceAmounts {
  const spec = pod.spec;
  let sum: ResourceAmounts = new Map();
  for (const c of containerAmounts(spec?.containers, field)) sum = addAmounts(sum, c);
  let sidecars: ResourceAmounts = new Map();
  let initMax: ResourceAmounts = new Map();
  for (const init of spec?.initContainers ?? []) {
    const amounts = readAmounts(init.resources?.[field] as Record<string, unknown> | undefined);
    if (init.restartPolicy === 'Always') {
      sidecars = addAmounts(sidecars, amounts);
      initMax = maxAmounts(initMax, sidecars);
    } else {
      initMax = maxAmounts(initMax, addAmounts(sidecars, amounts));
    }
  }
  sum = maxAmounts(addAmounts(sum, sidecars), initMax);
  return addAmounts(sum, readAmounts(spec?.overhead as Record<string, unknown> | undefined));
}

/** True while a pod still holds compute resources: not terminal, and not past its deletion grace period. */
export function podHoldsResources(pod: corev1.Pod, now: Date): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const deletion = pod.metadata?.deletionTimestamp;
  if (deletion === undefined) return true;
  const grace = pod.metadata?.deletionGracePeriodSeconds ?? 0;
  return now.getTime() <= Date.parse(deletion) + grace * 1000;
}

function podUsage(pod: corev1.Pod, now: Date): ResourceAmounts {
  const usage: ResourceAmounts = new Map([['count/pods', one()]]);
  if (!podHoldsResources(pod, now)) return usage;
  usage.set('pods', one());
  for (const [name, q] of podAmounts(pod, 'requests')) {
    if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage') usage.set(name, q);
    usage.set(`requests.${name}`, q);
  }
  for (const [name, q] of podAmounts(pod, 'limits')) usage.set(`limits.${name}`, q);
  return usage;
}

function serviceUsage(svc: corev1.Service): ResourceAmounts {
  const usage: ResourceAmounts = new Map([['services', one()], ['count/services', one()]]);
  const type = svc.spec?.type ?? 'ClusterIP';
  const ports = BigInt((svc.spec?.ports ?? []).length);
  if (type === 'NodePort' || type === 'LoadBalancer') usage.set('services.nodeports', newQuantity(ports));
  else usage.set('services.nodeports', newQuantity(0n));
  usage.set('services.loadbalancers', newQuantity(type === 'LoadBalancer' ? 1n : 0n));
  return usage;
}

function claimUsage(pvc: corev1.PersistentVolumeClaim): ResourceAmounts {
  const usage: ResourceAmounts = new Map([['persistentvolumeclaims', one()], ['count/persistentvolumeclaims', one()]]);
  const storage = readAmounts(pvc.spec?.resources?.requests as Record<string, unknown> | undefined).get('storage');
  const className = pvc.spec?.storageClassName;
  if (className) usage.set(`${className}.storageclass.storage.k8s.io/persistentvolumeclaims`, one());
  if (storage !== undefined) {
    usage.set('requests.storage', storage);
    if (className) usage.set(`${className}.storageclass.storage.k8s.io/requests.storage`, storage);
  }
  return usage;
}

/** Core resources quotas have always counted by their plain name as well as `count/<resource>`. */
const legacyCounts = new Set(['configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas']);

/**
 * What one object of `gr` (`pods`, `deployments.apps`) uses, by quota
 * resource name. `now` decides whether a deleted pod still counts.
 */
export function objectUsage(gr: string, obj: KubeObject, now: Date): ResourceAmounts {
  switch (gr) {
    case 'pods':
      return podUsage(obj as corev1.Pod, now);
    case 'services':
      return serviceUsage(obj as corev1.Service);
    case 'persistentvolumeclaims':
      return claimUsage(obj as corev1.PersistentVolumeClaim);
  }
  const usage: ResourceAmounts = new Map([[`count/${gr}`, one()]]);
  if (legacyCounts.has(gr)) usage.set(gr, one());
  return usage;
}

/** The resource names a quota can track for objects of `gr`: which hard limits an object of it may touch. */
export function quotaResourceOf(name: string): string | undefined {
  if (name.startsWith('count/')) return name.slice('count/'.length);
  if (name === 'pods' || name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('requests.') || name.startsWith('limits.')) {
    return name === 'requests.storage' ? 'persistentvolumeclaims' : 'pods';
  }
  if (name.startsWith('services')) return 'services';
  if (name === 'persistentvolumeclaims' || name.includes('.storageclass.storage.k8s.io/')) return 'persistentvolumeclaims';
  if (legacyCounts.has(name)) return name;
  return undefined;
}

function isBestEffort(pod: corev1.Pod): boolean {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].every(
    (c) => Object.keys(c.resources?.requests ?? {}).length === 0 && Object.keys(c.resources?.limits ?? {}).length === 0,
  );
}

function scopeMatches(scope: string, operator: string, values: readonly string[], pod: corev1.Pod): boolean {
  switch (scope) {
    case 'Terminating':
      return pod.spec?.activeDeadlineSeconds !== undefined;
    case 'NotTerminating':
      return pod.spec?.activeDeadlineSeconds === undefined;
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass': {
      const name = pod.spec?.priorityClassName ?? '';
      if (operator === 'Exists') return name !== '';
      if (operator === 'DoesNotExist') return name === '';
      if (operator === 'NotIn') return !values.includes(name);
      return values.includes(name);
    }
    default:
      return false;
  }
}

/** True when a quota with these scopes tracks the object: scoped quotas track only pods that match every scope. */
export function quotaTracks(quota: corev1.ResourceQuota, gr: string, obj: KubeObject): boolean {
  const terms = [
    ...(quota.spec?.scopes ?? []).map((scope) => ({ scope, operator: 'Exists', values: [] as string[] })),
    ...(quota.spec?.scopeSelector?.matchExpressions ?? []).map((e) => ({ scope: e.scopeName, operator: e.operator, values: e.values ?? [] })),
  ];
  if (terms.length === 0) return true;
  if (gr !== 'pods') return false;
  return terms.every((t) => scopeMatches(t.scope, t.operator, t.values, obj as corev1.Pod));
}

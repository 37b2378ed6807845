// The metrics.k8s.io/v1beta1 objects, shaped as metrics-server serves
// them: NodeMetrics and PodMetrics with the measured object's name,
// namespace and labels, `timestamp` (end of the window), `window` (a Go
// duration string) and `usage` with CPU in nanocores and memory in bytes
// as canonical quantities.
import type { corev1 } from '../../api/types.js';
import { formatQuantity, newQuantity, QuantityFormat } from '../../machinery/index.js';
import type { ContainerUsage, Usage } from './rates.js';

export const metricsApiVersion = 'metrics.k8s.io/v1beta1';

/** A duration as Go's time.Duration prints it at millisecond precision: `0s`, `500ms`, `15.012s`, `1m0.5s`. */
export function goDuration(ms: number): string {
  const total = Math.round(ms);
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const rest = total % 60_000;
  const seconds = `${Math.floor(rest / 1000)}${rest % 1000 === 0 ? '' : `.${String(rest % 1000).padStart(3, '0').replace(/0+$/, '')}`}s`;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${seconds}`;
}

function usage(u: Pick<Usage, 'cpuCores' | 'memoryBytes'>): { cpu: string; memory: string } {
  return {
    cpu: formatQuantity(newQuantity(BigInt(Math.round(u.cpuCores * 1e9)), -9, QuantityFormat.DecimalSI)),
    memory: formatQuantity(newQuantity(BigInt(Math.round(u.memoryBytes)), 0, QuantityFormat.BinarySI)),
  };
}

function meta(obj: corev1.Node | corev1.Pod, now: Date): Record<string, unknown> {
  const m = obj.metadata ?? {};
  return {
    name: m.name ?? '',
    ...(m.namespace ? { namespace: m.namespace } : {}),
    creationTimestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(m.labels ? { labels: { ...m.labels } } : {}),
  };
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function nodeMetrics(node: corev1.Node, u: Usage, now: Date): Record<string, unknown> {
  return { metadata: meta(node, now), timestamp: stamp(u.timestampMs), window: goDuration(u.windowMs), usage: usage(u) };
}

/** A pod's metrics from its containers' (in the pod spec's order, unknown names last). */
export function podMetrics(pod: corev1.Pod, containers: readonly ContainerUsage[], now: Date): Record<string, unknown> {
  const order = (pod.spec?.containers ?? []).map((c) => c.name);
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  const sorted = [...containers].sort((a, b) => rank(a.container) - rank(b.container) || a.container.localeCompare(b.container));
  const latest = Math.max(...sorted.map((c) => c.timestampMs));
  const window = Math.min(...sorted.map((c) => c.windowMs));
  return {
    metadata: meta(pod, now),
    timestamp: stamp(latest),
    window: goDuration(window),
    containers: sorted.map((c) => ({ name: c.container, usage: usage(c) })),
  };
}

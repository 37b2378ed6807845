// The PodScheduled condition written on failure through pods/status (a
// strategic merge patch keyed by condition type), skipped when the pod
// already carries the same condition.
import type { corev1 } from '../api/types.js';
import { builtinRefs, resourcePath, type Client } from '../client/index.js';

export const reasonUnschedulable = 'Unschedulable';
export const reasonSchedulerError = 'SchedulerError';

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The condition to write, or undefined when the pod already has it (lastTransitionTime kept while status stays False). */
export function scheduledCondition(pod: corev1.Pod, reason: string, message: string, now: Date): corev1.PodCondition | undefined {
  const old = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (old && old.status === 'False' && old.reason === reason && old.message === message) return undefined;
  const since = old?.status === 'False' && old.lastTransitionTime ? old.lastTransitionTime : rfc3339(now);
  return { type: 'PodScheduled', status: 'False', reason, message, lastTransitionTime: since };
}

export async function writeUnschedulable(client: Client, pod: corev1.Pod, reason: string, message: string, nominatedNodeName?: string, now = new Date()): Promise<void> {
  const condition = scheduledCondition(pod, reason, message, now);
  const nominate = nominatedNodeName !== undefined && pod.status?.nominatedNodeName !== nominatedNodeName;
  if (!condition && !nominate) return;
  const status: Record<string, unknown> = {};
  if (condition) status['conditions'] = [condition];
  if (nominate) status['nominatedNodeName'] = nominatedNodeName;
  await client.pods.patch(pod.metadata?.name ?? '', { status }, { namespace: pod.metadata?.namespace, type: 'strategic', subresource: 'status' });
}

/** POST pods/binding: the API sets spec.nodeName and PodScheduled=True. */
export async function bindPod(client: Client, pod: corev1.Pod, node: string): Promise<void> {
  const name = pod.metadata?.name ?? '';
  const namespace = pod.metadata?.namespace ?? 'default';
  const binding = {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name, namespace, uid: pod.metadata?.uid },
    target: { apiVersion: 'v1', kind: 'Node', name: node },
  };
  await client.transport.request({ method: 'POST', path: resourcePath(builtinRefs.pods, { namespace, name, subresource: 'binding' }), body: binding });
}

// Informer events into the cache and the queue: assigned pods and nodes
// feed the cache (and may wake parked pods); this scheduler's pending pods
// feed the queue. Handlers only file and enqueue; they never call the API.
import type { corev1 } from '../api/types.js';
import type { InformerHandlers } from '../client/index.js';
import type { SchedulerCache } from './framework/cache.js';
import { isTerminal } from './framework/cache.js';
import { podKey, type SchedulingQueue } from './framework/queue.js';

export function isAssigned(pod: corev1.Pod): boolean {
  return !!pod.spec?.nodeName;
}

/** A pod this scheduler should place: its schedulerName, no node yet, not being deleted. */
export function isPending(pod: corev1.Pod, schedulerName: string): boolean {
  return !isAssigned(pod) && (pod.spec?.schedulerName ?? 'default-scheduler') === schedulerName && !pod.metadata?.deletionTimestamp && !isTerminal(pod);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function podHandlers(cache: SchedulerCache, queue: SchedulingQueue, schedulerName: string): InformerHandlers<corev1.Pod> {
  return {
    onAdd(pod) {
      cache.setNominated(pod);
      if (isAssigned(pod)) {
        cache.setPod(pod);
        queue.moveOnEvent('AssignedPodAdd');
      } else if (isPending(pod, schedulerName)) queue.add(pod);
    },
    onUpdate(old, pod) {
      if (old.status?.nominatedNodeName !== pod.status?.nominatedNodeName || isAssigned(pod) !== isAssigned(old)) cache.setNominated(pod);
      if (isAssigned(pod)) {
        if (!isAssigned(old)) queue.delete(pod);
        cache.setPod(pod);
        if (isTerminal(pod) && !isTerminal(old)) queue.moveOnEvent('AssignedPodDelete');
        else if (isAssigned(old) && !same(old.metadata?.labels, pod.metadata?.labels)) queue.moveOnEvent('AssignedPodUpdate');
      } else if (isPending(pod, schedulerName)) queue.update(pod);
      else queue.delete(pod);
    },
    onDelete(pod) {
      cache.clearNominated(podKey(pod));
      if (isAssigned(pod)) {
        cache.removePod(podKey(pod));
        queue.moveOnEvent('AssignedPodDelete');
      } else {
        queue.delete(pod);
        // Deleted before its binding showed: drop what this scheduler assumed.
        cache.removePod(podKey(pod));
      }
    },
  };
}

/** Whether a node change may let parked pods fit (labels, taints, capacity, cordon, images). */
function nodeChanged(old: corev1.Node, node: corev1.Node): boolean {
  return (
    !same(old.metadata?.labels, node.metadata?.labels) ||
    !same(old.spec?.taints, node.spec?.taints) ||
    old.spec?.unschedulable !== node.spec?.unschedulable ||
    !same(old.status?.allocatable, node.status?.allocatable) ||
    !same(old.status?.images, node.status?.images)
  );
}

export function nodeHandlers(cache: SchedulerCache, queue: SchedulingQueue): InformerHandlers<corev1.Node> {
  return {
    onAdd(node) {
      cache.setNode(node);
      queue.moveOnEvent('NodeAdd');
    },
    onUpdate(old, node) {
      cache.setNode(node);
      if (nodeChanged(old, node)) queue.moveOnEvent('NodeUpdate');
    },
    onDelete(node) {
      cache.removeNode(node.metadata?.name ?? '');
    },
  };
}

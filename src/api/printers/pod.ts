// Pods: Name, Ready, Status, Restarts, Age; wide IP, Node, Nominated Node,
// Readiness Gates. The first three cells are computed in podstatus.ts.
import type { corev1 } from '../types.js';
import { age } from './age.js';
import { ageColumn, column, definePrinter, nameColumn } from './columns.js';
import { summarizePod } from './podstatus.js';
import { list, text } from './read.js';

const columns = [
  nameColumn,
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageColumn,
  column('IP', 'string', 'The IP address allocated to the pod, routable at least within the cluster.', true),
  column('Node', 'string', 'The node the pod is scheduled onto.', true),
  column('Nominated Node', 'string', 'The node where the pod may run once preempted pods have left it.', true),
  column('Readiness Gates', 'string', 'Readiness gates met, out of those the pod declares.', true),
];

/** The first pod IP; `status.podIP` when only the singular field is set. */
function podIP(pod: corev1.Pod): string {
  const first = list(pod.status?.podIPs)[0];
  return text(first?.ip) || text(pod.status?.podIP) || '<none>';
}

/** `<true>/<declared>` over spec.readinessGates; `<none>` when none are declared. */
function readinessGates(pod: corev1.Pod): string {
  const gates = list(pod.spec?.readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = list(pod.status?.conditions);
  let met = 0;
  for (const gate of gates) {
    const condition = conditions.find((c) => c?.type === gate?.conditionType);
    if (condition?.status === 'True') met++;
  }
  return `${met}/${gates.length}`;
}

export const podPrinter = definePrinter<corev1.Pod>(columns, (pod, now) => {
  const summary = summarizePod(pod, now);
  return [
    text(pod.metadata?.name),
    summary.ready,
    summary.status,
    summary.restarts,
    age(pod.metadata?.creationTimestamp, now),
    podIP(pod),
    text(pod.spec?.nodeName) || '<none>',
    text(pod.status?.nominatedNodeName) || '<none>',
    readinessGates(pod),
  ];
});

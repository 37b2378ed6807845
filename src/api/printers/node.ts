// Nodes: Status from the Ready condition plus SchedulingDisabled when
// cordoned, Roles from role labels, Version from the kubelet.
import type { corev1 } from '../types.js';
import { age } from './age.js';
import { ageColumn, column, definePrinter, nameColumn } from './columns.js';
import { list, record, text } from './read.js';

const rolePrefix = 'node-role.kubernetes.io/';
const legacyRoleLabel = 'kubernetes.io/role';

/**
 * `Ready` or `NotReady` (any Ready status but True), `Unknown` without a
 * Ready condition, then `SchedulingDisabled` when spec.unschedulable.
 * The last Ready condition listed wins, as upstream reads them into a map.
 */
export function nodeStatus(node: corev1.Node): string {
  const ready = list(node.status?.conditions).filter((c) => c?.type === 'Ready').at(-1);
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable === true) status.push('SchedulingDisabled');
  return status.join(',');
}

/**
 * Roles: each `node-role.kubernetes.io/<role>` label key suffix and the
 * value of a non-empty `kubernetes.io/role` label, de-duplicated and
 * sorted; `<none>` without any.
 */
export function nodeRoles(node: corev1.Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(record(node.metadata?.labels))) {
    if (key.startsWith(rolePrefix)) {
      const role = key.slice(rolePrefix.length);
      if (role !== '') roles.add(role);
    } else if (key === legacyRoleLabel && text(value) !== '') {
      roles.add(text(value));
    }
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

/** The first address of the type, or `<none>`. */
function address(node: corev1.Node, type: string): string {
  const found = list(node.status?.addresses).find((a) => a?.type === type);
  return found ? text(found.address) : '<none>';
}

export const nodePrinter = definePrinter<corev1.Node>(
  [
    nameColumn,
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn,
    column('Version', 'string', 'Kubelet version reported by the node.'),
    column('Internal-IP', 'string', 'The internal IP address of the node.', true),
    column('External-IP', 'string', 'The external IP address of the node.', true),
    column('OS-Image', 'string', 'OS image reported by the node from /etc/os-release.', true),
    column('Kernel-Version', 'string', 'Kernel version reported by the node from uname -r.', true),
    column('Container-Runtime', 'string', 'Container runtime version reported by the node through the runtime remote API.', true),
  ],
  (node, now) => {
    const info = node.status?.nodeInfo;
    return [
      text(node.metadata?.name),
      nodeStatus(node),
      nodeRoles(node),
      age(node.metadata?.creationTimestamp, now),
      text(info?.kubeletVersion),
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      text(info?.osImage) || '<unknown>',
      text(info?.kernelVersion) || '<unknown>',
      text(info?.containerRuntimeVersion) || '<unknown>',
    ];
  },
);

// Namespaces, ConfigMaps, Secrets, ServiceAccounts, ResourceQuotas and
// ComponentStatuses.
import type { corev1 } from '../types.js';
import { age } from './age.js';
import { ageColumn, column, definePrinter, nameColumn } from './columns.js';
import { list, record, scalar, size, text } from './read.js';

export const namespacePrinter = definePrinter<corev1.Namespace>(
  [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn],
  (ns, now) => [text(ns.metadata?.name), text(ns.status?.phase), age(ns.metadata?.creationTimestamp, now)],
);

export const configMapPrinter = definePrinter<corev1.ConfigMap>(
  [nameColumn, column('Data', 'string', 'Number of keys in data and binaryData.'), ageColumn],
  (cm, now) => [text(cm.metadata?.name), size(cm.data) + size(cm.binaryData), age(cm.metadata?.creationTimestamp, now)],
);

export const secretPrinter = definePrinter<corev1.Secret>(
  [nameColumn, column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'), column('Data', 'string', 'Number of keys in data.'), ageColumn],
  (s, now) => [text(s.metadata?.name), text(s.type), size(s.data), age(s.metadata?.creationTimestamp, now)],
);

export const serviceAccountPrinter = definePrinter<corev1.ServiceAccount>(
  [nameColumn, column('Secrets', 'string', 'Number of secrets listed in the service account.'), ageColumn],
  (sa, now) => [text(sa.metadata?.name), list(sa.secrets).length, age(sa.metadata?.creationTimestamp, now)],
);

/**
 * Request and Limit: `resource: used/hard` for each hard limit, sorted by
 * resource name; `limits.*` resources go to Limit, the rest to Request.
 * A resource with no usage recorded yet shows 0 used.
 */
function quotaCells(q: corev1.ResourceQuota): [request: string, limit: string] {
  const hard = record(q.status?.hard);
  const used = record(q.status?.used);
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const entry = `${name}: ${scalar(used[name]) || '0'}/${scalar(hard[name]) || '0'}`;
    const dot = name.indexOf('.');
    (dot > 0 && name.slice(0, dot) === 'limits' ? limit : request).push(entry);
  }
  return [request.join(', '), limit.join(', ')];
}

export const resourceQuotaPrinter = definePrinter<corev1.ResourceQuota>(
  [
    nameColumn,
    column('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    column('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
    ageColumn,
  ],
  (q, now) => [text(q.metadata?.name), ...quotaCells(q), age(q.metadata?.creationTimestamp, now)],
);

export const componentStatusPrinter = definePrinter<corev1.ComponentStatus>(
  [
    nameColumn,
    column('Status', 'string', 'Status of the component conditions'),
    column('Message', 'string', 'Message of the component conditions'),
    column('Error', 'string', 'Error of the component conditions'),
  ],
  (cs) => {
    const healthy = list(cs.conditions).find((c) => c?.type === 'Healthy');
    const status = healthy ? (healthy.status === 'True' ? 'Healthy' : 'Unhealthy') : 'Unknown';
    return [text(cs.metadata?.name), status, text(healthy?.message), text(healthy?.error)];
  },
);

// Which kinds a protobuf body may carry, by the envelope's apiVersion: the
// kinds kubectl's typed commands and client-go's typed clients send. A kind
// not listed here has no table and its body is refused as an unknown format.
import type { MessageSpec } from './schema.js';
import { messages, type protobufPackages } from './messages.js';

const kinds: Readonly<Record<string, { package: keyof typeof protobufPackages; kinds: readonly string[] }>> = {
  v1: { package: 'core/v1', kinds: ['Namespace', 'ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'ResourceQuota', 'Binding'] },
  'apps/v1': { package: 'apps/v1', kinds: ['Deployment'] },
  'batch/v1': { package: 'batch/v1', kinds: ['Job', 'CronJob'] },
  'rbac.authorization.k8s.io/v1': { package: 'rbac/v1', kinds: ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'] },
  'scheduling.k8s.io/v1': { package: 'scheduling/v1', kinds: ['PriorityClass'] },
  'policy/v1': { package: 'policy/v1', kinds: ['PodDisruptionBudget', 'Eviction'] },
  'networking.k8s.io/v1': { package: 'networking/v1', kinds: ['Ingress'] },
  'autoscaling/v1': { package: 'autoscaling/v1', kinds: ['HorizontalPodAutoscaler', 'Scale'] },
  'autoscaling/v2': { package: 'autoscaling/v2', kinds: ['HorizontalPodAutoscaler'] },
  'authentication.k8s.io/v1': { package: 'authentication/v1', kinds: ['TokenRequest', 'TokenReview', 'SelfSubjectReview'] },
  'authorization.k8s.io/v1': {
    package: 'authorization/v1',
    kinds: ['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview', 'LocalSubjectAccessReview'],
  },
};

/**
 * Kinds every group-version carries, as upstream registers them into each
 * (client-go's typed delete sends DeleteOptions under the resource's own
 * apiVersion). Their shape does not depend on the version.
 */
const everyVersion: Readonly<Record<string, string>> = { DeleteOptions: 'meta/v1.DeleteOptions' };

/** The root message of `kind` in `apiVersion`, or undefined when no table decodes it. */
export function protobufMessageFor(apiVersion: string, kind: string): MessageSpec | undefined {
  if (Object.hasOwn(everyVersion, kind)) return messages.get(everyVersion[kind] ?? '');
  const entry = Object.hasOwn(kinds, apiVersion) ? kinds[apiVersion] : undefined;
  if (!entry || !entry.kinds.includes(kind)) return undefined;
  return messages.get(`${entry.package}.${kind}`);
}

/** Every apiVersion/kind with a table of its own (for tests and documentation); DeleteOptions is in every version. */
export function protobufKinds(): { apiVersion: string; kind: string }[] {
  return Object.entries(kinds).flatMap(([apiVersion, entry]) => entry.kinds.map((kind) => ({ apiVersion, kind })));
}

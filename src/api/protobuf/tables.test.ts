import t from 'tap';
import { builtinRegistry } from '../builtin.js';
import { protobufKinds, protobufMessageFor } from './kinds.js';
import { messages, protobufPackages } from './messages.js';
import { compileTables, parseField, wellKnownTypes, type MessageSpec } from './schema.js';

t.test('every table compiles: references resolve, field numbers are unique', async (t) => {
  t.ok(messages.size > 200, `${messages.size} messages`);
  t.doesNotThrow(() => compileTables(protobufPackages));
  for (const name of wellKnownTypes) t.ok(messages.has(`wellKnown.${name}`), `wire shape of ${name}`);
});

t.test('every kind with a table is served by the registry, as a resource or a subresource kind', async (t) => {
  const registry = builtinRegistry();
  for (const { apiVersion, kind } of protobufKinds()) {
    const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
    const served =
      registry.byKind({ group, version, kind }) !== undefined ||
      registry.resources.some((def) => def.subresources.some((s) => s.kind.kind === kind && s.kind.group === group && s.kind.version === version));
    t.ok(served, `${apiVersion} ${kind}`);
    t.ok(protobufMessageFor(apiVersion, kind), `${apiVersion} ${kind} has a root message`);
  }
});

t.test('the kinds typed kubectl commands send all have tables', async (t) => {
  const sent = [
    ['v1', 'Namespace'], ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'Service'], ['v1', 'ServiceAccount'], ['v1', 'ResourceQuota'],
    ['apps/v1', 'Deployment'], ['batch/v1', 'Job'], ['batch/v1', 'CronJob'],
    ['rbac.authorization.k8s.io/v1', 'Role'], ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole'], ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
    ['scheduling.k8s.io/v1', 'PriorityClass'], ['policy/v1', 'PodDisruptionBudget'], ['networking.k8s.io/v1', 'Ingress'],
    ['autoscaling/v1', 'HorizontalPodAutoscaler'], ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    ['authentication.k8s.io/v1', 'TokenRequest'], ['authentication.k8s.io/v1', 'SelfSubjectReview'],
    ['authorization.k8s.io/v1', 'SelfSubjectAccessReview'], ['authorization.k8s.io/v1', 'SelfSubjectRulesReview'],
  ] as const;
  for (const [apiVersion, kind] of sent) t.ok(protobufMessageFor(apiVersion, kind), `${apiVersion} ${kind}`);
});

t.test('every root kind has metadata as field 1, as all Kubernetes objects do', async (t) => {
  for (const { apiVersion, kind } of protobufKinds()) {
    const spec = protobufMessageFor(apiVersion, kind) as MessageSpec;
    t.match(spec.byNumber.get(1), { json: 'metadata', type: { kind: 'message', id: 'meta/v1.ObjectMeta' } }, `${apiVersion} ${kind}`);
  }
});

t.test('the notation', async (t) => {
  t.match(parseField('replicas', '1 *int32', 'apps/v1'), { json: 'replicas', number: 1, pointer: true, type: { kind: 'scalar', scalar: 'int32' } });
  t.match(parseField('value', '2 int32!', 'scheduling/v1'), { always: true, pointer: false });
  t.match(parseField('labels', '11 map[string]string', 'meta/v1'), { map: true, type: { scalar: 'string' } });
  t.match(parseField('ports', '6 []ContainerPort', 'core/v1'), { repeated: true, type: { kind: 'message', id: 'core/v1.ContainerPort' } });
  t.match(parseField('template', '3 core/v1.PodTemplateSpec', 'apps/v1'), { type: { kind: 'message', id: 'core/v1.PodTemplateSpec' } });
  t.match(parseField('(inline)', '2 VolumeSource', 'core/v1'), { json: '' });
  t.match(parseField('time', '4 *Time', 'meta/v1'), { pointer: true, type: { kind: 'wellKnown', name: 'Time' } });
  for (const bad of ['one string', '1', '1 []', '1 *Thing', '1 Thing!', '1 []string!', '1 map[int]string']) {
    t.throws(() => parseField('x', bad, 'test'), bad);
  }
  t.throws(() => parseField('(inline)', '1 string', 'test'), 'inline must be a message');
  t.throws(() => compileTables({ test: { A: { a: '1 string', b: '1 string' } } }), /used twice/);
  t.throws(() => compileTables({ test: { A: { a: '1 Missing' } } }), /unknown message test\.Missing/);
});

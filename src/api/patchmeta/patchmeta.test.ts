import t from 'tap';
import { builtinResources } from '../resources/index.js';
import { patchMetaAt, patchMetaFor, unknownPatchMeta } from './index.js';

function at(group: string, kind: string, path: string): { strategies: readonly string[]; mergeKey: string; type: string } {
  const meta = patchMetaFor(group, kind);
  if (meta === undefined) throw new Error(`no patch metadata for ${group}/${kind}`);
  const field = patchMetaAt(meta, path.split('.'));
  return { strategies: field.strategies, mergeKey: field.mergeKey, type: field.meta.name };
}

t.test('every stored built-in kind has patch metadata', async (t) => {
  for (const def of builtinResources) {
    if (!def.stored || !def.verbs.includes('patch')) continue;
    t.ok(patchMetaFor(def.group, def.kind), `${def.group}/${def.kind}`);
  }
  t.ok(patchMetaFor('autoscaling', 'Scale'), 'the scale subresource kind');
});

t.test('kinds that are not built in have none', async (t) => {
  t.equal(patchMetaFor('example.com', 'Widget'), undefined);
  t.equal(patchMetaFor('', 'Deployment'), undefined, 'the group is part of the lookup');
});

t.test('lists merged by key, as upstream tags them', async (t) => {
  const cases: [string, string, string, string, string][] = [
    ['', 'Pod', 'spec.containers', 'name', 'Container'],
    ['', 'Pod', 'spec.initContainers', 'name', 'Container'],
    ['', 'Pod', 'spec.ephemeralContainers', 'name', 'EphemeralContainer'],
    ['', 'Pod', 'spec.containers.env', 'name', 'EnvVar'],
    ['', 'Pod', 'spec.containers.ports', 'containerPort', 'ContainerPort'],
    ['', 'Pod', 'spec.containers.volumeMounts', 'mountPath', 'VolumeMount'],
    ['', 'Pod', 'spec.containers.volumeDevices', 'devicePath', 'VolumeDevice'],
    ['', 'Pod', 'spec.ephemeralContainers.env', 'name', 'EnvVar'],
    ['', 'Pod', 'spec.imagePullSecrets', 'name', 'LocalObjectReference'],
    ['', 'Pod', 'spec.hostAliases', 'ip', 'HostAlias'],
    ['', 'Pod', 'spec.topologySpreadConstraints', 'topologyKey', 'TopologySpreadConstraint'],
    ['', 'Pod', 'spec.schedulingGates', 'name', 'PodSchedulingGate'],
    ['', 'Pod', 'status.conditions', 'type', 'PodCondition'],
    ['', 'Pod', 'status.podIPs', 'ip', 'PodIP'],
    ['', 'Pod', 'status.hostIPs', 'ip', 'HostIP'],
    ['', 'Pod', 'metadata.ownerReferences', 'uid', 'OwnerReference'],
    ['', 'Service', 'spec.ports', 'port', 'ServicePort'],
    ['', 'Service', 'status.conditions', 'type', 'Condition'],
    ['', 'ServiceAccount', 'secrets', 'name', 'ObjectReference'],
    ['', 'Node', 'status.conditions', 'type', 'NodeCondition'],
    ['', 'Node', 'status.addresses', 'type', 'NodeAddress'],
    ['', 'Namespace', 'status.conditions', 'type', 'NamespaceCondition'],
    ['', 'PersistentVolumeClaim', 'status.conditions', 'type', 'PersistentVolumeClaimCondition'],
    ['', 'ReplicationController', 'spec.template.spec.containers', 'name', 'Container'],
    ['', 'ComponentStatus', 'conditions', 'type', 'ComponentCondition'],
    ['', 'PodTemplate', 'template.spec.containers', 'name', 'Container'],
    ['apps', 'Deployment', 'spec.template.spec.containers.env', 'name', 'EnvVar'],
    ['apps', 'Deployment', 'status.conditions', 'type', 'DeploymentCondition'],
    ['apps', 'StatefulSet', 'spec.template.spec.containers', 'name', 'Container'],
    ['apps', 'DaemonSet', 'status.conditions', 'type', 'DaemonSetCondition'],
    ['apps', 'ReplicaSet', 'spec.template.metadata.ownerReferences', 'uid', 'OwnerReference'],
    ['batch', 'Job', 'status.conditions', 'type', 'JobCondition'],
    ['batch', 'CronJob', 'spec.jobTemplate.spec.template.spec.containers.ports', 'containerPort', 'ContainerPort'],
    ['autoscaling', 'HorizontalPodAutoscaler', 'status.conditions', 'type', 'HorizontalPodAutoscalerCondition'],
    ['policy', 'PodDisruptionBudget', 'status.conditions', 'type', 'Condition'],
  ];
  for (const [group, kind, path, key, type] of cases) {
    t.same(at(group, kind, path), { strategies: ['merge'], mergeKey: key, type }, `${group}/${kind} ${path}`);
  }
});

t.test('retainKeys, replace and primitive sets', async (t) => {
  t.same(at('', 'Pod', 'spec.volumes'), { strategies: ['merge', 'retainKeys'], mergeKey: 'name', type: 'Volume' });
  t.same(at('', 'Pod', 'spec.resourceClaims'), { strategies: ['merge', 'retainKeys'], mergeKey: 'name', type: 'PodResourceClaim' });
  t.same(at('', 'Pod', 'status.resourceClaimStatuses'), { strategies: ['merge', 'retainKeys'], mergeKey: 'name', type: 'PodResourceClaimStatus' });
  t.same(at('apps', 'Deployment', 'spec.strategy'), { strategies: ['retainKeys'], mergeKey: '', type: 'DeploymentStrategy' });
  t.same(at('policy', 'PodDisruptionBudget', 'spec.selector'), { strategies: ['replace'], mergeKey: '', type: 'LabelSelector' });
  t.same(at('', 'ConfigMap', 'metadata.finalizers'), { strategies: ['merge'], mergeKey: '', type: 'unknown' });
  t.same(at('', 'Node', 'spec.podCIDRs'), { strategies: ['merge'], mergeKey: '', type: 'unknown' });
});

t.test('an ephemeral volume claim template reaches ObjectMeta', async (t) => {
  t.same(at('', 'Pod', 'spec.volumes.ephemeral.volumeClaimTemplate.metadata.ownerReferences').mergeKey, 'uid');
});

t.test('lists without a strategy and unknown fields have no metadata', async (t) => {
  const none = { strategies: [], mergeKey: '', type: 'unknown' };
  t.same(at('', 'Pod', 'spec.tolerations'), none);
  t.same(at('', 'Pod', 'spec.containers.args'), none);
  t.same(at('', 'Pod', 'status.containerStatuses'), none);
  t.same(at('', 'Pod', 'spec.containers.resources.claims'), none);
  t.same(at('', 'Namespace', 'spec.finalizers'), none);
  t.same(at('apps', 'Deployment', 'spec.selector.matchExpressions'), none);
  t.same(at('apps', 'StatefulSet', 'spec.volumeClaimTemplates'), none);
  t.same(at('certificates.k8s.io', 'CertificateSigningRequest', 'status.conditions'), none);
  t.same(at('', 'Pod', 'no.such.field'), none);
  t.equal(unknownPatchMeta.field('x').meta, unknownPatchMeta);
});

t.test('navigators are frozen', async (t) => {
  const meta = patchMetaFor('', 'Pod');
  t.ok(meta && Object.isFrozen(meta));
  t.ok(Object.isFrozen(patchMetaAt(meta ?? unknownPatchMeta, ['spec', 'containers'])));
});

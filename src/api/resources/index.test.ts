import t from 'tap';
import { crudVerbs } from '../registry/types.js';
import { builtinResources } from './index.js';

const find = (group: string, version: string, resource: string) =>
  builtinResources.find((d) => d.group === group && d.version === version && d.resource === resource);

t.test('every built-in resource with its kind, scope, short names and categories', async (t) => {
  // group, version, resource, kind, namespaced, shortNames, categories
  const cases: [string, string, string, string, boolean, string[], string[]][] = [
    ['', 'v1', 'bindings', 'Binding', true, [], []],
    ['', 'v1', 'componentstatuses', 'ComponentStatus', false, ['cs'], []],
    ['', 'v1', 'configmaps', 'ConfigMap', true, ['cm'], []],
    ['', 'v1', 'endpoints', 'Endpoints', true, ['ep'], []],
    ['', 'v1', 'events', 'Event', true, ['ev'], []],
    ['', 'v1', 'limitranges', 'LimitRange', true, ['limits'], []],
    ['', 'v1', 'namespaces', 'Namespace', false, ['ns'], []],
    ['', 'v1', 'nodes', 'Node', false, ['no'], []],
    ['', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, ['pvc'], []],
    ['', 'v1', 'persistentvolumes', 'PersistentVolume', false, ['pv'], []],
    ['', 'v1', 'pods', 'Pod', true, ['po'], ['all']],
    ['', 'v1', 'podtemplates', 'PodTemplate', true, [], []],
    ['', 'v1', 'replicationcontrollers', 'ReplicationController', true, ['rc'], ['all']],
    ['', 'v1', 'resourcequotas', 'ResourceQuota', true, ['quota'], []],
    ['', 'v1', 'secrets', 'Secret', true, [], []],
    ['', 'v1', 'serviceaccounts', 'ServiceAccount', true, ['sa'], []],
    ['', 'v1', 'services', 'Service', true, ['svc'], ['all']],
    ['apps', 'v1', 'controllerrevisions', 'ControllerRevision', true, [], []],
    ['apps', 'v1', 'daemonsets', 'DaemonSet', true, ['ds'], ['all']],
    ['apps', 'v1', 'deployments', 'Deployment', true, ['deploy'], ['all']],
    ['apps', 'v1', 'replicasets', 'ReplicaSet', true, ['rs'], ['all']],
    ['apps', 'v1', 'statefulsets', 'StatefulSet', true, ['sts'], ['all']],
    ['batch', 'v1', 'cronjobs', 'CronJob', true, ['cj'], ['all']],
    ['batch', 'v1', 'jobs', 'Job', true, [], ['all']],
    ['coordination.k8s.io', 'v1', 'leases', 'Lease', true, [], []],
    ['discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true, [], []],
    ['events.k8s.io', 'v1', 'events', 'Event', true, ['ev'], []],
    ['networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', false, [], []],
    ['networking.k8s.io', 'v1', 'ingresses', 'Ingress', true, ['ing'], []],
    ['networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, ['netpol'], []],
    ['policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb'], []],
    ['rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false, [], []],
    ['rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false, [], []],
    ['rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true, [], []],
    ['rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true, [], []],
    ['storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', false, ['sc'], []],
    ['apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false, ['crd', 'crds'], ['api-extensions']],
    ['scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', false, ['pc'], []],
    ['autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa'], ['all']],
    ['autoscaling', 'v1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa'], ['all']],
    ['authentication.k8s.io', 'v1', 'selfsubjectreviews', 'SelfSubjectReview', false, [], []],
    ['authentication.k8s.io', 'v1', 'tokenreviews', 'TokenReview', false, [], []],
    ['authorization.k8s.io', 'v1', 'localsubjectaccessreviews', 'LocalSubjectAccessReview', true, [], []],
    ['authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, [], []],
    ['authorization.k8s.io', 'v1', 'selfsubjectrulesreviews', 'SelfSubjectRulesReview', false, [], []],
    ['authorization.k8s.io', 'v1', 'subjectaccessreviews', 'SubjectAccessReview', false, [], []],
    ['certificates.k8s.io', 'v1', 'certificatesigningrequests', 'CertificateSigningRequest', false, ['csr'], []],
    ['metrics.k8s.io', 'v1beta1', 'nodes', 'NodeMetrics', false, [], []],
    ['metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics', true, [], []],
  ];
  t.equal(builtinResources.length, cases.length, 'nothing declared beyond the list');
  for (const [group, version, resource, kind, namespaced, shortNames, categories] of cases) {
    const def = find(group, version, resource);
    const name = `${group || 'core'}/${version} ${resource}`;
    if (!def) {
      t.fail(`${name} declared`);
      continue;
    }
    t.same(
      { kind: def.kind, listKind: def.listKind, singular: def.singular, namespaced: def.namespaced, shortNames: def.shortNames, categories: def.categories },
      { kind, listKind: `${kind}List`, singular: kind.toLowerCase(), namespaced, shortNames, categories },
      name,
    );
  }
});

t.test('the `all` category holds exactly the workloads kubectl get all shows', async (t) => {
  const all = builtinResources.filter((d) => d.categories.includes('all')).map((d) => `${d.resource}.${d.group}/${d.version}`);
  t.same(all.sort(), [
    'cronjobs.batch/v1',
    'daemonsets.apps/v1',
    'deployments.apps/v1',
    'horizontalpodautoscalers.autoscaling/v1',
    'horizontalpodautoscalers.autoscaling/v2',
    'jobs.batch/v1',
    'pods./v1',
    'replicasets.apps/v1',
    'replicationcontrollers./v1',
    'services./v1',
    'statefulsets.apps/v1',
  ]);
});

t.test('verbs: CRUD by default, fewer where upstream serves fewer', async (t) => {
  t.same(find('', 'v1', 'pods')?.verbs, crudVerbs);
  t.same(find('', 'v1', 'namespaces')?.verbs, ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], 'no deletecollection on namespaces');
  t.same(find('', 'v1', 'bindings')?.verbs, ['create']);
  t.same(find('', 'v1', 'componentstatuses')?.verbs, ['get', 'list']);
  for (const d of builtinResources.filter((d) => d.group === 'authentication.k8s.io' || d.group === 'authorization.k8s.io')) {
    t.same(d.verbs, ['create'], `${d.resource} create only`);
    t.equal(d.stored, false, `${d.resource} never stored`);
  }
  t.equal(builtinResources.filter((d) => !d.stored).length, 8, 'only the reviews and the metrics views are unstored');
  t.same(find('metrics.k8s.io', 'v1beta1', 'pods')?.verbs, ['get', 'list'], 'metrics are read-only');
});

t.test('subresources with their response kinds and verbs', async (t) => {
  const subs = (group: string, resource: string) =>
    Object.fromEntries(
      (find(group, group === 'autoscaling' ? 'v2' : 'v1', resource)?.subresources ?? []).map((s) => [
        s.name,
        `${s.kind.group}/${s.kind.version} ${s.kind.kind} ${s.verbs.join(',')}`,
      ]),
    );
  t.same(subs('', 'pods'), {
    attach: '/v1 PodAttachOptions create,get',
    binding: '/v1 Binding create',
    ephemeralcontainers: '/v1 Pod get,patch,update',
    eviction: 'policy/v1 Eviction create',
    exec: '/v1 PodExecOptions create,get',
    log: '/v1 Pod get',
    portforward: '/v1 PodPortForwardOptions create,get',
    proxy: '/v1 PodProxyOptions create,delete,get,patch,update',
    status: '/v1 Pod get,patch,update',
  });
  t.same(subs('', 'namespaces'), { finalize: '/v1 Namespace update', status: '/v1 Namespace get,patch,update' });
  t.same(subs('', 'nodes'), { proxy: '/v1 NodeProxyOptions create,delete,get,patch,update', status: '/v1 Node get,patch,update' });
  t.same(subs('', 'services'), { proxy: '/v1 ServiceProxyOptions create,delete,get,patch,update', status: '/v1 Service get,patch,update' });
  t.same(subs('', 'serviceaccounts'), { token: 'authentication.k8s.io/v1 TokenRequest create' });
  t.same(subs('', 'replicationcontrollers'), { scale: 'autoscaling/v1 Scale get,patch,update', status: '/v1 ReplicationController get,patch,update' });
  for (const r of ['deployments', 'replicasets', 'statefulsets']) {
    t.equal(subs('apps', r).scale, 'autoscaling/v1 Scale get,patch,update', `${r}/scale`);
  }
  t.same(Object.keys(subs('apps', 'daemonsets')), ['status']);
  t.same(subs('certificates.k8s.io', 'certificatesigningrequests'), {
    approval: 'certificates.k8s.io/v1 CertificateSigningRequest get,patch,update',
    status: 'certificates.k8s.io/v1 CertificateSigningRequest get,patch,update',
  });
  t.same(subs('autoscaling', 'horizontalpodautoscalers'), { status: 'autoscaling/v2 HorizontalPodAutoscaler get,patch,update' });
  for (const [group, r] of [['', 'persistentvolumes'], ['', 'persistentvolumeclaims'], ['', 'resourcequotas'], ['batch', 'jobs'], ['batch', 'cronjobs'], ['networking.k8s.io', 'ingresses'], ['policy', 'poddisruptionbudgets']] as const) {
    t.same(Object.keys(subs(group, r)), ['status'], `${r} has status only`);
  }
});

t.test('groups appear in upstream discovery order, autoscaling v2 before v1', async (t) => {
  const order: string[] = [];
  for (const d of builtinResources) {
    const gv = `${d.group}/${d.version}`;
    if (!order.includes(gv)) order.push(gv);
  }
  t.same(order, [
    '/v1',
    'apps/v1',
    'events.k8s.io/v1',
    'authentication.k8s.io/v1',
    'authorization.k8s.io/v1',
    'autoscaling/v2',
    'autoscaling/v1',
    'batch/v1',
    'certificates.k8s.io/v1',
    'networking.k8s.io/v1',
    'policy/v1',
    'rbac.authorization.k8s.io/v1',
    'storage.k8s.io/v1',
    'apiextensions.k8s.io/v1',
    'scheduling.k8s.io/v1',
    'coordination.k8s.io/v1',
    'discovery.k8s.io/v1',
    'metrics.k8s.io/v1beta1',
  ]);
});

t.test('printers and defaulters are left to the registry', async (t) => {
  t.ok(builtinResources.every((d) => d.printer === undefined && d.defaulter === undefined));
});

import t from 'tap';
import type { KubeObject } from '../../api/types.js';
import { createErrors, updateErrors } from './objects.fixture.js';

const m = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), uid: 'u', creationTimestamp: '2025-01-01T00:00:00Z' });

t.test('namespaces and nodes', async (t) => {
  t.same(createErrors('namespaces', false, { metadata: m('a'), spec: { finalizers: ['custom'] } }), [
    'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
  ]);
  t.same(createErrors('nodes', false, { metadata: m('n1'), spec: { taints: [{ key: 'k', effect: 'Sometimes' }, { key: 'k', effect: 'NoSchedule' }, { key: 'k', effect: 'NoSchedule' }] } }), [
    'metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    'metadata.taints[2]: Duplicate value: {"key":"k","effect":"NoSchedule"}: taints must be unique by key and effect pair',
  ]);
  t.same(createErrors('nodes', false, { metadata: m('n1'), spec: { podCIDRs: ['10.42.0.0/33'] } }), ['spec.podCIDRs[0]: Invalid value: "10.42.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']);
  const node: KubeObject = { metadata: m('n1'), spec: { podCIDR: '10.42.0.0/24', providerID: 'k3s://n1' } };
  t.same(updateErrors('nodes', false, { metadata: m('n1'), spec: { podCIDR: '10.42.0.0/24', providerID: 'k3s://n1', unschedulable: true } }, node), []);
  t.same(updateErrors('nodes', false, { metadata: m('n1'), spec: { podCIDR: '10.42.1.0/24', providerID: 'x' } }, node), [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
    'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
  ]);
  t.same(updateErrors('nodes', false, node, { metadata: m('n1'), spec: {} }), [], 'a CIDR may be assigned once');
});

t.test('persistent volumes and claims', async (t) => {
  t.same(createErrors('persistentvolumeclaims', true, { metadata: m('c', 'd'), spec: {} }), [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Required value',
  ]);
  t.same(createErrors('persistentvolumeclaims', true, { metadata: m('c', 'd'), spec: { accessModes: ['ReadWriteSometimes'], resources: { requests: { storage: '0' } } } }), [
    'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    'spec.resources[storage]: Invalid value: "0": must be greater than zero',
  ]);
  const claim = (storage: string, extra: Record<string, unknown> = {}): KubeObject => ({ metadata: m('c', 'd'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } }, ...extra }, status: { phase: 'Bound' } });
  t.same(updateErrors('persistentvolumeclaims', true, claim('2Gi'), claim('1Gi')), [], 'a bound claim may grow');
  t.same(updateErrors('persistentvolumeclaims', true, claim('1Gi'), claim('2Gi')), ['spec.resources.requests.storage: Forbidden: field can not be less than previous value']);
  t.same(updateErrors('persistentvolumeclaims', true, claim('1Gi', { volumeName: 'pv1' }), claim('1Gi')), [], 'the volume name may be set once');
  const changed = updateErrors('persistentvolumeclaims', true, claim('1Gi', { accessModes: ['ReadWriteMany'] }), claim('1Gi'));
  t.match(changed, [/^spec: Forbidden: spec is immutable after creation except resources.requests for bound claims\n/]);
  t.same(createErrors('persistentvolumes', false, { metadata: m('pv'), spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } } }), ['spec: Required value: must specify a volume type']);
  t.same(createErrors('persistentvolumes', false, { metadata: m('pv'), spec: { hostPath: { path: '/x' } } }), [
    'spec.accessModes: Required value',
    'spec.capacity: Required value',
    'spec.capacity: Unsupported value: {}: supported values: "storage"',
  ]);
  const pv: KubeObject = { metadata: m('pv'), spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/x' } } };
  t.match(updateErrors('persistentvolumes', false, { metadata: m('pv'), spec: { accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/y' } } }, pv), [
    /^spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable after creation\n/,
  ]);
});

t.test('storage classes', async (t) => {
  t.same(createErrors('storageclasses.storage.k8s.io', false, { metadata: m('sc'), reclaimPolicy: 'Recycle' }), [
    'provisioner: Required value',
    'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
  ]);
  const sc: KubeObject = { metadata: m('sc'), provisioner: 'a.io/b', parameters: { x: '1' } };
  t.same(updateErrors('storageclasses.storage.k8s.io', false, { ...sc, parameters: { x: '2' }, provisioner: 'c.io/d' }, sc), [
    'parameters: Forbidden: updates to parameters are forbidden.',
    'provisioner: Forbidden: updates to provisioner are forbidden.',
  ]);
});

t.test('rbac', async (t) => {
  t.same(createErrors('roles.rbac.authorization.k8s.io', true, { metadata: m('r', 'd'), rules: [{ apiGroups: [''], resources: ['pods'] }, { verbs: ['get'] }, { nonResourceURLs: ['/x'], verbs: ['get'] }] }), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[1].apiGroups: Required value: resource rules must supply at least one api group',
    'rules[1].resources: Required value: resource rules must supply at least one resource',
    'rules[2].nonResourceURLs: Invalid value: []string{"/x"}: namespaced rules cannot apply to non-resource URLs',
  ]);
  t.same(createErrors('rolebindings.rbac.authorization.k8s.io', true, { metadata: m('b', 'd'), roleRef: { kind: 'Thing', name: '' }, subjects: [{ kind: 'Robot', name: 'r' }, { kind: 'User', name: 'u', apiGroup: 'x' }] }), [
    'roleRef.kind: Unsupported value: "Thing": supported values: "Role", "ClusterRole"',
    'roleRef.name: Required value',
    'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    'subjects[1].apiGroup: Unsupported value: "x": supported values: "rbac.authorization.k8s.io"',
  ]);
  t.same(createErrors('clusterrolebindings.rbac.authorization.k8s.io', false, { metadata: m('b'), roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 's' }] }), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'subjects[0].namespace: Required value',
  ]);
  const binding: KubeObject = { metadata: m('b', 'd'), roleRef: { kind: 'Role', name: 'r' } };
  t.same(updateErrors('rolebindings.rbac.authorization.k8s.io', true, { ...binding, roleRef: { kind: 'Role', name: 'other' } }, binding), [
    'roleRef: Invalid value: {"kind":"Role","name":"other","apiGroup":"rbac.authorization.k8s.io"}: cannot change roleRef',
  ]);
});

t.test('networking', async (t) => {
  t.same(createErrors('ingresses.networking.k8s.io', true, { metadata: m('i', 'd'), spec: {} }), ['spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified']);
  t.same(createErrors('ingresses.networking.k8s.io', true, { metadata: m('i', 'd'), spec: { rules: [{ host: '10.0.0.1', http: { paths: [{ path: 'x', pathType: 'Prefix', backend: { service: { name: 'web' } } }, { path: '/' }] } }] } }), [
    'spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address',
    'spec.rules[0].http.paths[0].path: Invalid value: "x": must be an absolute path',
    'spec.rules[0].http.paths[0].backend: Required value: port name or number is required',
    'spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified',
  ]);
  t.same(createErrors('ingresses.networking.k8s.io', true, { metadata: m('i', 'd'), spec: { defaultBackend: {} } }), ['spec.defaultBackend: Invalid value: "": resource or service backend is required']);
  t.same(createErrors('ingressclasses.networking.k8s.io', false, { metadata: m('c'), spec: { controller: 'nginx' } }), ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
  t.same(createErrors('networkpolicies.networking.k8s.io', true, { metadata: m('n', 'd'), spec: { podSelector: {}, policyTypes: ['Sideways'] } }), [
    'spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
  ]);
});

t.test('leases, endpoints, events', async (t) => {
  t.same(createErrors('leases.coordination.k8s.io', true, { metadata: m('l', 'd'), spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } }), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
  ]);
  t.same(createErrors('endpoints', true, { metadata: m('e', 'd'), subsets: [{ ports: [{ port: 80 }] }, { addresses: [{ ip: 'x' }, { ip: '127.0.0.1' }], ports: [{ port: 0, name: 'a' }, { port: 1 }] }] }), [
    'subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
    'subsets[1].addresses[0].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'subsets[1].addresses[1].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    'subsets[1].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'subsets[1].ports[1].name: Required value',
  ]);
  t.same(createErrors('endpointslices.discovery.k8s.io', true, { metadata: m('s', 'd'), addressType: 'IPv4', endpoints: [{ addresses: [] }, { addresses: ['::1'] }] }), [
    'endpoints[0].addresses: Required value: must contain at least 1 address',
    'endpoints[1].addresses[0]: Invalid value: "::1": must be a valid IPv4 address',
  ]);
  t.same(createErrors('events', true, { metadata: m('e', 'd'), involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' } }), ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
  t.same(createErrors('events', true, { metadata: m('e', 'default'), involvedObject: { kind: 'Node', name: 'n' } }), [], 'cluster-scoped objects are recorded in default');
  t.same(createErrors('events.events.k8s.io', true, { metadata: m('e', 'd'), regarding: { namespace: 'd' } }), [
    'eventTime: Required value',
    'reportingController: Required value',
    'reportingController: Invalid value: "": name part must be non-empty',
    "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    'reportingInstance: Required value',
    'action: Required value',
    'reason: Required value',
  ]);
});

t.test('priority classes, disruption budgets, autoscalers', async (t) => {
  t.same(createErrors('priorityclasses.scheduling.k8s.io', false, { metadata: m('p'), value: 2000000000 }), ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
  t.same(createErrors('priorityclasses.scheduling.k8s.io', false, { metadata: m('system-mine'), value: 1 }), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
  ]);
  t.same(updateErrors('priorityclasses.scheduling.k8s.io', false, { metadata: m('p'), value: 2 }, { metadata: m('p'), value: 1 }), ['value: Forbidden: may not be changed in an update.']);
  t.same(createErrors('poddisruptionbudgets.policy', true, { metadata: m('b', 'd'), spec: { minAvailable: 1, maxUnavailable: '10%' } }), [
    'spec: Invalid value: {"minAvailable":1,"maxUnavailable":"10%"}: minAvailable and maxUnavailable cannot be both set',
  ]);
  t.same(createErrors('horizontalpodautoscalers.autoscaling', true, { apiVersion: 'autoscaling/v2', metadata: m('h', 'd'), spec: { minReplicas: 3, maxReplicas: 2, scaleTargetRef: { kind: 'Deployment' } } }), [
    'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
    'spec.scaleTargetRef.name: Required value',
  ]);
});

t.test('new-style core events need a reporting component', async (t) => {
  const event: KubeObject = {
    metadata: m('e', 'd'),
    involvedObject: { kind: 'Pod', name: 'p', namespace: 'd' },
    eventTime: '2025-01-01T00:00:00.000000Z',
    reportingComponent: 'default-scheduler',
    reportingInstance: 'node-1',
    action: 'Binding',
    reason: 'Scheduled',
  };
  t.same(createErrors('events', true, event), []);
  t.same(createErrors('events', true, { ...event, reportingComponent: undefined }), [
    'reportingComponent: Required value',
    'reportingComponent: Invalid value: "": name part must be non-empty',
    "reportingComponent: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
  ]);
});

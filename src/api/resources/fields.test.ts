import t from 'tap';
import type { KubeObject } from '../object.js';
import { builtinResources } from './index.js';

/** Every selectable field of one resource, read from obj. */
function read(group: string, resource: string, obj: KubeObject): Record<string, string> {
  const def = builtinResources.find((d) => d.group === group && d.resource === resource);
  if (!def) throw new Error(`no ${resource}.${group}`);
  return Object.fromEntries(Object.entries(def.selectableFields).map(([field, reader]) => [field, reader(obj)]));
}

t.test('pod fields, set and unset', async (t) => {
  const pod: KubeObject = {
    spec: { nodeName: 'n1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default', hostNetwork: true },
    status: { phase: 'Running', podIP: '10.42.0.5', podIPs: [{ ip: '10.42.0.5' }, { ip: 'fd00::5' }], nominatedNodeName: 'n2' },
  };
  t.same(read('', 'pods', pod), {
    'spec.nodeName': 'n1',
    'spec.host': 'n1',
    'spec.restartPolicy': 'Always',
    'spec.schedulerName': 'default-scheduler',
    'spec.serviceAccountName': 'default',
    'spec.hostNetwork': 'true',
    'status.phase': 'Running',
    'status.podIP': '10.42.0.5',
    'status.nominatedNodeName': 'n2',
  });
  t.same(read('', 'pods', {}), {
    'spec.nodeName': '',
    'spec.host': '',
    'spec.restartPolicy': '',
    'spec.schedulerName': '',
    'spec.serviceAccountName': '',
    'spec.hostNetwork': 'false',
    'status.phase': '',
    'status.podIP': '',
    'status.nominatedNodeName': '',
  });
  t.equal(read('', 'pods', { status: { podIP: '10.42.0.9' } })['status.podIP'], '10.42.0.9', 'podIP when podIPs is absent');
  t.equal(read('', 'pods', { spec: 'not an object' })['spec.nodeName'], '', 'malformed objects read as unset');
});

t.test('core event fields; source falls back to reportingComponent', async (t) => {
  const involvedObject = { kind: 'Pod', namespace: 'ns', name: 'p', uid: 'u1', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{c}' };
  const ev: KubeObject = { involvedObject, reason: 'Pulled', reportingComponent: 'kubelet', source: { component: 'kubelet-old' }, type: 'Normal' };
  t.same(read('', 'events', ev), {
    'involvedObject.kind': 'Pod',
    'involvedObject.namespace': 'ns',
    'involvedObject.name': 'p',
    'involvedObject.uid': 'u1',
    'involvedObject.apiVersion': 'v1',
    'involvedObject.resourceVersion': '7',
    'involvedObject.fieldPath': 'spec.containers{c}',
    reason: 'Pulled',
    reportingComponent: 'kubelet',
    source: 'kubelet-old',
    type: 'Normal',
  });
  t.equal(read('', 'events', { reportingComponent: 'kubelet' }).source, 'kubelet');
  t.equal(read('', 'events', {}).source, '');
});

t.test('events.k8s.io fields use that version’s names', async (t) => {
  const ev: KubeObject = { regarding: { kind: 'Node', name: 'n1' }, reason: 'Ready', reportingController: 'kubelet', type: 'Normal' };
  const got = read('events.k8s.io', 'events', ev);
  t.match(got, { 'regarding.kind': 'Node', 'regarding.name': 'n1', 'regarding.namespace': '', reason: 'Ready', reportingController: 'kubelet', source: 'kubelet', type: 'Normal' });
  t.equal(read('events.k8s.io', 'events', { deprecatedSource: { component: 'old' }, reportingController: 'new' }).source, 'old');
});

t.test('other resources’ fields', async (t) => {
  t.same(read('', 'nodes', { spec: { unschedulable: true } }), { 'spec.unschedulable': 'true' });
  t.same(read('', 'nodes', {}), { 'spec.unschedulable': 'false' });
  t.same(read('', 'secrets', { type: 'kubernetes.io/tls' }), { type: 'kubernetes.io/tls' });
  t.same(read('', 'namespaces', { status: { phase: 'Terminating' } }), { 'status.phase': 'Terminating' });
  t.same(read('', 'services', { spec: { clusterIP: '10.43.0.1', type: 'ClusterIP' } }), { 'spec.clusterIP': '10.43.0.1', 'spec.type': 'ClusterIP' });
  t.same(read('', 'replicationcontrollers', { status: { replicas: 3 } }), { 'status.replicas': '3' });
  t.same(read('apps', 'replicasets', {}), { 'status.replicas': '0' }, 'an unset count reads as 0, like upstream');
  t.same(read('batch', 'jobs', { status: { succeeded: 2 } }), { 'status.successful': '2' });
  t.same(read('certificates.k8s.io', 'certificatesigningrequests', { spec: { signerName: 'kubernetes.io/kubelet-serving' } }), {
    'spec.signerName': 'kubernetes.io/kubelet-serving',
  });
});

t.test('no resource lists metadata.name or metadata.namespace (every resource has them)', async (t) => {
  for (const d of builtinResources) {
    t.notOk('metadata.name' in d.selectableFields || 'metadata.namespace' in d.selectableFields, `${d.resource}.${d.group}`);
  }
  const withFields = builtinResources.filter((d) => Object.keys(d.selectableFields).length > 0).map((d) => `${d.resource}.${d.group}`);
  t.same(withFields.sort(), [
    'certificatesigningrequests.certificates.k8s.io',
    'events.',
    'events.events.k8s.io',
    'jobs.batch',
    'namespaces.',
    'nodes.',
    'pods.',
    'replicasets.apps',
    'replicationcontrollers.',
    'secrets.',
    'services.',
  ]);
});

import t from 'tap';
import type { KubeObject } from '../object.js';
import { defaulters } from './index.js';

function run(resource: string, obj: KubeObject): KubeObject {
  const defaulter = defaulters[resource];
  if (!defaulter) throw new Error(`no defaulter for ${resource}`);
  defaulter(obj);
  return obj;
}

t.test('service defaults', async (t) => {
  const svc = run('services', { metadata: { name: 's' }, spec: { selector: { app: 'a' }, ports: [{ port: 80 }, { port: 53, protocol: 'UDP', targetPort: 'dns' }] } });
  t.same(svc.spec, {
    selector: { app: 'a' },
    ports: [
      { port: 80, protocol: 'TCP', targetPort: 80 },
      { port: 53, protocol: 'UDP', targetPort: 'dns' },
    ],
    sessionAffinity: 'None',
    type: 'ClusterIP',
    internalTrafficPolicy: 'Cluster',
    ipFamilyPolicy: 'SingleStack',
    ipFamilies: ['IPv4'],
  });
});

t.test('service defaults by type', async (t) => {
  const nodePort = run('services', { spec: { type: 'NodePort', ports: [{ port: 80, targetPort: 0 }] } }).spec as Record<string, unknown>;
  t.match(nodePort, { externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', ports: [{ targetPort: 80 }] });
  t.equal(nodePort.allocateLoadBalancerNodePorts, undefined);
  const lb = run('services', { spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } }).spec as Record<string, unknown>;
  t.match(lb, { externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true });
  const ext = run('services', { spec: { type: 'ExternalName', externalName: 'example.com' } }).spec as Record<string, unknown>;
  t.same(ext, { type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' });
  const headless = run('services', { spec: { clusterIP: 'None' } }).spec as Record<string, unknown>;
  t.match(headless, { clusterIPs: ['None'], ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv4'] });
  const fixed = run('services', { spec: { clusterIPs: ['10.43.0.20'], ports: [{ port: 1 }] } }).spec as Record<string, unknown>;
  t.equal(fixed.clusterIP, '10.43.0.20');
  const sticky = run('services', { spec: { sessionAffinity: 'ClientIP' } }).spec as Record<string, unknown>;
  t.same(sticky.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  const none = run('services', { spec: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 5 } } } }).spec as Record<string, unknown>;
  t.equal(none.sessionAffinityConfig, undefined);
});

t.test('namespace defaults', async (t) => {
  const ns = run('namespaces', { metadata: { name: 'team' } });
  t.same(ns.metadata?.labels, { 'kubernetes.io/metadata.name': 'team' });
  t.same(ns.spec, { finalizers: ['kubernetes'] });
  t.same(ns.status, { phase: 'Active' });
  const custom = run('namespaces', { metadata: { name: 'x' }, spec: { finalizers: ['example.com/f'] } });
  t.same(custom.spec, { finalizers: ['example.com/f', 'kubernetes'] });
  const deleting = run('namespaces', { metadata: { name: 'x', deletionTimestamp: '2025-01-01T00:00:00Z' }, spec: { finalizers: [] }, status: { phase: 'Terminating' } });
  t.same(deleting.spec, { finalizers: [] }, 'the namespace controller may remove the finalizer');
  t.same(deleting.status, { phase: 'Terminating' });
});

t.test('volume kinds', async (t) => {
  t.same(run('persistentvolumes', { spec: { capacity: { storage: '1Gi' }, hostPath: { path: '/d' } } }), {
    spec: { capacity: { storage: '1Gi' }, hostPath: { path: '/d', type: '' }, persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' },
    status: { phase: 'Pending' },
  });
  t.same(run('persistentvolumeclaims', { spec: { accessModes: ['ReadWriteOnce'] } }), {
    spec: { accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem' },
    status: { phase: 'Pending' },
  });
});

t.test('secret: type Opaque, stringData merged into data', async (t) => {
  t.same(run('secrets', { metadata: { name: 's' } }), { metadata: { name: 's' }, type: 'Opaque' });
  const s = run('secrets', { type: 'kubernetes.io/basic-auth', data: { username: 'YQ==' }, stringData: { password: 'pä' } });
  t.same(s, { type: 'kubernetes.io/basic-auth', data: { username: 'YQ==', password: Buffer.from('pä').toString('base64') } });
});

t.test('endpoints, nodes, limit ranges', async (t) => {
  t.same(run('endpoints', { subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] }).subsets, [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
  const node = run('nodes', { spec: { podCIDR: '10.42.0.0/24' }, status: { capacity: { cpu: '4' } } });
  t.same(node, { spec: { podCIDR: '10.42.0.0/24', podCIDRs: ['10.42.0.0/24'] }, status: { capacity: { cpu: '4' }, allocatable: { cpu: '4' } } });
  const lr = run('limitranges', { spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '1Mi' } }, { type: 'Pod', max: { cpu: '4' } }] } });
  t.same(lr.spec, {
    limits: [
      { type: 'Container', max: { cpu: '2' }, min: { memory: '1Mi' }, default: { cpu: '2' }, defaultRequest: { cpu: '2', memory: '1Mi' } },
      { type: 'Pod', max: { cpu: '4' } },
    ],
  });
});

t.test('replication controller: selector and labels from the template', async (t) => {
  const rc = run('replicationcontrollers', { metadata: { name: 'r' }, spec: { template: { metadata: { labels: { app: 'a' } }, spec: { containers: [] } } } });
  t.same(rc.metadata?.labels, { app: 'a' });
  t.match(rc.spec, { selector: { app: 'a' }, replicas: 1, template: { spec: { restartPolicy: 'Always' } } });
});

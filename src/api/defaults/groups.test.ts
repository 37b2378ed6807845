import t from 'tap';
import type { KubeObject } from '../object.js';
import { defaulters } from './index.js';

function run(resource: string, obj: KubeObject): KubeObject {
  defaulters[resource]?.(obj);
  return obj;
}

t.test('networking defaults', async (t) => {
  t.same(run('networkpolicies.networking.k8s.io', { spec: { podSelector: {} } }).spec, { podSelector: {}, policyTypes: ['Ingress'] });
  t.same(run('networkpolicies.networking.k8s.io', { spec: { egress: [{ ports: [{ port: 53 }] }] } }).spec, {
    egress: [{ ports: [{ port: 53, protocol: 'TCP' }] }],
    policyTypes: ['Ingress', 'Egress'],
  });
  t.same(run('ingressclasses.networking.k8s.io', { spec: { controller: 'x/y', parameters: { kind: 'K', name: 'n' } } }).spec, {
    controller: 'x/y',
    parameters: { kind: 'K', name: 'n', scope: 'Cluster' },
  });
});

t.test('autoscaling defaults per version', async (t) => {
  const v2 = run('horizontalpodautoscalers.autoscaling', { apiVersion: 'autoscaling/v2', spec: { maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } });
  t.same(v2.spec, {
    maxReplicas: 3,
    minReplicas: 1,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    behavior: {
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], stabilizationWindowSeconds: 60 },
    },
  });
  t.same(run('horizontalpodautoscalers.autoscaling', { apiVersion: 'autoscaling/v1', spec: { maxReplicas: 3 } }).spec, { maxReplicas: 3, minReplicas: 1 });
});

t.test('storage, rbac, scheduling, discovery defaults', async (t) => {
  t.match(run('storageclasses.storage.k8s.io', { provisioner: 'p' }), { reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
  t.same(
    run('rolebindings.rbac.authorization.k8s.io', {
      roleRef: { kind: 'Role', name: 'r' },
      subjects: [{ kind: 'User', name: 'u' }, { kind: 'Group', name: 'g' }, { kind: 'ServiceAccount', name: 's', namespace: 'n' }],
    }),
    {
      roleRef: { kind: 'Role', name: 'r', apiGroup: 'rbac.authorization.k8s.io' },
      subjects: [
        { kind: 'User', name: 'u', apiGroup: 'rbac.authorization.k8s.io' },
        { kind: 'Group', name: 'g', apiGroup: 'rbac.authorization.k8s.io' },
        { kind: 'ServiceAccount', name: 's', namespace: 'n' },
      ],
    },
  );
  t.match(run('priorityclasses.scheduling.k8s.io', { value: 5 }), { preemptionPolicy: 'PreemptLowerPriority' });
  t.same(run('endpointslices.discovery.k8s.io', { ports: [{ port: 80 }] }).ports, [{ port: 80, name: '', protocol: 'TCP' }]);
});

t.test('no defaulter throws on garbage', async (t) => {
  const garbage: unknown[] = [null, 7, 'x', true, [], [null, 1, 'a'], { a: 1 }];
  const shapes = (g: unknown): KubeObject[] => [
    { spec: g },
    { metadata: g as never, spec: { template: g, containers: g, volumes: g, ports: [g], strategy: g, updateStrategy: g, jobTemplate: g } },
    { spec: { template: { spec: { containers: [g, { ports: g, env: [g], livenessProbe: g, resources: { limits: g } }], volumes: [g, { projected: { sources: g } }] } } } },
    { subsets: g, subjects: g, ports: g, roleRef: g, stringData: g, data: g, status: g },
    { spec: { selector: g, clusterIP: g, clusterIPs: g, sessionAffinity: 'ClientIP', sessionAffinityConfig: g, behavior: g, podCIDRs: g, limits: [g] } },
  ];
  for (const [resource, defaulter] of Object.entries(defaulters)) {
    for (const g of garbage) {
      for (const obj of shapes(g)) {
        try {
          defaulter(structuredClone(obj));
        } catch (err) {
          t.fail(`${resource} threw on ${JSON.stringify(obj)}: ${String(err)}`);
        }
      }
    }
  }
  t.pass('survived');
});

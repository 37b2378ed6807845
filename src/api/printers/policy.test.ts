import t from 'tap';
import { ago, cellsOf, day, now } from './builders.fixture.js';
import { certificateSigningRequestPrinter } from './certificates.js';
import { leasePrinter } from './lease.js';
import { podDisruptionBudgetPrinter, priorityClassPrinter } from './policy.js';
import { clusterRoleBindingPrinter, roleBindingPrinter } from './rbac.js';

const meta = { name: 'x', creationTimestamp: ago(day) };

t.test('pod disruption budgets', async (t) => {
  t.same(cellsOf(podDisruptionBudgetPrinter, { metadata: meta, spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 } }), ['x', '2', 'N/A', 1, '24h']);
  t.same(cellsOf(podDisruptionBudgetPrinter, { metadata: meta, spec: { maxUnavailable: '25%' } }), ['x', 'N/A', '25%', 0, '24h']);
});

t.test('priority classes', async (t) => {
  t.same(cellsOf(priorityClassPrinter, { metadata: meta, value: 2000001000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' }), ['x', 2000001000, false, '24h', 'PreemptLowerPriority']);
  t.same(priorityClassPrinter.columns.map((c) => c.priority), [0, 0, 0, 0, 0]);
});

t.test('leases', async (t) => {
  t.same(cellsOf(leasePrinter, { metadata: meta, spec: { holderIdentity: 'node-a' } }), ['x', 'node-a', '24h']);
  t.same(cellsOf(leasePrinter, { metadata: meta }), ['x', '', '24h']);
});

t.test('role bindings split subjects by kind', async (t) => {
  const rb = {
    metadata: meta,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [
      { kind: 'User', name: 'alice' },
      { kind: 'User', name: 'bob' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', namespace: 'kube-system', name: 'ci' },
    ],
  };
  t.same(cellsOf(roleBindingPrinter, rb), ['x', 'ClusterRole/view', '24h', 'alice, bob', 'devs', 'kube-system/ci']);
  t.same(cellsOf(clusterRoleBindingPrinter, { metadata: meta, roleRef: { apiGroup: '', kind: 'ClusterRole', name: 'admin' } }), ['x', 'ClusterRole/admin', '24h', '', '', '']);
  t.equal(clusterRoleBindingPrinter.columns[3]?.description, 'Users in the clusterRoleBinding');
});

t.test('certificate signing requests', async (t) => {
  const csr = {
    metadata: meta,
    spec: { request: '', signerName: 'kubernetes.io/kube-apiserver-client', username: 'admin', expirationSeconds: 86400 },
    status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' },
  };
  t.same(cellsOf(certificateSigningRequestPrinter, csr), ['x', '24h', 'kubernetes.io/kube-apiserver-client', 'admin', '24h', 'Approved,Issued']);
  const denied = { metadata: meta, spec: { request: '', signerName: '' }, status: { conditions: [{ type: 'Denied', status: 'True' }, { type: 'Failed', status: 'True' }] } };
  t.same(cellsOf(certificateSigningRequestPrinter, denied).slice(2), ['<none>', '', '<none>', 'Denied,Failed']);
  t.equal(cellsOf(certificateSigningRequestPrinter, { metadata: meta })[5], 'Pending');
});

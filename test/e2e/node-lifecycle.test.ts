import t from 'tap';
import { findKubectl, kubectlFor } from '../helpers/kubectl.js';
import { startTsk8s } from '../helpers/server.js';

// The real kubectl against `tsk8s server` (no agent): a node registered by
// hand, with a Lease and a Ready status that nobody renews, goes Unknown
// after the 40 s grace period, gets the unreachable taints, and a pod bound
// to it is evicted after its toleration's 2 s; a pod tolerating the taint
// for good stays.
t.setTimeout(600_000);

if (!findKubectl()) {
  t.plan(0, 'kubectl is not on PATH');
} else {
  const server = await startTsk8s();
  t.teardown(() => server.stop());
  const { kubectl } = kubectlFor(server.kubeconfig, server.dir);
  const ok = async (args: string[], input?: string): Promise<string> => {
    const r = await kubectl(args, input === undefined ? {} : { input });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  const until = async (args: string[], test: (out: string) => boolean, timeoutMs = 120_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await kubectl(args);
      if (r.code === 0 && test(r.stdout)) return r.stdout;
      if (Date.now() > deadline) return r.stdout + r.stderr;
      await new Promise((res) => setTimeout(res, 500));
    }
  };

  t.test('a node whose kubelet goes silent is marked Unknown, tainted, and its pods evicted by their tolerations', async (t) => {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await ok(['create', '-f', '-'], 'apiVersion: v1\nkind: Node\nmetadata:\n  name: silent-node\n');
    const conditions = [
      ['Ready', 'True', 'KubeletReady'],
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
    ].map(([type, status, reason]) => ({ type, status, reason, message: 'posted by the test', lastHeartbeatTime: now, lastTransitionTime: now }));
    await ok(['patch', 'node', 'silent-node', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { conditions } })]);
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'silent-node', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'silent-node', leaseDurationSeconds: 40, renewTime: new Date().toISOString() } };
    await ok(['create', '-f', '-'], JSON.stringify(lease));
    const pod = (name: string, toleration: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { nodeName: 'silent-node', tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', ...toleration }], containers: [{ name: 'c', image: 'busybox' }] },
    });
    await ok(['create', '-f', '-'], JSON.stringify(pod('short', { tolerationSeconds: 2 })));
    await ok(['create', '-f', '-'], JSON.stringify(pod('forever', {})));
    t.match(await ok(['get', 'node', 'silent-node']), /silent-node\s+Ready\s/);

    const ready = await until(['get', 'node', 'silent-node', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].reason}'], (out) => out.startsWith('Unknown'));
    t.equal(ready, 'Unknown NodeStatusUnknown');
    t.match(await ok(['get', 'node', 'silent-node']), /silent-node\s+NotReady\s/);
    const taints = await until(['get', 'node', 'silent-node', '-o', 'jsonpath={range .spec.taints[*]}{.key}:{.effect} {end}'], (out) => out.includes('unreachable:NoExecute'));
    t.match(taints, 'node.kubernetes.io/unreachable:NoSchedule');
    t.match(taints, 'node.kubernetes.io/unreachable:NoExecute');
    const deleting = await until(['get', 'pod', 'short', '-o', 'jsonpath={.metadata.deletionTimestamp}'], (out) => out !== '', 30_000);
    t.match(deleting, /^\d{4}-\d\d-\d\dT/, 'the pod tolerating 2 s is being deleted');
    t.equal(await ok(['get', 'pod', 'forever', '-o', 'jsonpath={.metadata.deletionTimestamp}']), '', 'the pod tolerating for good stays');
    const events = await until(['get', 'events', '--field-selector', 'involvedObject.name=short', '-o', 'jsonpath={.items[*].reason}'], (out) => out.includes('TaintManagerEviction'), 30_000);
    t.match(events, 'TaintManagerEviction');
  });
}

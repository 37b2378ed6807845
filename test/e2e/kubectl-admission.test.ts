import t from 'tap';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findKubectl, kubectlFor } from '../helpers/kubectl.js';
import { startTsk8s } from '../helpers/server.js';

// Many kubectl runs against a real server: longer than the suite's default timeout on a busy machine.
t.setTimeout(600_000);

// Admission and disruption with the real kubectl against `tsk8s server`
// (no node runs: the test registers a Node object, binds pods to it with
// nodeName and marks them Running and Ready itself): quota refusals,
// LimitRange defaults, priority from priorityClassName, and `kubectl drain`
// refused by a PodDisruptionBudget, then allowed.
if (!findKubectl()) {
  t.plan(0, 'kubectl is not on PATH');
} else {
  const server = await startTsk8s();
  t.teardown(() => server.stop());
  const { kubectl, ok } = kubectlFor(server.kubeconfig, server.dir);
  const file = (name: string, text: string): string => {
    const path = join(server.dir, name);
    writeFileSync(path, text);
    return path;
  };
  /** Polls a jsonpath until it reads `want` (or gives up after 30 s and returns what it read). */
  const waitFor = async (args: string[], want: string): Promise<string> => {
    const deadline = Date.now() + 30_000;
    let got = '';
    while (Date.now() < deadline) {
      got = (await kubectl(args)).stdout.trim();
      if (got === want) return got;
      await new Promise((r) => setTimeout(r, 200));
    }
    return got;
  };

  t.test('a ResourceQuota refuses the pod past its limit', async (t) => {
    await ok(['create', 'namespace', 'quota']);
    await ok(['create', 'quota', 'q', '--hard=pods=1,configmaps=5', '-n', 'quota']);
    t.equal(await waitFor(['get', 'quota', 'q', '-n', 'quota', '-o', 'jsonpath={.status.used.pods}'], '0'), '0', 'the controller reports usage');
    await ok(['run', 'first', '--image=nginx', '-n', 'quota']);
    const refused = await kubectl(['run', 'second', '--image=nginx', '-n', 'quota']);
    t.not(refused.code, 0);
    t.match(refused.stderr, 'Error from server (Forbidden): pods "second" is forbidden: exceeded quota: q, requested: pods=1, used: pods=1, limited: pods=1');
    t.match(await ok(['describe', 'quota', 'q', '-n', 'quota']), /pods\s+1\s+1/);
  });

  t.test('LimitRange defaults show in the pod', async (t) => {
    await ok(['create', 'namespace', 'limits']);
    await ok([
      'apply',
      '-f',
      file(
        'lr.yaml',
        `apiVersion: v1
kind: LimitRange
metadata:
  name: lr
  namespace: limits
spec:
  limits:
  - type: Container
    max:
      cpu: "1"
    default:
      cpu: 300m
      memory: 100Mi
    defaultRequest:
      cpu: 200m
`,
      ),
    ]);
    await ok(['run', 'p', '--image=nginx', '-n', 'limits']);
    const yaml = await ok(['get', 'pod', 'p', '-n', 'limits', '-o', 'yaml']);
    t.match(yaml, 'kubernetes.io/limit-ranger:');
    t.equal(
      await ok(['get', 'pod', 'p', '-n', 'limits', '-o', 'jsonpath={.metadata.annotations.kubernetes\\.io/limit-ranger}']),
      'LimitRanger plugin set: cpu, memory request for container p; cpu, memory limit for container p',
    );
    t.match(yaml, /resources:\n\s+limits:\n\s+cpu: 300m\n\s+memory: 100Mi\n\s+requests:\n\s+cpu: 200m\n\s+memory: 100Mi/);
    const refused = await kubectl(['run', 'big', '--image=nginx', '-n', 'limits', '--overrides={"spec":{"containers":[{"name":"big","image":"nginx","resources":{"limits":{"cpu":"2"}}}]}}']);
    t.match(refused.stderr, 'pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2');
  });

  t.test('priorityClassName sets the priority', async (t) => {
    await ok(['create', 'priorityclass', 'high', '--value=1000', '--description=test']);
    await ok(['run', 'hp', '--image=nginx', '--overrides={"spec":{"priorityClassName":"high"}}']);
    t.equal(await ok(['get', 'pod', 'hp', '-o', 'jsonpath={.spec.priority} {.spec.preemptionPolicy}']), '1000 PreemptLowerPriority');
    const missing = await kubectl(['run', 'nope', '--image=nginx', '--overrides={"spec":{"priorityClassName":"missing"}}']);
    t.match(missing.stderr, 'pods "nope" is forbidden: no PriorityClass with name missing was found');
    t.match(await ok(['get', 'priorityclass']), /system-node-critical\s+2000001000/);
  });

  t.test('kubectl drain waits on the disruption budget, then evicts', async (t) => {
    await ok(['create', 'namespace', 'drain']);
    await ok(['apply', '-f', file('node.yaml', 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n')]);
    // Plays the kubelet: a fresh heartbeat keeps the node lifecycle controller from marking the pods not ready.
    const heartbeat = async () => {
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const ready = { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'test', lastHeartbeatTime: now, lastTransitionTime: now };
      await ok(['patch', 'node', 'n1', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { conditions: [ready] } })]);
    };
    const markReady = (name: string) =>
      ok(['patch', 'pod', name, '-n', 'drain', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}']);
    await heartbeat();
    for (const name of ['web-a', 'web-b']) {
      await ok([
        'apply',
        '-f',
        file(
          `${name}.yaml`,
          `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: drain
  labels:
    app: web
spec:
  nodeName: n1
  terminationGracePeriodSeconds: 0
  containers:
  - name: web
    image: nginx
`,
        ),
      ]);
      await markReady(name);
    }
    await ok(['create', 'poddisruptionbudget', 'web', '-n', 'drain', '--selector=app=web', '--min-available=2']);
    t.equal(await waitFor(['get', 'pdb', 'web', '-n', 'drain', '-o', 'jsonpath={.status.currentHealthy}/{.status.disruptionsAllowed}'], '2/0'), '2/0');

    const refused = await kubectl(['drain', 'n1', '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=3s']);
    t.not(refused.code, 0, 'drain gives up while the budget forbids evictions');
    t.match(refused.stderr, "Cannot evict pod as it would violate the pod's disruption budget.");
    t.equal(await ok(['get', 'node', 'n1', '-o', 'jsonpath={.spec.unschedulable}']), 'true', 'the node is cordoned');
    t.equal((await ok(['get', 'pods', '-n', 'drain', '-o', 'name'])).trim().split('\n').length, 2, 'both pods stay');

    await heartbeat();
    for (const name of ['web-a', 'web-b']) await markReady(name);
    await ok(['patch', 'pdb', 'web', '-n', 'drain', '--type=merge', '-p', '{"spec":{"minAvailable":1}}']);
    t.equal(await waitFor(['get', 'pdb', 'web', '-n', 'drain', '-o', 'jsonpath={.status.currentHealthy}/{.status.disruptionsAllowed}'], '2/1'), '2/1');
    const partly = await kubectl(['drain', 'n1', '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=3s']);
    t.not(partly.code, 0, 'the budget lets one pod go, not both');
    const left = (await ok(['get', 'pods', '-n', 'drain', '-o', 'name'])).trim().split('\n');
    t.equal(left.length, 1);
    t.match(partly.stdout, /pod\/web-[ab] evicted/);
    await ok(['patch', 'pdb', 'web', '-n', 'drain', '--type=merge', '-p', '{"spec":{"minAvailable":0}}']);
    t.equal(await waitFor(['get', 'pdb', 'web', '-n', 'drain', '-o', 'jsonpath={.status.disruptionsAllowed}'], '1'), '1');
    const drained = await kubectl(['drain', 'n1', '--ignore-daemonsets', '--delete-emptydir-data', '--force', '--timeout=30s']);
    t.equal(drained.code, 0, drained.stderr);
    t.match(drained.stdout, `${left[0] ?? ''} evicted`);
    t.match(drained.stdout, 'node/n1 drained');
    t.equal((await ok(['get', 'pods', '-n', 'drain', '-o', 'name'])).trim(), '');
  });
}

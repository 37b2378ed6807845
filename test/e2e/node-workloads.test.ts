// Workload controllers on a real node, driven by the real kubectl: a
// Deployment created, rolled with zero unavailable, undone, healed and
// scaled; a DaemonSet, a Job, a CronJob; namespace, foreground and orphan
// deletion; a pod too big for the node. Needs root, runtime/ and
// runtime/images (CI has all three).
import t from 'tap';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { nodeSkipReason, startNode, type TestNode } from '../helpers/node.js';

const skip = nodeSkipReason();
// A whole node runs several rollouts and waits for a CronJob's minute: far more than the default two minutes.
t.setTimeout(1_200_000);
if (skip) {
  t.plan(0, skip);
} else {
  let node: TestNode;
  t.before(async () => {
    node = await startNode({ teardown: (fn) => t.teardown(fn) });
    await node.ok(['wait', '--for=condition=Ready', 'node/node-a', '--timeout=60s']);
  });

  const image = 'localhost/tsk8s/busybox:1.35';
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  const tail = (): string => node.output().split('\n').slice(-40).join('\n');

  interface Obj {
    metadata: { name: string; namespace?: string; deletionTimestamp?: string; finalizers?: string[]; ownerReferences?: { kind: string; name: string }[] };
    spec?: { nodeName?: string; template?: { spec: { containers: { env?: { name: string; value: string }[] }[] } } };
    status?: { phase?: string; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
  }
  const list = async (args: string[]): Promise<Obj[]> => (JSON.parse(await node.ok(['get', ...args, '-o', 'json'])) as { items: Obj[] }).items;
  /** Polls `probe` until it returns a value; fails with `what`, the last value seen and the server's last lines. */
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 120_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`${what}: not reached in ${ms / 1000} s\n--- server:\n${tail()}`);
      await sleep(500);
    }
  };
  const rollout = async (what: string, ns = 'default'): Promise<string> => {
    const r = await node.kubectl(['rollout', 'status', what, '-n', ns, '--timeout=180s']);
    if (r.code === 0) return r.stdout;
    const describe = await node.kubectl(['describe', what, '-n', ns]);
    const pods = await node.kubectl(['get', 'pods', '-n', ns, '-o', 'wide']);
    throw new Error(`rollout status ${what} failed: ${r.stderr}\n${describe.stdout}\n${pods.stdout}\n--- server:\n${tail()}`);
  };
  /** The live (not terminating) pods of a label selector. */
  const livePods = async (selector: string, ns = 'default'): Promise<Obj[]> => (await list(['pods', '-n', ns, '-l', selector])).filter((p) => !p.metadata.deletionTimestamp);
  const running = (pods: Obj[]): boolean => pods.every((p) => p.status?.phase === 'Running');
  const deploymentYaml = (name: string, replicas: number, grace: number, ns = 'default'): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${ns}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      terminationGracePeriodSeconds: ${grace}
      containers:
      - name: c
        image: ${image}
        imagePullPolicy: Never
        command: ["sleep", "3600"]
`;

  await t.test('kubectl create deployment with 3 replicas: rollout status succeeds', async (t) => {
    await node.ok(['create', 'deployment', 'web', `--image=${image}`, '--replicas=3', '--', 'sleep', '3600']);
    t.match(await rollout('deployment/web'), /successfully rolled out/);
    t.match(await node.ok(['get', 'deployment', 'web']), /web\s+3\/3\s+3\s+3/);
  });

  await t.test('maxUnavailable 0, maxSurge 1: availableReplicas never drops below 3 while rolling', async (t) => {
    // A watch sees every status the controller writes, so a dip between two polls cannot hide.
    const watch = spawn('ip', ['netns', 'exec', node.netns.name, 'kubectl', 'get', 'deployment', 'web', '-w', '-o', 'jsonpath={.status.availableReplicas}{"\\n"}'], {
      env: { ...process.env, KUBECONFIG: node.kubeconfig, HOME: node.dir, KUBECACHEDIR: join(node.dir, 'kube-cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    watch.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise((r) => watch.once('exit', r));
    try {
      await until('the watch prints the deployment', async () => (out.includes('\n') ? true : undefined), 30_000);
      // The patch changes the template too (a short grace period), so it is a first rollout under the new strategy.
      await node.ok(['patch', 'deployment', 'web', '-p', JSON.stringify({ spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }, template: { spec: { terminationGracePeriodSeconds: 1 } } } })]);
      await rollout('deployment/web');
      await node.ok(['set', 'env', 'deployment/web', 'STAGE=two']);
      t.match(await rollout('deployment/web'), /successfully rolled out/);
    } finally {
      watch.kill();
      await exited;
    }
    const seen = out.split('\n').slice(0, -1).map((l) => Number(l || '0'));
    t.ok(seen.length > 2, `the watch saw the status change (${seen.join(',')})`);
    t.equal(Math.min(...seen), 3, `never fewer than 3 available (of ${seen.length} statuses)`);
    const pods = await livePods('app=web');
    t.equal(pods.length, 3);
    const envs = await node.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.containers[0].env[0].value}']);
    t.match(envs, /two/, 'new pods carry the new env');
  });

  await t.test('kubectl rollout undo brings the previous template back', async (t) => {
    t.match(await node.ok(['rollout', 'undo', 'deployment/web']), /rolled back/);
    await rollout('deployment/web');
    const [web] = await list(['deployment', '-l', 'app=web']);
    t.same(web?.spec?.template?.spec.containers[0]?.env ?? [], [], 'the env is gone from the template');
    const pods = await until('only pods of the old template', async () => {
      const all = await list(['pods', '-l', 'app=web']);
      return all.length === 3 && all.every((p) => !JSON.stringify(p.spec).includes('STAGE')) ? all : undefined;
    });
    t.equal(pods.length, 3);
  });

  await t.test('a deleted pod of the Deployment is replaced', async (t) => {
    const before = (await livePods('app=web')).map((p) => p.metadata.name);
    const victim = before[0] as string;
    await node.ok(['delete', 'pod', victim, '--wait=false']);
    const after = await until('3 running pods without the deleted one', async () => {
      const pods = await livePods('app=web');
      const names = pods.map((p) => p.metadata.name);
      return pods.length === 3 && running(pods) && !names.includes(victim) ? names : undefined;
    });
    t.equal(after.filter((n) => !before.includes(n)).length, 1, `one new pod (${after.join(', ')})`);
  });

  await t.test('scale to 0 removes every pod; scale back to 3', async (t) => {
    await node.ok(['scale', 'deployment/web', '--replicas=0']);
    await until('no pods left', async () => ((await list(['pods', '-l', 'app=web'])).length === 0 ? true : undefined));
    t.match(await node.ok(['get', 'deployment', 'web']), /web\s+0\/0/);
    await node.ok(['scale', 'deployment/web', '--replicas=3']);
    t.match(await rollout('deployment/web'), /successfully rolled out/);
    const pods = await livePods('app=web');
    t.equal(pods.length, 3);
    await node.ok(['delete', 'deployment', 'web', '--wait=false']);
  });

  await t.test('a DaemonSet runs one pod on the node', async (t) => {
    await node.ok(['apply', '-f', '-'], {
      input: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: ds
spec:
  selector:
    matchLabels:
      app: ds
  template:
    metadata:
      labels:
        app: ds
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: ${image}
        imagePullPolicy: Never
        command: ["sleep", "3600"]
        readinessProbe:
          exec:
            command: ["true"]
          periodSeconds: 2
`,
    });
    t.match(await rollout('daemonset/ds'), /successfully rolled out/);
    const pods = await livePods('app=ds');
    t.equal(pods.length, 1);
    t.equal(pods[0]?.spec?.nodeName, 'node-a');
    t.equal(await node.ok(['get', 'daemonset', 'ds', '-o', 'jsonpath={.status.desiredNumberScheduled}/{.status.numberReady}']), '1/1');
    await node.ok(['delete', 'daemonset', 'ds', '--wait=false']);
  });

  await t.test('a Job with completions 4 and parallelism 2 runs to completion', async (t) => {
    await node.ok(['apply', '-f', '-'], {
      input: `apiVersion: batch/v1
kind: Job
metadata:
  name: count
spec:
  completions: 4
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: c
        image: ${image}
        imagePullPolicy: Never
        command: ["sh", "-c", "sleep 2"]
`,
    });
    const active: number[] = [];
    await until('job complete', async () => {
      const r = await node.ok(['get', 'job', 'count', '-o', 'jsonpath={.status.active}|{.status.conditions[?(@.type=="Complete")].status}']);
      const [a, complete] = r.split('|');
      active.push(Number(a || '0'));
      return complete === 'True' ? true : undefined;
    }, 180_000);
    await node.ok(['wait', '--for=condition=complete', 'job/count', '--timeout=10s']);
    t.ok(Math.max(...active) <= 2, `never more than 2 active (seen ${[...new Set(active)].join(',')})`);
    t.equal(await node.ok(['get', 'job', 'count', '-o', 'jsonpath={.status.succeeded}']), '4');
    const pods = await list(['pods', '-l', 'job-name=count']);
    t.equal(pods.filter((p) => p.status?.phase === 'Succeeded').length, 4, 'four succeeded pods');
  });

  await t.test('a CronJob every minute creates a Job that completes', async (t) => {
    await node.ok(['create', 'cronjob', 'tick', `--image=${image}`, '--schedule=*/1 * * * *', '--', 'echo', 'tick']);
    const job = await until('a Job of the CronJob', async () => (await list(['jobs'])).find((j) => j.metadata.ownerReferences?.some((o) => o.kind === 'CronJob' && o.name === 'tick'))?.metadata.name, 150_000);
    t.match(job, /^tick-\d+$/);
    await node.ok(['wait', '--for=condition=complete', `job/${job}`, '--timeout=120s']);
    t.match(await node.ok(['logs', `job/${job}`]), /tick/);
    await node.ok(['delete', 'cronjob', 'tick', '--wait=false']);
  });

  await t.test('deleting a namespace removes its contents', async (t) => {
    await node.ok(['create', 'namespace', 'x']);
    await node.ok(['apply', '-f', '-'], { input: deploymentYaml('inx', 1, 1, 'x') });
    await node.ok(['create', 'configmap', 'cm', '-n', 'x', '--from-literal=a=b']);
    await rollout('deployment/inx', 'x');
    await node.ok(['delete', 'ns', 'x', '--wait', '--timeout=180s']);
    const r = await node.kubectl(['get', 'ns', 'x']);
    t.match(r.stderr, /namespaces "x" not found/);
    t.equal((await node.ok(['get', 'deployments,replicasets,pods,configmaps', '-A', '--field-selector', 'metadata.namespace=x', '-o', 'name'])).trim(), '', 'nothing left in x');
  });

  await t.test('foreground deletion: the Deployment goes only after its ReplicaSet and pods', async (t) => {
    await node.ok(['apply', '-f', '-'], { input: deploymentYaml('fg', 2, 10) });
    await rollout('deployment/fg');
    await node.ok(['delete', 'deployment', 'fg', '--cascade=foreground', '--wait=false']);
    let blockedWhilePods = false;
    const leftAtEnd = await until('the Deployment gone', async () => {
      // The Deployment is read first: dependents seen after its absence existed when it was already gone.
      const deps = await list(['deployments', '-l', 'app=fg']);
      const rest = await list(['replicasets,pods', '-l', 'app=fg']);
      const d = deps[0];
      if (d && rest.length > 0 && d.metadata.deletionTimestamp && d.metadata.finalizers?.includes('foregroundDeletion')) blockedWhilePods = true;
      return d ? undefined : rest;
    }, 180_000);
    t.ok(blockedWhilePods, 'the Deployment stayed, deleting with the foregroundDeletion finalizer, while dependents existed');
    t.same(leftAtEnd.map((o) => o.metadata.name), [], 'no ReplicaSet or pod outlived the Deployment');
  });

  await t.test('orphan deletion: the ReplicaSet and pods stay, without an owner', async (t) => {
    await node.ok(['apply', '-f', '-'], { input: deploymentYaml('orph', 2, 1) });
    await rollout('deployment/orph');
    const before = (await livePods('app=orph')).map((p) => p.metadata.name).sort();
    await node.ok(['delete', 'deployment', 'orph', '--cascade=orphan', '--timeout=60s']);
    const rss = await until('the ReplicaSet without owner', async () => {
      const l = await list(['replicasets', '-l', 'app=orph']);
      return l.length === 1 && (l[0]?.metadata.ownerReferences ?? []).length === 0 ? l : undefined;
    });
    t.equal(rss.length, 1);
    t.same((await livePods('app=orph')).map((p) => p.metadata.name).sort(), before, 'the same pods still run');
    await node.ok(['delete', 'replicasets', '-l', 'app=orph', '--wait=false']);
  });

  await t.test('a pod asking for more CPU than the node has stays Pending with the upstream message', async (t) => {
    await node.ok(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Pod
metadata:
  name: big
spec:
  containers:
  - name: c
    image: ${image}
    imagePullPolicy: Never
    command: ["sleep", "3600"]
    resources:
      requests:
        cpu: "1000"
`,
    });
    const cond = await until('PodScheduled=False', async () => (await list(['pods', '--field-selector', 'metadata.name=big'])).at(0)?.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False'));
    t.equal(cond.reason, 'Unschedulable');
    t.equal(cond.message, '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
    const events = await until('a FailedScheduling event', async () => {
      const out = await node.ok(['get', 'events', '--field-selector', 'involvedObject.name=big,reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}']);
      return out ? out : undefined;
    });
    t.match(events, /0\/1 nodes are available: 1 Insufficient cpu\./);
    t.equal(await node.ok(['get', 'pod', 'big', '-o', 'jsonpath={.status.phase}']), 'Pending');
    await node.ok(['delete', 'pod', 'big', '--wait=false']);
  });
}

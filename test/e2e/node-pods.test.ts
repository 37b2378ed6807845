// A real node: `tsk8s server` with its bundled containerd in a network
// namespace of the test's own, pods run in real containers, driven by the
// real kubectl. Needs root, runtime/ and runtime/images (CI has all three).
import t from 'tap';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeSkipReason, startNode, type TestNode } from '../helpers/node.js';

const skip = nodeSkipReason();
// A whole node starts, runs pods and stops here: more than the default two minutes on a busy machine.
t.setTimeout(600_000);
if (skip) {
  t.plan(0, skip);
} else {
  let node: TestNode;
  t.before(async () => {
    node = await startNode({ teardown: (fn) => t.teardown(fn) });
  });

  const podYaml = (name: string, extra = ''): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: node-a
  terminationGracePeriodSeconds: 2
  containers:
  - name: web
    image: localhost/tsk8s/busybox:1.35
    imagePullPolicy: Never
    command: ["sh", "-c", "echo hello from ${name}; mkdir -p /www; echo page-${name} > /www/index.html; trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"]
${extra}`;

  // On a failed wait, what a person would look at: the pod's description and the server's last lines.
  const waitReady = async (what: string): Promise<void> => {
    const r = await node.kubectl(['wait', '--for=condition=Ready', what, '--timeout=60s']);
    if (r.code === 0) return;
    const describe = await node.kubectl(['describe', what]);
    throw new Error(`${what} not Ready: ${r.stderr}\n${describe.stdout}\n--- server:\n${node.output().split('\n').slice(-40).join('\n')}`);
  };
  const jsonpath = async (kind: string, name: string, path: string): Promise<string> => node.ok(['get', kind, name, '-o', `jsonpath={${path}}`]);

  await t.test('the node registers and becomes Ready', async (t) => {
    await node.ok(['wait', '--for=condition=Ready', 'node/node-a', '--timeout=60s']);
    const nodeJson = JSON.parse(await node.ok(['get', 'node', 'node-a', '-o', 'json'])) as { status: { nodeInfo: { containerRuntimeVersion: string }; addresses: { type: string; address: string }[] }; spec: { podCIDR: string } };
    t.match(nodeJson.status.nodeInfo.containerRuntimeVersion, /^containerd:\/\/1\.6\./);
    t.same(nodeJson.status.addresses.find((a) => a.type === 'InternalIP')?.address, node.netns.hostIp);
    t.equal(nodeJson.spec.podCIDR, '10.42.0.0/24');
    t.match(await node.ok(['get', 'nodes']), /node-a\s+Ready/);
  });

  await t.test('a pod runs, logs to its CRI log file, and serves on its pod IP', async (t) => {
    await node.ok(['apply', '-f', '-'], { input: podYaml('web') });
    await waitReady('pod/web');
    const ip = await jsonpath('pod', 'web', '.status.podIP');
    t.match(ip, /^10\.42\.0\.\d+$/);
    const logDir = join(node.dir, 'agent', 'pod-logs');
    const podDir = readdirSync(logDir).find((d) => d.startsWith('default_web_'));
    t.ok(podDir, 'the pod has a log dir');
    const log = readFileSync(join(logDir, podDir as string, 'web', '0.log'), 'utf8');
    t.match(log, /^\S+ stdout F hello from web$/m, 'CRI log format');
    const page = await node.netns.run('node', ['-e', `fetch('http://${ip}:8080/').then(r => r.text()).then(t => process.stdout.write(t))`]);
    t.equal(page.trim(), 'page-web', 'the node reaches the pod by its IP');
    t.match(await node.ok(['get', 'pod', 'web', '-o', 'wide']), /web\s+1\/1\s+Running\s+0\s+\S+\s+10\.42\.0\.\d+\s+node-a/);
  });

  await t.test('kill -9 of the server, then a restart: the container keeps running, restart count unchanged', async (t) => {
    const before = await jsonpath('pod', 'web', '.status.containerStatuses[0].containerID');
    await node.stop('SIGKILL');
    await node.restart();
    await node.ok(['wait', '--for=condition=Ready', 'node/node-a', '--timeout=60s']);
    t.equal(await jsonpath('pod', 'web', '.status.containerStatuses[0].containerID'), before, 'same container');
    t.equal(await jsonpath('pod', 'web', '.status.containerStatuses[0].restartCount'), '0');
  });

  await t.test('a crashing container restarts with back-off', async (t) => {
    await node.ok(['apply', '-f', '-'], {
      input: `apiVersion: v1
kind: Pod
metadata:
  name: crash
spec:
  nodeName: node-a
  containers:
  - name: c
    image: localhost/tsk8s/busybox:1.35
    imagePullPolicy: Never
    command: ["sh", "-c", "echo crashing; exit 3"]
`,
    });
    const deadline = Date.now() + 60_000;
    let status = '';
    while (Date.now() < deadline) {
      status = await node.ok(['get', 'pod', 'crash', '--no-headers']);
      if (/CrashLoopBackOff/.test(status) && !/\s0\s/.test(status)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    t.match(status, /crash\s+0\/1\s+CrashLoopBackOff\s+[1-9]/);
    t.equal(await jsonpath('pod', 'crash', '.status.containerStatuses[0].lastState.terminated.exitCode'), '3');
  });

  await t.test('kubectl run: the scheduler places the pod on the node', async (t) => {
    await node.ok(['run', 'sched', '--image=localhost/tsk8s/busybox:1.35', '--image-pull-policy=Never', '--command', '--', 'sh', '-c', "trap 'exit 0' TERM; sleep 600 & wait"]);
    await waitReady('pod/sched');
    t.equal(await jsonpath('pod', 'sched', '.spec.nodeName'), 'node-a');
    t.match(await node.ok(['get', 'events', '--field-selector', 'involvedObject.name=sched,reason=Scheduled', '-o', 'jsonpath={.items[0].message}']), 'Successfully assigned default/sched to node-a');
    await node.ok(['delete', 'pod', 'sched', '--timeout=60s']);
  });

  await t.test('a Deployment rolls out, scales, restarts, and its pods go with it', async (t) => {
    await node.ok(['create', 'deployment', 'app', '--image=localhost/tsk8s/busybox:1.35', '--replicas=2', '--', 'sh', '-c', "trap 'exit 0' TERM; sleep 600 & wait"]);
    t.match(await node.ok(['rollout', 'status', 'deployment/app', '--timeout=90s']), /successfully rolled out/);
    await node.ok(['scale', 'deployment/app', '--replicas=3']);
    t.match(await node.ok(['rollout', 'status', 'deployment/app', '--timeout=90s']), /successfully rolled out/);
    t.match(await node.ok(['get', 'deployment', 'app']), /app\s+3\/3\s+3\s+3/);
    await node.ok(['rollout', 'restart', 'deployment/app']);
    t.match(await node.ok(['rollout', 'status', 'deployment/app', '--timeout=120s']), /successfully rolled out/);
    t.match(await node.ok(['rollout', 'history', 'deployment/app']), /^2\s/m, 'a second revision');
    t.ok(await node.ok(['get', 'serviceaccount', 'default', '-o', 'name']), 'the default ServiceAccount exists');
    await node.ok(['delete', 'deployment', 'app', '--timeout=90s']);
    const deadline = Date.now() + 60_000;
    let left = '';
    while (Date.now() < deadline) {
      left = await node.ok(['get', 'pods', '-l', 'app=app', '-o', 'name']);
      if (left.trim() === '') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    t.equal(left.trim(), '', 'the garbage collector removed the ReplicaSets and their pods');
  });

  await t.test('delete honours the grace period and removes the pod', async (t) => {
    const started = Date.now();
    await node.ok(['delete', 'pod', 'web', '--timeout=60s']);
    t.ok(Date.now() - started < 30_000, 'TERM ends it without waiting out a long grace period');
    const r = await node.kubectl(['get', 'pod', 'web']);
    t.match(r.stderr, /pods "web" not found/);
    await node.ok(['delete', 'pod', 'crash', '--timeout=60s']);
    t.notOk(existsSync(join(node.dir, 'agent', 'pods')) && readdirSync(join(node.dir, 'agent', 'pods')).length > 0, 'pod dirs removed');
  });
}

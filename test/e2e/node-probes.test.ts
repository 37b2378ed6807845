// Probes and lifecycle hooks on a real node: exec and httpGet readiness
// probes gate Ready, a failing liveness probe restarts the container, and
// a postStart hook runs before the main command sees its result. Needs
// root, runtime/ and runtime/images (CI has all three).
import t from 'tap';
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
    await node.ok(['wait', '--for=condition=Ready', 'node/node-a', '--timeout=60s']);
  });

  const pod = (name: string, command: string, container: string, extra = ''): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  nodeName: node-a
  terminationGracePeriodSeconds: 2
${extra}  containers:
  - name: main
    image: localhost/tsk8s/busybox:1.35
    imagePullPolicy: Never
    command: ["sh", "-c", ${JSON.stringify(command)}]
${container}`;

  const jsonpath = async (name: string, path: string): Promise<string> => node.ok(['get', 'pod', name, '-o', `jsonpath={${path}}`]);
  const until = async (what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> => {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (await fn()) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    const describe = await node.kubectl(['describe', 'pod', what]);
    throw new Error(`timed out waiting for ${what}\n${describe.stdout}\n--- server:\n${node.output().split('\n').slice(-40).join('\n')}`);
  };
  const events = async (name: string): Promise<string> => node.ok(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'custom-columns=REASON:.reason,MESSAGE:.message', '--no-headers']);

  await t.test('an exec readiness probe keeps the pod 0/1 until the file exists', async (t) => {
    const spec = pod(
      'ready-file',
      "trap 'exit 0' TERM; sleep 3600 & wait",
      `    readinessProbe:
      exec:
        command: ["test", "-f", "/tmp/ready"]
      periodSeconds: 1
`,
    );
    await node.ok(['apply', '-f', '-'], { input: spec });
    await until('ready-file', async () => (await jsonpath('ready-file', '.status.phase')) === 'Running');
    await new Promise((r) => setTimeout(r, 3000));
    t.equal(await jsonpath('ready-file', '.status.containerStatuses[0].ready'), 'false');
    t.match(await node.ok(['get', 'pod', 'ready-file']), /ready-file\s+0\/1\s+Running/);
    t.match(await events('ready-file'), /Unhealthy\s+Readiness probe failed:/);
    await node.ok(['exec', 'ready-file', '--', 'touch', '/tmp/ready']);
    await node.ok(['wait', '--for=condition=Ready', 'pod/ready-file', '--timeout=30s']);
    t.match(await node.ok(['get', 'pod', 'ready-file']), /ready-file\s+1\/1\s+Running/);
    await node.ok(['delete', 'pod', 'ready-file', '--timeout=60s']);
  });

  await t.test('a failing liveness probe restarts the container', async (t) => {
    const spec = pod(
      'liveness',
      "trap 'exit 0' TERM; sleep 3600 & wait",
      `    livenessProbe:
      exec:
        command: ["sh", "-c", "test ! -f /tmp/dead"]
      periodSeconds: 1
      failureThreshold: 2
`,
    );
    await node.ok(['apply', '-f', '-'], { input: spec });
    await node.ok(['wait', '--for=condition=Ready', 'pod/liveness', '--timeout=60s']);
    t.equal(await jsonpath('liveness', '.status.containerStatuses[0].restartCount'), '0');
    await node.ok(['exec', 'liveness', '--', 'touch', '/tmp/dead']);
    await until('liveness', async () => Number(await jsonpath('liveness', '.status.containerStatuses[0].restartCount')) >= 1);
    const ev = await events('liveness');
    t.match(ev, /Unhealthy\s+Liveness probe failed/);
    t.match(ev, /Killing\s+Container main failed liveness probe, will be restarted/);
    // The new container has no /tmp/dead: it becomes ready and stays.
    await node.ok(['wait', '--for=condition=Ready', 'pod/liveness', '--timeout=60s']);
    await node.ok(['delete', 'pod', 'liveness', '--timeout=60s']);
  });

  await t.test('an httpGet readiness probe against httpd in the pod', async (t) => {
    const spec = pod(
      'http-ready',
      "mkdir -p /www; echo ok > /www/healthz; trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait",
      `    ports:
    - name: http
      containerPort: 8080
    readinessProbe:
      httpGet:
        path: /healthz
        port: http
      periodSeconds: 1
`,
    );
    await node.ok(['apply', '-f', '-'], { input: spec });
    await node.ok(['wait', '--for=condition=Ready', 'pod/http-ready', '--timeout=60s']);
    t.equal(await jsonpath('http-ready', '.status.containerStatuses[0].ready'), 'true');
    await node.ok(['exec', 'http-ready', '--', 'rm', '/www/healthz']);
    await until('http-ready', async () => (await jsonpath('http-ready', '.status.containerStatuses[0].ready')) === 'false', 30_000);
    t.match(await events('http-ready'), /Readiness probe failed: HTTP probe failed with statuscode: 404/);
    await node.ok(['delete', 'pod', 'http-ready', '--timeout=60s']);
  });

  await t.test('postStart writes a file the main command sees', async (t) => {
    const spec = pod(
      'poststart',
      "while [ ! -f /tmp/hook ]; do sleep 0.2; done; cat /tmp/hook; trap 'exit 0' TERM; sleep 3600 & wait",
      `    lifecycle:
      postStart:
        exec:
          command: ["sh", "-c", "echo from-post-start > /tmp/hook"]
`,
    );
    await node.ok(['apply', '-f', '-'], { input: spec });
    await node.ok(['wait', '--for=condition=Ready', 'pod/poststart', '--timeout=60s']);
    await until('poststart', async () => (await node.ok(['logs', 'poststart'])).includes('from-post-start'), 20_000);
    t.match(await node.ok(['logs', 'poststart']), /from-post-start/);
    await node.ok(['delete', 'pod', 'poststart', '--timeout=60s']);
  });
}

// Static pods on a real node: a manifest dropped into
// `<data-dir>/agent/pod-manifests` runs without the API, shows in kubectl
// as its mirror pod (Running, with logs), comes back when the mirror is
// deleted and goes when the file is removed. Needs root, runtime/ and
// runtime/images (CI has all three).
import t from 'tap';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeSkipReason, startNode, type TestNode } from '../helpers/node.js';

const skip = nodeSkipReason();
t.setTimeout(600_000);
if (skip) {
  t.plan(0, skip);
} else {
  let node: TestNode;
  t.before(async () => {
    node = await startNode({ teardown: (fn) => t.teardown(fn) });
    await node.ok(['wait', '--for=condition=Ready', 'node/node-a', '--timeout=60s']);
  });

  const manifest = `apiVersion: v1
kind: Pod
metadata:
  name: static-web
  labels: {tier: static}
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: web
    image: localhost/tsk8s/busybox:1.35
    imagePullPolicy: Never
    command: ["sh", "-c", "echo hello from a static pod; trap 'exit 0' TERM; sleep 600 & wait"]
`;

  /** Polls `kubectl get` until `done` accepts its output (or a minute passed); returns the last output. */
  const poll = async (args: string[], done: (out: string) => boolean): Promise<string> => {
    const deadline = Date.now() + 60_000;
    let out = '';
    while (Date.now() < deadline) {
      const r = await node.kubectl(args);
      out = r.stdout + r.stderr;
      if (done(out)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    return out;
  };
  const path = (): string => join(node.dir, 'agent', 'pod-manifests', 'static-web.yaml');

  await t.test('a manifest in pod-manifests runs and is mirrored to the API', async (t) => {
    writeFileSync(path(), manifest);
    const out = await poll(['get', 'pod', 'static-web-node-a', '--no-headers'], (o) => /1\/1\s+Running/.test(o));
    t.match(out, /static-web-node-a\s+1\/1\s+Running\s+0/, `server:\n${node.output().split('\n').slice(-20).join('\n')}`);
    const pod = JSON.parse(await node.ok(['get', 'pod', 'static-web-node-a', '-o', 'json'])) as { metadata: { annotations: Record<string, string>; ownerReferences: { kind: string; name: string }[] } };
    t.equal(pod.metadata.annotations['kubernetes.io/config.source'], 'file');
    t.match(pod.metadata.annotations['kubernetes.io/config.mirror'], /^[0-9a-f]{32}$/);
    t.match(pod.metadata.ownerReferences, [{ kind: 'Node', name: 'node-a' }]);
    t.match(await node.ok(['logs', 'static-web-node-a']), /hello from a static pod/);
  });

  await t.test('a deleted mirror pod comes back, the container keeps running', async (t) => {
    const containerId = await node.ok(['get', 'pod', 'static-web-node-a', '-o', 'jsonpath={.status.containerStatuses[0].containerID}']);
    const uid = await node.ok(['get', 'pod', 'static-web-node-a', '-o', 'jsonpath={.metadata.uid}']);
    await node.ok(['delete', 'pod', 'static-web-node-a', '--wait=false']);
    const out = await poll(['get', 'pod', 'static-web-node-a', '-o', 'jsonpath={.metadata.uid} {.status.containerStatuses[0].containerID}'], (o) => !o.startsWith(uid) && o.includes('containerd://'));
    t.not(out.split(' ')[0], uid, 'a new mirror pod');
    t.equal(out.split(' ')[1], containerId, 'the same container');
  });

  await t.test('removing the file stops the pod and removes the mirror', async (t) => {
    rmSync(path());
    const out = await poll(['get', 'pod', 'static-web-node-a'], (o) => /not found/.test(o));
    t.match(out, /pods "static-web-node-a" not found/);
    // The only pod of this node: its directory goes once it is stopped and cleaned up.
    const podsDir = join(node.dir, 'agent', 'pods');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && existsSync(podsDir) && readdirSync(podsDir).length > 0) await new Promise((r) => setTimeout(r, 500));
    t.same(existsSync(podsDir) ? readdirSync(podsDir) : [], [], 'the pod is stopped and its directory removed');
  });
}

// A StatefulSet on a real node, driven by the real kubectl: pods made in
// order with stable names and hostnames, rolled by restart, set image and
// undo, a deleted pod made anew under its name, and a scale-down from the
// highest ordinal. Needs root, runtime/ and runtime/images (CI has all three).
import t from 'tap';
import { nodeSkipReason, startNode, type TestNode } from '../helpers/node.js';

const skip = nodeSkipReason();
// A whole node starts and rolls a StatefulSet several times: more than the default two minutes.
t.setTimeout(600_000);
if (skip) {
  t.plan(0, skip);
} else {
  let node: TestNode;
  t.before(async () => {
    node = await startNode({ teardown: (fn) => t.teardown(fn) });
    await node.ok(['wait', '--for=condition=Ready', 'node/node-a', '--timeout=60s']);
  });

  const image = 'localhost/tsk8s/busybox:1.35';
  const manifest = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  replicas: 3
  serviceName: web
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: web
        image: ${image}
        imagePullPolicy: Never
        command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
`;

  interface PodView {
    metadata: { name: string; uid: string; creationTimestamp: string; annotations?: Record<string, string> };
    spec: { containers: { image: string }[] };
    status: { conditions?: { type: string; status: string; lastTransitionTime: string }[] };
  }

  const podsOf = async (): Promise<Map<string, PodView>> => {
    const list = JSON.parse(await node.ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])) as { items: PodView[] };
    return new Map(list.items.map((p) => [p.metadata.name, p]));
  };
  const rolloutStatus = async (): Promise<string> => {
    const r = await node.kubectl(['rollout', 'status', 'statefulset/web', '--timeout=180s']);
    if (r.code === 0) return r.stdout;
    const describe = await node.kubectl(['describe', 'statefulset', 'web']);
    const pods = await node.kubectl(['get', 'pods', '-o', 'wide']);
    throw new Error(`rollout status failed: ${r.stderr}\n${describe.stdout}\n${pods.stdout}\n--- server:\n${node.output().split('\n').slice(-40).join('\n')}`);
  };
  /** Polls kubectl until `done` holds of the pod names (sorted, comma-joined); returns every distinct listing seen. */
  const watchNames = async (done: (names: string) => boolean): Promise<string[]> => {
    const seen: string[] = [];
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      const names = (await node.ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])).trim().split(/\s+/).filter(Boolean).sort().join(',');
      if (seen.at(-1) !== names) seen.push(names);
      if (done(names)) return seen;
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`pods never settled; seen: ${seen.join(' | ')}`);
  };

  await t.test('kubectl apply: web-0, web-1, web-2 start in order and rollout status succeeds', async (t) => {
    await node.ok(['apply', '-f', '-'], { input: manifest });
    t.match(await rolloutStatus(), /partitioned roll out complete: 3 new pods have been updated/);
    t.match(await node.ok(['get', 'statefulset', 'web']), /web\s+3\/3/);
    const pods = await podsOf();
    t.same([...pods.keys()].sort(), ['web-0', 'web-1', 'web-2']);
    for (const [prev, next] of [['web-0', 'web-1'], ['web-1', 'web-2']] as const) {
      const readyAt = pods.get(prev)?.status.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime ?? '';
      t.ok(readyAt && (pods.get(next)?.metadata.creationTimestamp ?? '') >= readyAt, `${next} was created after ${prev} became Ready`);
    }
    t.equal((await node.ok(['exec', 'web-1', '--', 'hostname'])).trim(), 'web-1', 'the pod name is its hostname');
  });

  await t.test('kubectl rollout restart rolls every pod', async (t) => {
    const before = await podsOf();
    await node.ok(['rollout', 'restart', 'statefulset/web']);
    await rolloutStatus();
    const after = await podsOf();
    t.same([...after.keys()].sort(), ['web-0', 'web-1', 'web-2']);
    for (const [name, pod] of after) {
      t.not(pod.metadata.uid, before.get(name)?.metadata.uid, `${name} was replaced`);
      t.ok(pod.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'], `${name} has the restart annotation`);
    }
    t.match(await node.ok(['rollout', 'history', 'statefulset/web']), /^2\s/m, 'a second revision');
  });

  await t.test('kubectl set image starts a rollout from web-2; rollout undo brings the previous template back', async (t) => {
    const before = await podsOf();
    await node.ok(['set', 'image', 'statefulset/web', 'web=localhost/tsk8s/busybox:absent']);
    const deadline = Date.now() + 120_000;
    let web2 = '';
    while (Date.now() < deadline && web2 !== 'localhost/tsk8s/busybox:absent') {
      web2 = (await node.kubectl(['get', 'pod', 'web-2', '-o', 'jsonpath={.spec.containers[0].image}'])).stdout;
      await new Promise((r) => setTimeout(r, 300));
    }
    t.equal(web2, 'localhost/tsk8s/busybox:absent', 'web-2 is replaced first');
    t.match(await node.ok(['rollout', 'history', 'statefulset/web']), /^3\s/m, 'a third revision');
    t.match(await node.ok(['rollout', 'undo', 'statefulset/web']), /rolled back/);
    // OrderedReady waits on the broken web-2 even after the undo: upstream's
    // "forced rollback" asks the user to delete the pod, and so do we.
    await node.ok(['delete', 'pod', 'web-2', '--timeout=60s']);
    await rolloutStatus();
    const after = await podsOf();
    t.equal(after.get('web-2')?.spec.containers[0]?.image, image);
    t.equal(after.get('web-1')?.metadata.uid, before.get('web-1')?.metadata.uid, 'web-1 was never touched: web-2 never became ready');
    t.equal(after.get('web-0')?.metadata.uid, before.get('web-0')?.metadata.uid);
  });

  await t.test('a deleted pod comes back under the same name', async (t) => {
    const before = (await podsOf()).get('web-1')?.metadata.uid;
    await node.ok(['delete', 'pod', 'web-1', '--timeout=60s']);
    await node.ok(['wait', '--for=condition=Ready', 'pod/web-1', '--timeout=120s']);
    const after = (await podsOf()).get('web-1')?.metadata.uid;
    t.ok(after && after !== before, 'web-1 is a new pod');
    await rolloutStatus();
  });

  await t.test('scaling to 1 removes web-2, then web-1', async (t) => {
    await node.ok(['scale', 'statefulset/web', '--replicas=1']);
    const seen = await watchNames((names) => names === 'web-0');
    t.notOk(seen.includes('web-0,web-2'), `web-1 never went before web-2 (seen: ${seen.join(' | ')})`);
    t.match(await node.ok(['get', 'statefulset', 'web']), /web\s+1\/1/);
    await node.ok(['delete', 'statefulset', 'web', '--timeout=60s']);
    await watchNames((names) => names === '');
  });
}

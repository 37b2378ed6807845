// Local-path storage on a real node: the default StorageClass, a claim
// provisioned on the node the scheduler picks, data that outlives the pod
// that wrote it, clean-up of the directory when the claim goes, and a
// StatefulSet whose pod finds its data again after being deleted. Needs
// root, runtime/ and runtime/images (CI has all three).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
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

  const podYaml = (name: string, claim: string, script: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: c
    image: localhost/tsk8s/busybox:1.35
    imagePullPolicy: Never
    command: ["sh", "-c", "${script}; trap 'exit 0' TERM; sleep 3600 & wait"]
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: ${claim}
`;

  const claimYaml = (name: string): string => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 64Mi
`;

  // On a failed wait, what a person would look at: the description and the server's last lines.
  const waitFor = async (what: string, condition = 'condition=Ready'): Promise<void> => {
    const r = await node.kubectl(['wait', `--for=${condition}`, what, '--timeout=90s']);
    if (r.code === 0) return;
    const describe = await node.kubectl(['describe', what]);
    throw new Error(`${what} not ${condition}: ${r.stderr}\n${describe.stdout}\n--- server:\n${node.output().split('\n').slice(-60).join('\n')}`);
  };
  const jsonpath = (kind: string, name: string, path: string): Promise<string> => node.ok(['get', kind, name, '-o', `jsonpath={${path}}`]);

  await t.test('the default StorageClass is local-path', async (t) => {
    const out = await node.ok(['get', 'storageclass']);
    t.match(out, /^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE$/m);
    t.match(out, /^local-path \(default\)\s+rancher\.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false\s+\S+$/m);
  });

  await t.test('a pod writes to its claim; a new pod with the same claim reads it back', async (t) => {
    await node.ok(['apply', '-f', '-'], { input: claimYaml('data') });
    t.equal(await jsonpath('pvc', 'data', '.spec.storageClassName'), 'local-path', 'the claim got the default class');
    t.equal(await jsonpath('pvc', 'data', '.status.phase'), 'Pending', 'nothing binds before a pod needs it');
    await node.ok(['apply', '-f', '-'], { input: podYaml('writer', 'data', 'echo written-by-writer > /data/hello') });
    await waitFor('pod/writer');
    t.equal(await jsonpath('pvc', 'data', '.status.phase'), 'Bound');
    const pv = await jsonpath('pvc', 'data', '.spec.volumeName');
    const uid = await jsonpath('pvc', 'data', '.metadata.uid');
    t.equal(pv, `pvc-${uid}`);
    const dir = join(node.dir, 'storage', `${pv}_default_data`);
    t.equal(await jsonpath('pv', pv, '.spec.hostPath.path'), dir, 'the volume lives under <data-dir>/storage');
    t.equal(readFileSync(join(dir, 'hello'), 'utf8'), 'written-by-writer\n', 'the file is on the node');

    await node.ok(['delete', 'pod', 'writer', '--wait=true']);
    await node.ok(['apply', '-f', '-'], { input: podYaml('reader', 'data', 'cat /data/hello') });
    await waitFor('pod/reader');
    t.equal((await node.ok(['logs', 'reader'])).trim(), 'written-by-writer', 'the new pod reads what the old one wrote');
    t.equal((await node.ok(['exec', 'reader', '--', 'cat', '/data/hello'])).trim(), 'written-by-writer');

    await node.ok(['delete', 'pod', 'reader', '--wait=true']);
    await node.ok(['delete', 'pvc', 'data', '--wait=true']);
    await waitFor(`pv/${pv}`, 'delete');
    t.notOk(existsSync(dir), 'the directory is removed with the volume');
    t.ok(existsSync(join(node.dir, 'storage')), 'the storage dir stays');
  });

  await t.test("a StatefulSet's data in its claim survives deleting its pod", async (t) => {
    await node.ok(['apply', '-f', '-'], {
      input: `apiVersion: v1
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
  serviceName: web
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: c
        image: localhost/tsk8s/busybox:1.35
        imagePullPolicy: Never
        command: ["sh", "-c", "[ -f /data/id ] || echo first-run-$(date +%s) > /data/id; trap 'exit 0' TERM; sleep 3600 & wait"]
        volumeMounts:
        - name: www
          mountPath: /data
  volumeClaimTemplates:
  - metadata:
      name: www
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 32Mi
`,
    });
    await node.ok(['wait', '--for=create', 'pod/web-0', '--timeout=90s']);
    await waitFor('pod/web-0');
    t.equal(await jsonpath('pvc', 'www-web-0', '.status.phase'), 'Bound', 'the claim from the template is bound');
    const first = (await node.ok(['exec', 'web-0', '--', 'cat', '/data/id'])).trim();
    t.match(first, /^first-run-\d+$/);
    await node.ok(['exec', 'web-0', '--', 'sh', '-c', 'echo written-by-exec > /data/marker']);
    const oldUid = await jsonpath('pod', 'web-0', '.metadata.uid');

    await node.ok(['delete', 'pod', 'web-0', '--wait=true']);
    const deadline = Date.now() + 90_000;
    for (;;) {
      const r = await node.kubectl(['get', 'pod', 'web-0', '-o', 'jsonpath={.metadata.uid}']);
      if (r.code === 0 && r.stdout !== '' && r.stdout !== oldUid) break;
      if (Date.now() > deadline) throw new Error(`web-0 was not recreated:\n${node.output().split('\n').slice(-60).join('\n')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    await waitFor('pod/web-0');
    t.equal((await node.ok(['exec', 'web-0', '--', 'cat', '/data/id'])).trim(), first, 'the recreated web-0 finds the same data');
    t.equal((await node.ok(['exec', 'web-0', '--', 'cat', '/data/marker'])).trim(), 'written-by-exec', 'and what was written into it later');
  });
}

import t from 'tap';
import { findKubectl, kubectlFor } from '../helpers/kubectl.js';
import { startTsk8s } from '../helpers/server.js';

// The real kubectl against `tsk8s server` (no agent): a ReplicationController
// keeps its replicas, `get rc` prints them, `scale rc` changes them and
// deleting it takes its pods.
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
  const until = async (args: string[], test: (out: string) => boolean, timeoutMs = 60_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const r = await kubectl(args);
      if (r.code === 0 && test(r.stdout)) return r.stdout;
      if (Date.now() > deadline) return r.stdout + r.stderr;
      await new Promise((res) => setTimeout(res, 250));
    }
  };
  const podCount = (out: string): number => out.split(/\s+/).filter(Boolean).length;

  t.test('create, get and scale an rc; delete takes its pods', async (t) => {
    const rc = 'apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: c\n        image: busybox\n';
    t.match(await ok(['create', '-f', '-'], rc), /replicationcontroller\/web created/);
    const pods = ['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'];
    t.equal(podCount(await until(pods, (out) => podCount(out) === 2)), 2);
    t.match(await until(['get', 'rc', 'web'], (out) => /web\s+2\s+2\s/.test(out)), /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nweb\s+2\s+2\s+0\s+\d+s\n$/);
    t.match(await ok(['scale', 'rc', 'web', '--replicas=4']), /replicationcontroller\/web scaled/);
    t.equal(podCount(await until(pods, (out) => podCount(out) === 4)), 4);
    t.equal(await until(['get', 'rc', 'web', '-o', 'jsonpath={.status.replicas}'], (out) => out === '4'), '4');
    await ok(['scale', 'rc', 'web', '--replicas=1']);
    t.equal(await until(['get', 'rc', 'web', '-o', 'jsonpath={.status.replicas}'], (out) => out === '1'), '1');
    t.match(await ok(['delete', 'rc', 'web']), /replicationcontroller "web" deleted/);
    t.equal(await until(pods, (out) => podCount(out) === 0), '');
  });
}

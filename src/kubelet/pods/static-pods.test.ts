// Static pods on the fake runtime with an in-process API server: run from
// the manifest directory, mirrored to the API with their status, replaced
// when the file changes, stopped when it goes; a deleted mirror comes back.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { Client } from '../../client/index.js';
import { isNotFound } from '../../machinery/index.js';
import { startTestApiServer } from '../../../test/helpers/apiserver.js';
import { KubeletHarness, makeDirs, testImage } from '../harness.fixture.js';

const api = await startTestApiServer();
t.teardown(() => api.close());
const client = new Client(api.inProcess());

const manifest = (command: string) => `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: main
    image: ${testImage}
    imagePullPolicy: IfNotPresent
    command: ["sh", "-c", "${command}"]
---
apiVersion: v1
kind: Pod
metadata:
  name: side
  namespace: kube-system
spec:
  containers:
  - {name: main, image: ${testImage}, imagePullPolicy: IfNotPresent, command: ["sleep", "infinity"]}
`;

async function mirror(name: string, namespace = 'default'): Promise<corev1.Pod | undefined> {
  try {
    return await client.pods.get(name, namespace);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function running(h: KubeletHarness, podName: string) {
  return (await h.runtime.listContainers()).filter((c) => c.labels['io.kubernetes.pod.name'] === podName && c.state === 'CONTAINER_RUNNING');
}

t.test('static pods run, are mirrored and follow their file', async (t) => {
  const dirs = makeDirs();
  const manifests = join(dirs.root, 'pod-manifests');
  mkdirSync(manifests);
  writeFileSync(join(manifests, 'web.yaml'), manifest('sleep 1000'));
  writeFileSync(join(manifests, '.hidden.yaml'), manifest('sleep 5'));
  const h = await KubeletHarness.start({ client, nodeName: 'static-a', dirs, podManifestsDir: manifests });
  t.teardown(() => h.stop());
  await h.advance(2000);

  const web = await mirror('web-static-a');
  t.ok(web, 'the mirror pod exists');
  const node = await client.nodes.get('static-a');
  t.match(web?.metadata, {
    labels: { app: 'web' },
    annotations: { 'kubernetes.io/config.source': 'file', 'kubernetes.io/config.mirror': /^[0-9a-f]{32}$/, 'kubernetes.io/config.hash': /^[0-9a-f]{32}$/ },
    ownerReferences: [{ kind: 'Node', name: 'static-a', uid: node.metadata?.uid, controller: true }],
  });
  const hash = web?.metadata?.annotations?.['kubernetes.io/config.mirror'];
  t.not(web?.metadata?.uid, hash, 'the mirror has a uid of its own');
  t.equal(web?.status?.phase, 'Running');
  t.match(web?.status?.containerStatuses, [{ name: 'main', ready: true, state: { running: {} } }]);
  t.ok(await mirror('side-static-a', 'kube-system'), 'every document of the file is a pod');
  const [c] = await running(h, 'web-static-a');
  t.equal(c?.labels['io.kubernetes.pod.uid'], hash, 'the pod runs under the config hash as uid');
  t.equal((await h.runtime.listPodSandbox()).filter((s) => s.labels['io.kubernetes.pod.name'] === 'web-static-a').length, 1, 'the hidden file is ignored');

  // A deleted mirror is recreated; the pod keeps running.
  await client.pods.delete('web-static-a', { namespace: 'default' });
  await h.advance(11_000);
  const again = await mirror('web-static-a');
  t.ok(again, 'the mirror pod is back');
  t.not(again?.metadata?.uid, web?.metadata?.uid);
  t.equal(again?.metadata?.deletionTimestamp, undefined);
  t.equal((await running(h, 'web-static-a'))[0]?.id, c?.id, 'the container was not restarted');
  await h.advance(1000);
  t.equal((await mirror('web-static-a'))?.status?.phase, 'Running', 'the new mirror gets the status');

  // A changed file replaces the pod.
  writeFileSync(join(manifests, 'web.yaml'), manifest('sleep 2000'));
  await h.advance(21_000);
  const changed = await mirror('web-static-a');
  t.not(changed?.metadata?.annotations?.['kubernetes.io/config.mirror'], hash, 'the mirror shows the new version');
  const now = await running(h, 'web-static-a');
  t.equal(now.length, 1);
  t.not(now[0]?.id, c?.id, 'a new container runs');
  t.equal(now[0]?.labels['io.kubernetes.pod.uid'], changed?.metadata?.annotations?.['kubernetes.io/config.mirror']);

  // A removed file stops the pods and deletes the mirrors.
  rmSync(join(manifests, 'web.yaml'));
  await h.advance(21_000);
  t.equal(await mirror('web-static-a'), undefined, 'the mirror is gone');
  t.equal(await mirror('side-static-a', 'kube-system'), undefined);
  t.same(await running(h, 'web-static-a'), [], 'the containers are stopped');
});

t.test('a kubelet restart keeps static pods running', async (t) => {
  const dirs = makeDirs();
  const manifests = join(dirs.root, 'pod-manifests');
  mkdirSync(manifests);
  writeFileSync(join(manifests, 'web.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'json' }, spec: { containers: [{ name: 'main', image: testImage, imagePullPolicy: 'IfNotPresent', command: ['sleep', 'infinity'] }] } }));
  const first = await KubeletHarness.start({ client, nodeName: 'static-b', dirs, podManifestsDir: manifests });
  await first.advance(2000);
  const [c] = await running(first, 'json-static-b');
  t.ok(c, 'the JSON manifest runs');
  await first.stop(true);
  const second = await KubeletHarness.start({ client, nodeName: 'static-b', dirs, podManifestsDir: manifests, runtime: first.runtime, clock: first.clock });
  t.teardown(() => second.stop());
  await second.advance(12_000);
  t.equal((await running(second, 'json-static-b'))[0]?.id, c?.id, 'the same container still runs');
  t.equal((await mirror('json-static-b'))?.status?.phase, 'Running');
});

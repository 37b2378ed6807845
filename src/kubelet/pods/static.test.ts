// Static pods built from manifest documents, and their mirrors.
import t from 'tap';
import { configHashAnnotation, configMirrorAnnotation, configSourceAnnotation, isMirrorPod, isStaticPod, mirrorPodOf, staticPodsOf } from './static.js';

const doc = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
const seen = '2026-01-01T00:00:00.000Z';

t.test('a Pod document becomes a static pod of this node', async (t) => {
  const { pods, problems } = staticPodsOf([doc], '/m/web.yaml', 'Node-1', seen);
  t.same(problems, []);
  const pod = pods[0]!;
  t.equal(pod.metadata?.name, 'web-node-1');
  t.equal(pod.metadata?.namespace, 'default');
  t.equal(pod.spec?.nodeName, 'Node-1');
  t.match(pod.metadata?.uid, /^[0-9a-f]{32}$/);
  t.same(pod.metadata?.annotations, { [configSourceAnnotation]: 'file', [configHashAnnotation]: pod.metadata?.uid, 'kubernetes.io/config.seen': seen });
  t.ok(isStaticPod(pod));
  t.notOk(isMirrorPod(pod));
  t.same(pod.spec?.tolerations, [{ operator: 'Exists', effect: 'NoExecute' }]);
  t.equal(pod.spec?.restartPolicy, 'Always', 'defaults are applied');
  t.equal(pod.spec?.containers[0]?.imagePullPolicy, 'Always');
});

t.test('the uid follows the content, the file and the node, not the time seen', async (t) => {
  const uid = (d: object, file = '/m/a.yaml', node = 'n', at = seen) => staticPodsOf([d], file, node, at).pods[0]?.metadata?.uid;
  t.equal(uid(doc), uid(doc, '/m/a.yaml', 'n', '2027-01-01T00:00:00.000Z'));
  t.not(uid(doc), uid(doc, '/m/b.yaml'));
  t.not(uid(doc), uid(doc, '/m/a.yaml', 'm'));
  t.not(uid(doc), uid({ ...doc, metadata: { name: 'web', namespace: 'kube-system' } }));
});

t.test('documents that are not pods are reported, the others kept', async (t) => {
  const { pods, problems } = staticPodsOf([{ kind: 'Service' }, { ...doc, metadata: {} }, { ...doc, spec: { containers: [] } }, doc], '/m/x.yaml', 'n', seen);
  t.equal(pods.length, 1);
  t.equal(problems.length, 3);
  t.match(problems[0], /document 1: not a v1 Pod/);
});

t.test('a mirror carries the config hash and is owned by the node', async (t) => {
  const pod = staticPodsOf([doc], '/m/web.yaml', 'n1', seen).pods[0]!;
  const mirror = mirrorPodOf(pod, 'node-uid');
  t.equal(mirror.metadata?.uid, undefined);
  t.equal(mirror.metadata?.annotations?.[configMirrorAnnotation], pod.metadata?.uid);
  t.equal(mirror.metadata?.annotations?.[configSourceAnnotation], 'file');
  t.same(mirror.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'n1', uid: 'node-uid', controller: true }]);
  t.ok(isMirrorPod(mirror));
});

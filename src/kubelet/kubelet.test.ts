import t from 'tap';
import { Client } from '../client/index.js';
import { startTestApiServer } from '../../test/helpers/apiserver.js';
import { KubeletHarness, testPod } from './harness.fixture.js';

const api = await startTestApiServer();
t.teardown(() => api.close());
const client = new Client(api.inProcess());

t.test('registers the node and runs a pod to Running', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: 'node-run' });
  t.teardown(() => h.stop());
  const node = await client.nodes.get('node-run');
  t.match(node.metadata?.labels, { 'kubernetes.io/hostname': 'node-run', 'kubernetes.io/os': 'linux', 'test.tsk8s.io/kubelet': 'yes' });
  t.match(node.status?.conditions?.find((c) => c.type === 'Ready'), { status: 'True', reason: 'KubeletReady' });
  await client.pods.create(testPod('default', 'run-1', 'node-run'));
  await h.settle();
  const pod = await h.pod('default', 'run-1');
  t.equal(pod.status?.phase, 'Running', JSON.stringify(pod.status, null, 1));
  t.match(pod.status?.containerStatuses?.[0], { name: 'main', ready: true, started: true, restartCount: 0, state: { running: {} } });
});

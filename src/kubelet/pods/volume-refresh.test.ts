// configMap volumes of a running pod follow updates of the ConfigMap by the
// next sync of the pod (at the latest the resync period), without a restart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { Client } from '../../client/index.js';
import { startTestApiServer } from '../../../test/helpers/apiserver.js';
import { KubeletHarness, testPod } from '../harness.fixture.js';

const api = await startTestApiServer();
t.teardown(() => api.close());
const client = new Client(api.inProcess());

t.test('a configMap volume is rewritten when the ConfigMap changes', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: 'refresh-a' });
  t.teardown(() => h.stop());
  await client.configMaps.create({ metadata: { name: 'conf', namespace: 'default' }, data: { key: 'one' } });
  const pod = testPod('default', 'reader', h.nodeName, { volumes: [{ name: 'conf', configMap: { name: 'conf' } }] });
  pod.spec!.containers[0]!.volumeMounts = [{ name: 'conf', mountPath: '/conf' }];
  const created = await client.pods.create(pod);
  await h.settle();
  const file = join(h.dirs.rootDir, 'pods', created.metadata?.uid ?? '', 'volumes', 'kubernetes.io~configmap', 'conf', 'key');
  t.equal(readFileSync(file, 'utf8'), 'one');
  const container = (await h.runtime.listContainers()).find((c) => c.labels['io.kubernetes.pod.name'] === 'reader');
  await client.configMaps.update({ metadata: { name: 'conf', namespace: 'default' }, data: { key: 'two' } });
  await h.advance(60_000, 10_000);
  t.equal(readFileSync(file, 'utf8'), 'two', 'the file has the new content');
  const after = (await h.runtime.listContainers()).filter((c) => c.labels['io.kubernetes.pod.name'] === 'reader');
  t.same(
    after.map((c) => c.id),
    [container?.id],
    'the container was not restarted',
  );
});

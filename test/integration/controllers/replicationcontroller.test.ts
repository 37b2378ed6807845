// The ReplicationController controller against an in-process API server:
// replicas kept, scaling through the scale subresource, and cascading
// deletion through the garbage collector.
import t from 'tap';
import type { corev1 } from '../../../src/api/types.js';
import { replicationControllersRef } from '../../../src/controllers/replicationcontroller.js';
import { eventually, startControllerTest } from '../../helpers/controllers.js';

const { client } = await startControllerTest(t, { controllers: ['replicationcontroller', 'garbagecollector', 'serviceaccount'] });
const rcs = client.resource<corev1.ReplicationController>(replicationControllersRef);

const podCount = async (): Promise<number> => (await client.pods.list({ namespace: 'default', labelSelector: 'app=rc-web' })).items.filter((p) => !p.metadata?.deletionTimestamp).length;

t.test('a ReplicationController keeps its replicas, scales through /scale, and takes its pods when deleted', async (t) => {
  await rcs.create({
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'rc-web', namespace: 'default' },
    spec: { replicas: 2, selector: { app: 'rc-web' }, template: { metadata: { labels: { app: 'rc-web' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  });
  t.ok(await eventually(async () => (await podCount()) === 2), 'two pods');
  t.ok(await eventually(async () => (await rcs.get('rc-web', 'default')).status?.replicas === 2), 'status counts them');
  const [pod] = (await client.pods.list({ namespace: 'default', labelSelector: 'app=rc-web' })).items;
  t.match(pod?.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'rc-web', controller: true }]);

  await rcs.patch('rc-web', { spec: { replicas: 3 } }, { namespace: 'default', subresource: 'scale', type: 'merge' });
  t.ok(await eventually(async () => (await podCount()) === 3), 'scaled up to three');
  await client.pods.delete(pod?.metadata?.name ?? '', { namespace: 'default', gracePeriodSeconds: 0 });
  t.ok(await eventually(async () => (await podCount()) === 3 && !(await client.pods.list({ namespace: 'default' })).items.some((p) => p.metadata?.name === pod?.metadata?.name)), 'a deleted pod is replaced');

  await rcs.delete('rc-web', { namespace: 'default' });
  t.ok(await eventually(async () => (await client.pods.list({ namespace: 'default', labelSelector: 'app=rc-web' })).items.length === 0), 'pods collected with it');
});

import t from 'tap';
import { Client } from '../client/index.js';
import { silentLogger } from '../log/logger.js';
import { startTestApiServer } from '../../test/helpers/apiserver.js';
import { ManualClock } from './clock.fixture.js';
import { EventRecorder } from './events.js';

const api = await startTestApiServer();
t.teardown(() => api.close());
const client = new Client(api.inProcess());

t.test('events carry the kubelet as source; repeats bump the count', async (t) => {
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const rec = new EventRecorder({ client, host: 'node-e', clock, logger: silentLogger });
  const pod = { metadata: { name: 'ev', namespace: 'default', uid: 'uid-ev', resourceVersion: '5' } };
  rec.pod(pod, 'Warning', 'BackOff', 'Back-off restarting failed container c in pod ev_default(uid-ev)', { name: 'c' });
  clock.advance(5000);
  rec.pod(pod, 'Warning', 'BackOff', 'Back-off restarting failed container c in pod ev_default(uid-ev)', { name: 'c' });
  rec.pod(pod, 'Normal', 'Pulled', 'Container image "x" already present on machine', { name: 'init', init: true });
  await rec.flush();
  const list = await client.events.list({ namespace: 'default', fieldSelector: 'involvedObject.name=ev' });
  t.equal(list.items.length, 2);
  const backoff = list.items.find((e) => e.reason === 'BackOff');
  t.match(backoff, {
    type: 'Warning',
    count: 2,
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:05Z',
    source: { component: 'kubelet', host: 'node-e' },
    involvedObject: { kind: 'Pod', name: 'ev', namespace: 'default', uid: 'uid-ev', apiVersion: 'v1', fieldPath: 'spec.containers{c}' },
    reportingComponent: 'kubelet',
    reportingInstance: 'node-e',
  });
  t.match(backoff?.metadata?.name, /^ev\.[0-9a-f]+$/);
  t.equal(list.items.find((e) => e.reason === 'Pulled')?.involvedObject.fieldPath, 'spec.initContainers{init}');
  rec.node('node-e', 'Normal', 'Starting', 'Starting kubelet.');
  await rec.flush();
  const nodeEvents = await client.events.list({ namespace: 'default', fieldSelector: 'involvedObject.name=node-e' });
  t.match(nodeEvents.items[0], { involvedObject: { kind: 'Node', name: 'node-e', uid: 'node-e' }, reason: 'Starting', message: 'Starting kubelet.' });
});

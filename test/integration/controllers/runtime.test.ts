// The shared controller runtime against an in-process API server: the
// event recorder and Lease-based leader election.
import t from 'tap';
import type { corev1 } from '../../../src/api/types.js';
import { Client, EventRecorder, LeaderElector } from '../../../src/client/index.js';
import { startControllers } from '../../../src/controllers/manager.js';
import { silentLogger } from '../../../src/log/logger.js';
import { startTestApiServer } from '../../helpers/apiserver.js';

const api = await startTestApiServer();
t.teardown(() => api.close());
const client = new Client(api.inProcess());

const pod: corev1.Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u-1' } };

t.test('the recorder creates one Event per distinct event and bumps count and lastTimestamp on repeats', async (t) => {
  let now = new Date('2026-06-01T00:00:00Z');
  const recorder = new EventRecorder(client, { component: 'test-controller', now: () => now });
  recorder.event(pod, 'Normal', 'Started', 'started it');
  now = new Date('2026-06-01T00:00:05Z');
  recorder.event(pod, 'Normal', 'Started', 'started it');
  recorder.event(pod, 'Warning', 'Failed', 'it broke');
  await recorder.flush();
  const events = (await client.events.list({ namespace: 'default' })).items.filter((e) => e.involvedObject.uid === 'u-1');
  t.equal(events.length, 2);
  const started = events.find((e) => e.reason === 'Started');
  t.match(started, {
    type: 'Normal',
    message: 'started it',
    count: 2,
    firstTimestamp: '2026-06-01T00:00:00Z',
    lastTimestamp: '2026-06-01T00:00:05Z',
    source: { component: 'test-controller' },
    involvedObject: { kind: 'Pod', name: 'p', namespace: 'default', uid: 'u-1' },
  });
  t.match(started?.metadata?.name, /^p\.[0-9a-f]+$/);
  t.match(events.find((e) => e.reason === 'Failed'), { type: 'Warning', count: 1 });
});

t.test('leader election: one holder at a time, renewals keep it, release hands over at once', async (t) => {
  const timings = { leaseDurationMs: 1000, renewDeadlineMs: 600, retryPeriodMs: 100 };
  const a = new LeaderElector({ client, name: 'le-test', identity: 'a', ...timings });
  const b = new LeaderElector({ client, name: 'le-test', identity: 'b', ...timings });
  t.equal(await a.tryAcquireOrRenew(), true, 'a takes the free lease');
  t.equal(await b.tryAcquireOrRenew(), false, 'b cannot take a held lease');
  t.equal(await a.tryAcquireOrRenew(), true, 'a renews');
  const lease = await client.leases.get('le-test', 'kube-system');
  t.match(lease.spec, { holderIdentity: 'a', leaseDurationSeconds: 1, leaseTransitions: 0 });
  await a.release();
  t.equal((await client.leases.get('le-test', 'kube-system')).spec?.holderIdentity, '');
  t.equal(await b.tryAcquireOrRenew(), true, 'b takes the released lease');
  t.equal((await client.leases.get('le-test', 'kube-system')).spec?.leaseTransitions, 1);
});

t.test('leader election: an expired holder is replaced', async (t) => {
  const timings = { leaseDurationMs: 1000, renewDeadlineMs: 600, retryPeriodMs: 100 };
  const a = new LeaderElector({ client, name: 'le-expire', identity: 'a', ...timings });
  const b = new LeaderElector({ client, name: 'le-expire', identity: 'b', ...timings });
  t.ok(await a.tryAcquireOrRenew());
  t.notOk(await b.tryAcquireOrRenew());
  await new Promise((r) => setTimeout(r, 1100));
  t.ok(await b.tryAcquireOrRenew(), 'b takes over after a stopped renewing');
});

t.test('run() leads until stopped, then releases the lease for the next candidate', async (t) => {
  const timings = { leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 100 };
  const a = new LeaderElector({ client, name: 'le-run', identity: 'a', ...timings });
  const b = new LeaderElector({ client, name: 'le-run', identity: 'b', ...timings });
  const stopA = new AbortController();
  const stopB = new AbortController();
  const log: string[] = [];
  const runA = a.run(stopA.signal, { onStartedLeading: () => void log.push('a leads'), onStoppedLeading: () => void log.push('a stops') });
  await new Promise((r) => setTimeout(r, 300));
  const runB = b.run(stopB.signal, { onStartedLeading: () => void log.push('b leads') });
  await new Promise((r) => setTimeout(r, 300));
  t.same(log, ['a leads']);
  stopA.abort();
  await runA;
  await new Promise((r) => setTimeout(r, 600));
  t.same(log, ['a leads', 'a stops', 'b leads']);
  stopB.abort();
  await runB;
});

t.test('the manager with leader election runs controllers only in the leader', async (t) => {
  const leaseTimings = { leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 100 };
  const stop = new AbortController();
  const one = startControllers({ client, logger: silentLogger, identity: 'server-1', leaderElection: true, leaseTimings, controllers: ['serviceaccount'] }, stop.signal);
  await one.ready;
  const two = startControllers({ client, logger: silentLogger, identity: 'server-2', leaderElection: true, leaseTimings, controllers: ['serviceaccount'] }, stop.signal);
  await two.ready;
  const lease = await client.leases.get('kube-controller-manager', 'kube-system');
  t.equal(lease.spec?.holderIdentity, 'server-1');
  await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'le-ns' } });
  let found = false;
  for (let i = 0; i < 100 && !found; i++) {
    found = (await client.serviceAccounts.list({ namespace: 'le-ns' })).items.some((s) => s.metadata?.name === 'default');
    if (!found) await new Promise((r) => setTimeout(r, 50));
  }
  t.ok(found, 'the leader runs the controllers');
  stop.abort();
  await Promise.all([one.stopped, two.stopped]);
});

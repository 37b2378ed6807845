// The scheduler with leader election against an in-process API server: it
// schedules only while it holds the kube-system/kube-scheduler Lease.
import t from 'tap';
import type { corev1 } from '../../../src/api/types.js';
import { Client, LeaderElector } from '../../../src/client/index.js';
import { silentLogger } from '../../../src/log/logger.js';
import { startScheduler } from '../../../src/scheduler/index.js';
import { startTestApiServer } from '../../helpers/apiserver.js';

const api = await startTestApiServer();
t.teardown(() => api.close());
const client = new Client(api.inProcess());
t.teardown(() => client.close());

const timings = { leaseDurationMs: 1_000, renewDeadlineMs: 800, retryPeriodMs: 100 };
const resources = { cpu: '4', memory: '8Gi', pods: '110' };
await client.nodes.create({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'worker', labels: { 'kubernetes.io/hostname': 'worker' } },
  status: { capacity: resources, allocatable: resources, conditions: [{ type: 'Ready', status: 'True' }] },
});

async function until(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

const holder = async (): Promise<string> => (await client.leases.get('kube-scheduler', 'kube-system')).spec?.holderIdentity ?? '';
const nodeOf = async (name: string): Promise<string> => (await client.pods.get(name, 'default')).spec?.nodeName ?? '';
const pod = (name: string): corev1.Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

t.test('a scheduler waits while another server holds the Lease, then takes over when it is released', async (t) => {
  // Another server's scheduler, holding the Lease and scheduling nothing.
  const other = new LeaderElector({ client, name: 'kube-scheduler', identity: 'other-server', logger: silentLogger, ...timings });
  const otherStop = new AbortController();
  let otherLeading!: () => void;
  const otherLeads = new Promise<void>((resolve) => (otherLeading = resolve));
  const otherRun = other.run(otherStop.signal, { onStartedLeading: (leading) => (otherLeading(), new Promise<void>((r) => leading.addEventListener('abort', () => r()))) });
  await otherLeads;

  const stop = new AbortController();
  const scheduler = startScheduler({ client, logger: silentLogger, leaderElection: { identity: 'this-server', ...timings } }, stop.signal);
  await scheduler.ready;
  await client.pods.create(pod('waits'));
  // An unelected scheduler binds a pod on a free node within milliseconds; give it ten times that.
  await new Promise((r) => setTimeout(r, 500));
  t.equal(await nodeOf('waits'), '', 'not scheduled while another holds the Lease');
  t.equal(await holder(), 'other-server');

  otherStop.abort();
  await otherRun;
  t.ok(await until(async () => (await nodeOf('waits')) === 'worker'), 'scheduled once this server leads');
  t.equal(await holder(), 'this-server');

  await client.pods.create(pod('next'));
  t.ok(await until(async () => (await nodeOf('next')) === 'worker'), 'and keeps scheduling');

  stop.abort();
  await scheduler.stopped;
  t.equal(await holder(), '', 'the Lease is released on stop');
});

// Probes and lifecycle hooks through the pod workers, on the fake runtime
// and an in-process API server: liveness restarts, readiness gates Ready,
// startup gates both, postStart and preStop hooks run where upstream runs them.
import t from 'tap';
import type { corev1 } from '../../api/types.js';
import { Client } from '../../client/index.js';
import { startTestApiServer } from '../../../test/helpers/apiserver.js';
import type { ExecSyncResult } from '../cri/types.js';
import { KubeletHarness, testPod } from '../harness.fixture.js';

const api = await startTestApiServer();
t.teardown(() => api.close());
const client = new Client(api.inProcess());

let nodes = 0;
const nodeName = (): string => `probe-node-${nodes++}`;

const exit = (code: number, out = ''): ExecSyncResult => ({ stdout: Buffer.from(out), stderr: Buffer.alloc(0), exitCode: code });

async function eventsOf(name: string): Promise<string[]> {
  const list = await client.events.list({ namespace: 'default', fieldSelector: `involvedObject.name=${name}` });
  return list.items.map((e) => `${e.type} ${e.reason} ${e.message}`);
}

function withContainer(pod: corev1.Pod, extra: Partial<corev1.Container>): corev1.Pod {
  Object.assign(pod.spec!.containers[0]!, extra);
  return pod;
}

t.test('a failing liveness probe kills and restarts the container', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  let healthy = true;
  h.runtime.onExec((_id, cmd) => (cmd[0] === 'alive' ? exit(healthy ? 0 : 1, healthy ? '' : 'dead\n') : undefined));
  await client.pods.create(withContainer(testPod('default', 'live', h.nodeName), { livenessProbe: { exec: { command: ['alive'] }, periodSeconds: 2, failureThreshold: 2 } }));
  await h.settle();
  await h.advance(6000);
  let pod = await h.pod('default', 'live');
  t.match(pod.status?.containerStatuses?.[0], { restartCount: 0, ready: true, state: { running: {} } });
  healthy = false;
  await h.advance(2000);
  t.equal((await h.pod('default', 'live')).status?.containerStatuses?.[0]?.restartCount, 0, 'one failure is below the threshold');
  await h.advance(2000);
  pod = await h.pod('default', 'live');
  t.match(pod.status?.containerStatuses?.[0], { restartCount: 1, state: { running: {} }, lastState: { terminated: { exitCode: 143 } } });
  const events = await eventsOf('live');
  t.ok(events.includes('Warning Unhealthy Liveness probe failed: dead\n'), 'Unhealthy event with the output');
  t.ok(events.includes('Normal Killing Container main failed liveness probe, will be restarted'));
  // The new container starts with fresh results: healthy again, it stays.
  healthy = true;
  await h.advance(10_000);
  t.equal((await h.pod('default', 'live')).status?.containerStatuses?.[0]?.restartCount, 1);
});

t.test('with restartPolicy Never a failed liveness probe kills without restarting', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  await client.pods.create(withContainer(testPod('default', 'live-never', h.nodeName, { restartPolicy: 'Never' }), { livenessProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 1 } }));
  await h.settle();
  await h.advance(3000);
  const pod = await h.pod('default', 'live-never');
  t.equal(pod.status?.phase, 'Failed');
  t.ok((await eventsOf('live-never')).includes('Normal Killing Container main failed liveness probe'));
});

t.test('a readiness probe gates the container ready flag and the Ready conditions', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  let ready = false;
  h.runtime.onExec((_id, cmd) => (cmd[0] === 'ready' ? exit(ready ? 0 : 1) : undefined));
  await client.pods.create(withContainer(testPod('default', 'ready', h.nodeName), { readinessProbe: { exec: { command: ['ready'] }, periodSeconds: 3 } }));
  await h.settle();
  await h.advance(4000);
  let pod = await h.pod('default', 'ready');
  t.match(pod.status?.containerStatuses?.[0], { ready: false, started: true });
  t.match(pod.status?.conditions?.find((c) => c.type === 'Ready'), { status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [main]' });
  ready = true;
  await h.advance(3000);
  pod = await h.pod('default', 'ready');
  t.equal(pod.status?.containerStatuses?.[0]?.ready, true);
  t.same(pod.status?.conditions?.filter((c) => c.type === 'Ready' || c.type === 'ContainersReady').map((c) => c.status), ['True', 'True']);
  ready = false;
  await h.advance(6000);
  t.equal((await h.pod('default', 'ready')).status?.containerStatuses?.[0]?.ready, true, 'two failures are below the default failureThreshold of 3');
  await h.advance(3000);
  pod = await h.pod('default', 'ready');
  t.equal(pod.status?.containerStatuses?.[0]?.ready, false, 'the third makes it unready again');
  t.equal(pod.status?.containerStatuses?.[0]?.restartCount, 0, 'readiness never restarts');
});

t.test('a startup probe gates started, readiness and liveness', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  let up = false;
  const ran: string[] = [];
  h.runtime.onExec((_id, cmd) => {
    ran.push(cmd[0] ?? '');
    return cmd[0] === 'up' ? exit(up ? 0 : 1) : undefined;
  });
  await client.pods.create(
    withContainer(testPod('default', 'startup', h.nodeName), {
      startupProbe: { exec: { command: ['up'] }, periodSeconds: 1, failureThreshold: 30 },
      livenessProbe: { exec: { command: ['live'] }, periodSeconds: 1 },
    }),
  );
  await h.settle();
  await h.advance(3000);
  t.match((await h.pod('default', 'startup')).status?.containerStatuses?.[0], { started: false, ready: false });
  t.notOk(ran.includes('live'), 'liveness waits for startup');
  up = true;
  await h.advance(2000);
  t.match((await h.pod('default', 'startup')).status?.containerStatuses?.[0], { started: true, ready: true });
  t.ok(ran.includes('live'));
});

t.test('postStart runs after StartContainer; a failing one kills the container', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  h.runtime.onExec((_id, cmd) => (cmd[0] === 'hook-ok' ? exit(0) : cmd[0] === 'hook-bad' ? exit(1, 'bad hook') : undefined));
  const ok = withContainer(testPod('default', 'poststart', h.nodeName), { lifecycle: { postStart: { exec: { command: ['hook-ok'] } } } });
  await client.pods.create(ok);
  await h.settle();
  const calls = h.runtime.calls.map((c) => c.split(' ')[0]);
  t.ok(calls.indexOf('ExecSync') > calls.indexOf('StartContainer'), 'the hook runs after the start');
  t.equal((await h.pod('default', 'poststart')).status?.containerStatuses?.[0]?.ready, true);

  const bad = withContainer(testPod('default', 'poststart-bad', h.nodeName), { lifecycle: { postStart: { exec: { command: ['hook-bad'] } } } });
  const created = await client.pods.create(bad);
  await h.settle();
  const events = await eventsOf('poststart-bad');
  const uid = created.metadata?.uid ?? '';
  t.ok(events.includes(`Warning FailedPostStartHook Exec lifecycle hook ([hook-bad]) for Container "main" in Pod "poststart-bad_default(${uid})" failed - error: command 'hook-bad' exited with 1: , message: "bad hook"`), events.join('\n'));
  t.ok(events.includes('Normal Killing FailedPostStartHook'));
  const status = (await h.pod('default', 'poststart-bad')).status?.containerStatuses?.[0];
  t.match(status, { ready: false });
  t.notOk(status?.state?.running, 'the container does not run');
});

t.test('preStop runs before StopContainer on deletion', async (t) => {
  const h = await KubeletHarness.start({ client, nodeName: nodeName() });
  t.teardown(() => h.stop());
  const order: string[] = [];
  h.runtime.onExec((_id, cmd) => {
    if (cmd[0] === 'bye') order.push('preStop');
    return cmd[0] === 'bye' ? exit(3, 'no') : undefined;
  });
  const stop = h.runtime.stopContainer.bind(h.runtime);
  h.runtime.stopContainer = async (id, timeout, opts) => {
    order.push(`stop ${timeout}`);
    return stop(id, timeout, opts);
  };
  await client.pods.create(withContainer(testPod('default', 'prestop', h.nodeName, { terminationGracePeriodSeconds: 10 }), { lifecycle: { preStop: { exec: { command: ['bye'] } } } }));
  await h.settle();
  await client.pods.delete('prestop', { namespace: 'default' });
  await h.settle();
  t.same(order.slice(0, 2), ['preStop', 'stop 10']);
  t.ok((await eventsOf('prestop')).some((e) => e.startsWith('Warning FailedPreStopHook Exec lifecycle hook ([bye]) for Container "main"')));
});

// The Job and CronJob controllers against an in-process API server. No
// kubelet runs, so the test plays the node: it marks the Jobs' pods
// Succeeded or Failed by writing their status through the client.
import t from 'tap';
import type { batchv1, corev1 } from '../../../src/api/types.js';
import { EventRecorder, SharedInformerFactory } from '../../../src/client/index.js';
import { CronJobController, cronJobsRef } from '../../../src/controllers/cronjob.js';
import { jobsRef } from '../../../src/controllers/job.js';
import { silentLogger } from '../../../src/log/logger.js';
import { eventually, startControllerTest } from '../../helpers/controllers.js';

const { client } = await startControllerTest(t, { controllers: ['job'] });
const jobs = client.resource<batchv1.Job>(jobsRef);
const cronJobs = client.resource<batchv1.CronJob>(cronJobsRef);

const ns = 'batch';
await client.namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });

function jobManifest(name: string, spec: Partial<batchv1.JobSpec>): batchv1.Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
  };
}

async function podsOf(job: string): Promise<corev1.Pod[]> {
  return (await client.pods.list({ namespace: ns, labelSelector: `batch.kubernetes.io/job-name=${job}` })).items;
}

const isRunning = (p: corev1.Pod): boolean => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed' && !p.metadata?.deletionTimestamp;

/** The node's part: every pod still pending ends in `phase`. Returns how many it finished. */
async function finishPods(job: string, phase: 'Succeeded' | 'Failed'): Promise<number> {
  let n = 0;
  for (const pod of (await podsOf(job)).filter(isRunning)) {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const exitCode = phase === 'Succeeded' ? 0 : 1;
    const status: corev1.PodStatus = {
      phase,
      startTime: now,
      containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, reason: phase === 'Succeeded' ? 'Completed' : 'Error', startedAt: now, finishedAt: now } } }],
    };
    await client.pods.updateStatus({ ...pod, status });
    n++;
  }
  return n;
}

function condition(job: batchv1.Job, type: string): batchv1.JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

t.test('a Job with completions 3 and parallelism 2 runs at most two pods at a time and completes', async (t) => {
  await jobs.create(jobManifest('three', { completions: 3, parallelism: 2 }), { namespace: ns });
  let maxActive = 0;
  const done = await eventually(async () => {
    const pods = await podsOf('three');
    maxActive = Math.max(maxActive, pods.filter(isRunning).length);
    await finishPods('three', 'Succeeded');
    return condition(await jobs.get('three', ns), 'Complete') !== undefined;
  });
  t.ok(done, 'the Job completes');
  const job = await jobs.get('three', ns);
  t.match(job.status, { succeeded: 3, active: 0, failed: 0 });
  t.ok(job.status?.completionTime && job.status.startTime);
  t.ok(condition(job, 'SuccessCriteriaMet'));
  t.ok(maxActive <= 2 && maxActive >= 1, `at most parallelism pods ran at once (saw ${maxActive})`);
  const pods = await podsOf('three');
  t.equal(pods.length, 3, 'one pod per completion');
  t.match(pods[0]?.metadata?.ownerReferences, [{ kind: 'Job', name: 'three', controller: true }]);
});

t.test('a Job whose pods keep failing stops at its backoffLimit with BackoffLimitExceeded', async (t) => {
  await jobs.create(jobManifest('failing', { backoffLimit: 1 }), { namespace: ns });
  const created = Date.now();
  // The replacement for the first failed pod waits out the 10 s failure back-off.
  const failed = await eventually(async () => {
    await finishPods('failing', 'Failed');
    return condition(await jobs.get('failing', ns), 'Failed') !== undefined;
  }, 25_000);
  t.ok(Date.now() - created >= 9_000, 'the replacement pod waited for the back-off');
  t.ok(failed, 'the Job fails');
  const job = await jobs.get('failing', ns);
  t.match(condition(job, 'Failed'), { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' });
  t.ok(condition(job, 'FailureTarget'));
  t.equal(job.status?.failed, 2, 'backoffLimit 1: the second failure fails the Job');
  t.equal((await podsOf('failing')).length, 2, 'no pod after the limit');
  const events = (await client.events.list({ namespace: ns })).items.filter((e) => e.involvedObject.name === 'failing');
  t.ok(events.some((e) => e.reason === 'BackoffLimitExceeded'));
});

t.test('a CronJob `* * * * *` on a fake clock creates its Job for the latest minute', async (t) => {
  const cj = await cronJobs.create(
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tick', namespace: ns },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
    },
    { namespace: ns },
  );
  const fakeNow = new Date(Date.parse(cj.metadata?.creationTimestamp ?? '') + 90_000);
  const informers = new SharedInformerFactory(client, { logger: silentLogger });
  const recorder = new EventRecorder(client, { component: 'cronjob-controller' });
  const controller = new CronJobController({
    client,
    cronJobs: informers.informerFor<batchv1.CronJob>(cronJobsRef),
    jobs: informers.informerFor<batchv1.Job>(jobsRef),
    recorder,
    now: () => fakeNow,
  });
  const stopCron = new AbortController();
  informers.start(stopCron.signal);
  await informers.synced();
  const workers = controller.run(1, stopCron.signal);
  t.teardown(async () => {
    stopCron.abort();
    await workers;
    await informers.stop();
  });
  const expected = `tick-${Math.floor(fakeNow.getTime() / 60_000)}`;
  t.ok(await eventually(async () => (await jobs.list({ namespace: ns })).items.some((j) => j.metadata?.name === expected)), `job ${expected} created`);
  const job = await jobs.get(expected, ns);
  t.match(job.metadata?.ownerReferences, [{ kind: 'CronJob', name: 'tick', controller: true }]);
  t.equal(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(Math.floor(fakeNow.getTime() / 60_000) * 60_000).toISOString().replace(/\.\d+Z$/, 'Z'));
  t.ok(await eventually(async () => (await cronJobs.get('tick', ns)).status?.active?.[0]?.name === expected), 'status.active names the job');
  t.ok((await cronJobs.get('tick', ns)).status?.lastScheduleTime);
  await recorder.flush();
});

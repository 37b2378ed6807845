import t from 'tap';
import type { batchv1, corev1 } from '../api/types.js';
import { JobController } from './job.js';
import { formatIndexes, parseIndexes } from './job-pods.js';
import { FakeLister, FakeRecorder, makePod, recordingClient } from './testing.fixture.js';

const now = new Date('2026-06-01T00:10:00Z');

function makeJob(name: string, spec: Partial<batchv1.JobSpec> = {}, status?: batchv1.JobStatus): batchv1.Job {
  const labels = { 'batch.kubernetes.io/controller-uid': `job-${name}`, 'batch.kubernetes.io/job-name': name };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default', uid: `job-${name}`, resourceVersion: '1', creationTimestamp: '2026-06-01T00:00:00Z' },
    spec: {
      completions: 1,
      parallelism: 1,
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': `job-${name}` } },
      template: { metadata: { labels }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

function jobPod(job: batchv1.Job, name: string, phase: string, extra: { index?: number; restarts?: number; exitCode?: number } = {}): corev1.Pod {
  const pod = makePod(name, { phase, owner: job, restarts: extra.restarts });
  pod.metadata!.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata!.name!, uid: job.metadata!.uid!, controller: true }];
  if (extra.index !== undefined) pod.metadata!.annotations = { 'batch.kubernetes.io/job-completion-index': String(extra.index) };
  if (extra.exitCode !== undefined) pod.status!.containerStatuses = [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: extra.exitCode } } }];
  return pod;
}

function setup(jobs: batchv1.Job[], pods: corev1.Pod[]) {
  const { client, transport } = recordingClient();
  const recorder = new FakeRecorder();
  const podLister = new FakeLister(pods);
  const controller = new JobController({ client, jobs: new FakeLister(jobs), pods: podLister, recorder, now: () => now });
  t.teardown(() => controller.queue.shutDown());
  return { controller, transport, recorder, podLister };
}

function lastStatus(transport: ReturnType<typeof recordingClient>['transport'], name: string): batchv1.JobStatus | undefined {
  return transport.bodies<batchv1.Job>('update', `jobs/${name}/status`).at(-1)?.status;
}

t.test('a new Job creates parallelism pods with the job labels and a controller reference, and sets startTime', async (t) => {
  const job = makeJob('pi', { completions: 5, parallelism: 2 });
  const { controller, transport, recorder } = setup([job], []);
  await controller.sync('default/pi');
  t.same(transport.summary(), ['create pods', 'create pods', 'update jobs/pi/status']);
  const pod = transport.bodies<corev1.Pod>('create', 'pods')[0];
  t.equal(pod?.metadata?.generateName, 'pi-');
  t.match(pod?.metadata?.labels, { 'batch.kubernetes.io/controller-uid': 'job-pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'job-pi', 'job-name': 'pi' });
  t.match(pod?.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'job-pi', controller: true, blockOwnerDeletion: true }]);
  t.match(lastStatus(transport, 'pi'), { active: 2, succeeded: 0, failed: 0, startTime: '2026-06-01T00:10:00Z' });
  t.equal(recorder.events.filter((e) => e.startsWith('Normal SuccessfulCreate Created pod: pi-')).length, 2);
});

t.test('no more pods than the completions still needed', async (t) => {
  const job = makeJob('pi', { completions: 3, parallelism: 3 });
  const pods = [jobPod(job, 'a', 'Succeeded'), jobPod(job, 'b', 'Succeeded'), jobPod(job, 'c', 'Running')];
  const { controller, transport } = setup([job], pods);
  await controller.sync('default/pi');
  t.same(transport.summary(), ['update jobs/pi/status']);
  t.match(lastStatus(transport, 'pi'), { active: 1, succeeded: 2 });
});

t.test('the Job completes when completions pods have succeeded: SuccessCriteriaMet, Complete, completionTime, event', async (t) => {
  const job = makeJob('pi', { completions: 2, parallelism: 2 }, { startTime: '2026-06-01T00:00:00Z' });
  const { controller, transport, recorder } = setup([job], [jobPod(job, 'a', 'Succeeded'), jobPod(job, 'b', 'Succeeded')]);
  await controller.sync('default/pi');
  t.same(transport.summary(), ['update jobs/pi/status']);
  const status = lastStatus(transport, 'pi');
  t.match(status, { active: 0, succeeded: 2, completionTime: '2026-06-01T00:10:00Z' });
  t.same(
    status?.conditions?.map((c) => [c.type, c.status, c.reason]),
    [
      ['SuccessCriteriaMet', 'True', 'CompletionsReached'],
      ['Complete', 'True', 'CompletionsReached'],
    ],
  );
  t.ok(recorder.events.includes('Normal Completed Job completed'));
});

t.test('failures past backoffLimit fail the Job: active pods deleted, FailureTarget then Failed', async (t) => {
  const job = makeJob('bad', { completions: 3, parallelism: 2, backoffLimit: 1 });
  const pods = [jobPod(job, 'f1', 'Failed'), jobPod(job, 'f2', 'Failed'), jobPod(job, 'run', 'Running')];
  const { controller, transport, podLister } = setup([job], pods);
  await controller.sync('default/bad');
  t.same(transport.summary(), ['delete pods/run', 'update jobs/bad/status']);
  const first = lastStatus(transport, 'bad');
  t.match(first, { active: 0, failed: 2, terminating: 1 });
  t.same(first?.conditions?.map((c) => [c.type, c.reason, c.message]), [['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit']]);

  // The pod is gone; the next sync finishes the Job.
  podLister.cache.delete('default/run');
  const next = setup([{ ...job, status: first }], podLister.list());
  await next.controller.sync('default/bad');
  t.same(next.transport.summary(), ['update jobs/bad/status']);
  t.same(lastStatus(next.transport, 'bad')?.conditions?.map((c) => [c.type, c.reason]), [
    ['FailureTarget', 'BackoffLimitExceeded'],
    ['Failed', 'BackoffLimitExceeded'],
  ]);
  t.ok(next.recorder.events.includes('Warning BackoffLimitExceeded Job has reached the specified backoff limit'));
});

t.test('with restartPolicy OnFailure, container restarts count against backoffLimit', async (t) => {
  const job = makeJob('flaky', { backoffLimit: 2 });
  job.spec!.template.spec!.restartPolicy = 'OnFailure';
  const { controller, transport } = setup([job], [jobPod(job, 'p', 'Running', { restarts: 2 })]);
  await controller.sync('default/flaky');
  t.same(transport.summary(), ['delete pods/p', 'update jobs/flaky/status']);
  t.match(lastStatus(transport, 'flaky')?.conditions, [{ type: 'FailureTarget', reason: 'BackoffLimitExceeded' }]);
});

t.test('activeDeadlineSeconds: past the deadline the Job fails with DeadlineExceeded', async (t) => {
  const job = makeJob('slow', { activeDeadlineSeconds: 60 }, { startTime: '2026-06-01T00:00:00Z', active: 1 });
  const { controller, transport, recorder } = setup([job], []);
  await controller.sync('default/slow');
  t.same(transport.summary(), ['update jobs/slow/status']);
  t.same(lastStatus(transport, 'slow')?.conditions?.map((c) => [c.type, c.reason, c.message]), [
    ['FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
    ['Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline'],
  ]);
  t.ok(recorder.events.includes('Warning DeadlineExceeded Job was active longer than specified deadline'));
});

t.test('suspend deletes the active pods and sets Suspended; resuming resets startTime', async (t) => {
  const job = makeJob('s', { parallelism: 2, completions: 4, suspend: true }, { startTime: '2026-06-01T00:00:00Z' });
  const { controller, transport, recorder } = setup([job], [jobPod(job, 'a', 'Running'), jobPod(job, 'b', 'Pending')]);
  await controller.sync('default/s');
  t.same(transport.summary().sort(), ['delete pods/a', 'delete pods/b', 'update jobs/s/status']);
  const status = lastStatus(transport, 's');
  t.match(status, { active: 0, conditions: [{ type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }] });
  t.ok(recorder.events.includes('Normal Suspended Job suspended'));

  const resumed = makeJob('s', { parallelism: 2, completions: 4, suspend: false }, status);
  const second = setup([resumed], []);
  await second.controller.sync('default/s');
  t.same(second.transport.summary(), ['create pods', 'create pods', 'update jobs/s/status']);
  t.match(lastStatus(second.transport, 's'), { startTime: '2026-06-01T00:10:00Z', conditions: [{ type: 'Suspended', status: 'False', reason: 'JobResumed' }] });
});

t.test('Indexed: pods for the missing indexes, named and annotated by index, with hostname and completedIndexes', async (t) => {
  const job = makeJob('idx', { completionMode: 'Indexed', completions: 4, parallelism: 2 });
  const { controller, transport } = setup([job], [jobPod(job, 'idx-0-a', 'Succeeded', { index: 0 }), jobPod(job, 'idx-1-a', 'Running', { index: 1 })]);
  await controller.sync('default/idx');
  t.same(transport.summary(), ['create pods', 'update jobs/idx/status']);
  const pod = transport.bodies<corev1.Pod>('create', 'pods')[0];
  t.equal(pod?.metadata?.generateName, 'idx-2-');
  t.equal(pod?.spec?.hostname, 'idx-2');
  t.equal(pod?.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'], '2');
  t.equal(pod?.metadata?.labels?.['batch.kubernetes.io/job-completion-index'], '2');
  t.match(pod?.spec?.containers[0]?.env, [{ name: 'JOB_COMPLETION_INDEX' }]);
  t.match(lastStatus(transport, 'idx'), { active: 2, succeeded: 1, completedIndexes: '0' });
});

t.test('Indexed: completes when every index has succeeded', async (t) => {
  const job = makeJob('idx', { completionMode: 'Indexed', completions: 3, parallelism: 3 }, { completedIndexes: '0,1', succeeded: 2 });
  const { controller, transport } = setup([job], [jobPod(job, 'idx-2-a', 'Succeeded', { index: 2 })]);
  await controller.sync('default/idx');
  t.match(lastStatus(transport, 'idx'), { succeeded: 3, completedIndexes: '0-2', conditions: [{ type: 'SuccessCriteriaMet' }, { type: 'Complete' }] });
});

t.test('podFailurePolicy: FailJob on an exit code fails the Job; Ignore does not count', async (t) => {
  const rules: batchv1.PodFailurePolicyRule[] = [
    { action: 'Ignore', onExitCodes: { operator: 'In', values: [2] } },
    { action: 'FailJob', onExitCodes: { containerName: 'c', operator: 'In', values: [42] } },
  ];
  const ignored = makeJob('pfp', { backoffLimit: 0, podFailurePolicy: { rules }, podReplacementPolicy: 'Failed' });
  const first = setup([ignored], [jobPod(ignored, 'p1', 'Failed', { exitCode: 2 })]);
  await first.controller.sync('default/pfp');
  t.same(first.transport.summary(), ['create pods', 'update jobs/pfp/status'], 'an ignored failure is replaced, not counted');
  t.match(lastStatus(first.transport, 'pfp'), { failed: 0 });

  const second = setup([ignored], [jobPod(ignored, 'p2', 'Failed', { exitCode: 42 })]);
  await second.controller.sync('default/pfp');
  t.same(lastStatus(second.transport, 'pfp')?.conditions?.map((c) => [c.type, c.reason, c.message]), [
    ['FailureTarget', 'PodFailurePolicy', 'Container c for pod default/p2 failed with exit code 42 matching FailJob rule at index 1'],
    ['Failed', 'PodFailurePolicy', 'Container c for pod default/p2 failed with exit code 42 matching FailJob rule at index 1'],
  ]);
});

t.test('ttlSecondsAfterFinished deletes the finished Job with propagation Background', async (t) => {
  const finished: batchv1.JobStatus = { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: '2026-06-01T00:00:00Z' }] };
  const job = makeJob('done', { ttlSecondsAfterFinished: 60 }, finished);
  const { controller, transport } = setup([job], []);
  await controller.sync('default/done');
  t.same(transport.summary(), ['delete jobs/done']);
  t.match(transport.actions.find((a) => a.verb === 'delete')?.body, { propagationPolicy: 'Background', preconditions: { uid: 'job-done' } });

  const young = makeJob('young', { ttlSecondsAfterFinished: 3600 }, finished);
  const later = setup([young], []);
  await later.controller.sync('default/young');
  t.same(later.transport.summary(), [], 'not yet: requeued for later');
});

t.test('a failed pod is replaced only after the failure back-off (10 s doubling per failure)', async (t) => {
  const job = makeJob('retry', { backoffLimit: 6 });
  const recent = jobPod(job, 'f1', 'Failed', { exitCode: 1 });
  recent.status!.containerStatuses![0]!.state = { terminated: { exitCode: 1, finishedAt: '2026-06-01T00:09:55Z' } };
  const { controller, transport } = setup([job], [recent]);
  await controller.sync('default/retry');
  t.same(transport.summary(), ['update jobs/retry/status'], 'failed 5 s ago: wait');
  t.match(lastStatus(transport, 'retry'), { failed: 1, active: 0 });

  recent.status!.containerStatuses![0]!.state = { terminated: { exitCode: 1, finishedAt: '2026-06-01T00:09:45Z' } };
  const later = setup([job], [recent]);
  await later.controller.sync('default/retry');
  t.same(later.transport.summary(), ['create pods', 'update jobs/retry/status'], 'failed 15 s ago: replace');
});

t.test('completedIndexes format and parse round-trip', async (t) => {
  t.equal(formatIndexes(new Set([0, 1, 2, 4, 6, 7, 9, 10, 11])), '0-2,4,6,7,9-11');
  t.same([...parseIndexes('0-2,4,9-11', 10)].sort((a, b) => a - b), [0, 1, 2, 4, 9]);
});

t.test('a deleted Job is a no-op', async (t) => {
  const { controller, transport } = setup([], []);
  await controller.sync('default/gone');
  t.same(transport.summary(), []);
});

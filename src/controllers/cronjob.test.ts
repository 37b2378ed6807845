import t from 'tap';
import type { batchv1 } from '../api/types.js';
import { CronJobController, rfc3339In } from './cronjob.js';
import { parseSchedule } from './cronjob-schedule.js';
import { FakeLister, FakeRecorder, recordingClient } from './testing.fixture.js';

function makeCronJob(name: string, spec: Partial<batchv1.CronJobSpec> = {}, status?: batchv1.CronJobStatus): batchv1.CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default', uid: `cj-${name}`, resourceVersion: '1', creationTimestamp: '2026-06-01T00:00:30Z' },
    spec: {
      schedule: '*/5 * * * *',
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: { metadata: { labels: { app: name } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

function childJob(cj: batchv1.CronJob, name: string, finished?: 'Complete' | 'Failed', start = '2026-06-01T00:00:00Z'): batchv1.Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default', uid: `job-${name}`, creationTimestamp: start, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata!.name!, uid: cj.metadata!.uid!, controller: true }] },
    spec: { template: {} },
    status: { startTime: start, ...(finished ? { completionTime: start, conditions: [{ type: finished, status: 'True' }] } : {}) },
  };
}

const ref = (job: batchv1.Job) => ({ apiVersion: 'batch/v1', kind: 'Job', name: job.metadata!.name, namespace: 'default', uid: job.metadata!.uid });

function setup(cjs: batchv1.CronJob[], jobs: batchv1.Job[], now: string) {
  const { client, transport } = recordingClient();
  const recorder = new FakeRecorder();
  for (const j of jobs) transport.objects.set(`jobs/default/${j.metadata?.name}`, j);
  const controller = new CronJobController({ client, cronJobs: new FakeLister(cjs), jobs: new FakeLister(jobs), recorder, now: () => new Date(now) });
  t.teardown(() => controller.queue.shutDown());
  return { controller, transport, recorder };
}

const status = (transport: ReturnType<typeof recordingClient>['transport'], name: string) => transport.bodies<batchv1.CronJob>('update', `cronjobs/${name}/status`).at(-1)?.status;

t.test('at the scheduled time a Job is created, named by the minutes since the epoch, with the scheduled-timestamp annotation', async (t) => {
  const cj = makeCronJob('hello');
  const { controller, transport, recorder } = setup([cj], [], '2026-06-01T00:05:10Z');
  await controller.sync('default/hello');
  t.same(transport.summary(), ['create jobs', 'update cronjobs/hello/status']);
  const job = transport.bodies<batchv1.Job>('create', 'jobs')[0];
  const minutes = Date.parse('2026-06-01T00:05:00Z') / 60_000;
  t.equal(job?.metadata?.name, `hello-${minutes}`);
  t.same(job?.metadata?.labels, { app: 'hello' });
  t.equal(job?.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-06-01T00:05:00Z');
  t.match(job?.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'hello', uid: 'cj-hello', controller: true }]);
  t.match(status(transport, 'hello'), { lastScheduleTime: '2026-06-01T00:05:00Z', active: [{ kind: 'Job', name: `hello-${minutes}` }] });
  t.ok(recorder.events.includes(`Normal SuccessfulCreate Created job hello-${minutes}`));
});

t.test('before the first scheduled time nothing is created', async (t) => {
  const { controller, transport } = setup([makeCronJob('hello')], [], '2026-06-01T00:04:59Z');
  await controller.sync('default/hello');
  t.same(transport.summary(), []);
});

t.test('a time already run is not run again', async (t) => {
  const cj = makeCronJob('hello', {}, { lastScheduleTime: '2026-06-01T00:05:00Z' });
  const { controller, transport } = setup([cj], [], '2026-06-01T00:09:00Z');
  await controller.sync('default/hello');
  t.same(transport.summary(), []);
});

t.test('Forbid skips the run while a Job is active', async (t) => {
  const cj = makeCronJob('f', { concurrencyPolicy: 'Forbid' });
  const running = childJob(cj, 'f-1');
  cj.status = { active: [ref(running)], lastScheduleTime: '2026-06-01T00:00:00Z' };
  const { controller, transport, recorder } = setup([cj], [running], '2026-06-01T00:05:01Z');
  await controller.sync('default/f');
  t.same(transport.summary(), []);
  t.ok(recorder.events.includes('Normal JobAlreadyActive Not starting job because prior execution is running and concurrency policy is Forbid'));
});

t.test('Replace deletes the active Job, then creates the new one', async (t) => {
  const cj = makeCronJob('r', { concurrencyPolicy: 'Replace' });
  const running = childJob(cj, 'r-1');
  cj.status = { active: [ref(running)], lastScheduleTime: '2026-06-01T00:00:00Z' };
  const { controller, transport, recorder } = setup([cj], [running], '2026-06-01T00:05:01Z');
  await controller.sync('default/r');
  t.same(transport.summary(), ['delete jobs/r-1', 'create jobs', 'update cronjobs/r/status']);
  t.match(transport.actions.find((a) => a.verb === 'delete')?.body, { propagationPolicy: 'Background' });
  t.equal(status(transport, 'r')?.active?.length, 1);
  t.ok(recorder.events.includes('Normal SuccessfulDelete Deleted job r-1'));
});

t.test('Allow runs alongside an active Job', async (t) => {
  const cj = makeCronJob('a');
  const running = childJob(cj, 'a-1');
  cj.status = { active: [ref(running)], lastScheduleTime: '2026-06-01T00:00:00Z' };
  const { controller, transport } = setup([cj], [running], '2026-06-01T00:05:01Z');
  await controller.sync('default/a');
  t.same(transport.summary(), ['create jobs', 'update cronjobs/a/status']);
  t.equal(status(transport, 'a')?.active?.length, 2);
});

t.test('a finished Job leaves status.active (SawCompletedJob) and sets lastSuccessfulTime', async (t) => {
  const cj = makeCronJob('c');
  const done = childJob(cj, 'c-1', 'Complete', '2026-06-01T00:01:00Z');
  cj.status = { active: [ref(done)], lastScheduleTime: '2026-06-01T00:05:00Z' };
  const { controller, transport, recorder } = setup([cj], [done], '2026-06-01T00:06:00Z');
  await controller.sync('default/c');
  t.same(transport.summary(), ['update cronjobs/c/status']);
  const s = status(transport, 'c');
  t.equal(s?.active, undefined);
  t.equal(s?.lastSuccessfulTime, '2026-06-01T00:01:00Z');
  t.ok(recorder.events.includes('Normal SawCompletedJob Saw completed job: c-1, condition: Complete'));
});

t.test('history limits delete the oldest finished Jobs beyond them', async (t) => {
  const cj = makeCronJob('h', { successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 1 }, { lastScheduleTime: '2026-06-01T00:05:00Z' });
  const jobs = [
    childJob(cj, 'ok-old', 'Complete', '2026-06-01T00:01:00Z'),
    childJob(cj, 'ok-new', 'Complete', '2026-06-01T00:02:00Z'),
    childJob(cj, 'bad-old', 'Failed', '2026-06-01T00:01:00Z'),
    childJob(cj, 'bad-new', 'Failed', '2026-06-01T00:03:00Z'),
    childJob(cj, 'running', undefined, '2026-06-01T00:04:00Z'),
  ];
  cj.status!.active = [ref(jobs[4]!)];
  const { controller, transport } = setup([cj], jobs, '2026-06-01T00:06:00Z');
  await controller.sync('default/h');
  t.same(transport.summary().filter((a) => a.startsWith('delete')), ['delete jobs/ok-old', 'delete jobs/bad-old']);
});

t.test('startingDeadlineSeconds: a run missed by more than the deadline is skipped with MissSchedule', async (t) => {
  const cj = makeCronJob('late', { schedule: '0 * * * *', startingDeadlineSeconds: 30 });
  const { controller, transport, recorder } = setup([cj], [], '2026-06-01T01:00:45Z');
  // The window is now-30s..now; 01:00 is before it, so nothing is due at all.
  await controller.sync('default/late');
  t.same(transport.summary(), []);
  t.same(recorder.events, []);

  const wide = makeCronJob('late', { schedule: '0 * * * *', startingDeadlineSeconds: 30 }, { lastScheduleTime: '2026-06-01T00:00:00Z' });
  const second = setup([wide], [], '2026-06-01T01:00:20Z');
  await second.controller.sync('default/late');
  t.same(second.transport.summary(), ['create jobs', 'update cronjobs/late/status'], 'within the deadline it runs');
});

t.test('more than 100 missed times: TooManyMissedTimes, and only the latest time runs', async (t) => {
  const cj = makeCronJob('m', { schedule: '* * * * *' });
  const { controller, transport, recorder } = setup([cj], [], '2026-06-01T03:00:30Z');
  await controller.sync('default/m');
  t.same(transport.summary(), ['create jobs', 'update cronjobs/m/status']);
  t.equal(transport.bodies<batchv1.Job>('create', 'jobs')[0]?.metadata?.name, `m-${Date.parse('2026-06-01T03:00:00Z') / 60_000}`);
  t.ok(recorder.events.some((e) => e.startsWith('Warning TooManyMissedTimes too many missed start times: 180.')));
});

t.test('suspend stops new runs', async (t) => {
  const { controller, transport } = setup([makeCronJob('s', { suspend: true })], [], '2026-06-01T00:05:10Z');
  await controller.sync('default/s');
  t.same(transport.summary(), []);
});

t.test('timeZone: schedules run in the zone; an unknown zone records UnknownTimeZone', async (t) => {
  const cj = makeCronJob('tz', { schedule: '0 2 * * *', timeZone: 'Europe/Berlin' }, { lastScheduleTime: '2026-05-31T00:00:00Z' });
  const { controller, transport } = setup([cj], [], '2026-06-01T00:00:10Z');
  await controller.sync('default/tz');
  const job = transport.bodies<batchv1.Job>('create', 'jobs')[0];
  t.equal(job?.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2026-06-01T02:00:00+02:00');

  const bad = setup([makeCronJob('bad', { timeZone: 'Mars/Olympus' })], [], '2026-06-01T00:05:10Z');
  await bad.controller.sync('default/bad');
  t.same(bad.transport.summary(), []);
  t.ok(bad.recorder.events.some((e) => e.startsWith('Warning UnknownTimeZone invalid timeZone: "Mars/Olympus"')));
});

t.test('schedules: macros, five fields only, no @every', async (t) => {
  const at = new Date('2026-06-01T10:30:00Z');
  t.equal(parseSchedule('@hourly').next(at)?.toISOString(), '2026-06-01T11:00:00.000Z');
  t.equal(parseSchedule('@daily').next(at)?.toISOString(), '2026-06-02T00:00:00.000Z');
  t.equal(parseSchedule('@weekly').next(at)?.toISOString(), '2026-06-07T00:00:00.000Z');
  t.equal(parseSchedule('@monthly').next(at)?.toISOString(), '2026-07-01T00:00:00.000Z');
  t.equal(parseSchedule('@yearly').next(at)?.toISOString(), '2027-01-01T00:00:00.000Z');
  t.equal(parseSchedule('@annually').next(at)?.toISOString(), '2027-01-01T00:00:00.000Z');
  t.throws(() => parseSchedule('@every 1m'));
  t.throws(() => parseSchedule('0 * * * * *'));
  t.throws(() => parseSchedule('61 * * * *'));
  t.equal(rfc3339In(new Date('2026-01-15T12:00:00Z'), 'America/New_York'), '2026-01-15T07:00:00-05:00');
});

t.test('an unparseable schedule records UnparseableSchedule', async (t) => {
  const { controller, transport, recorder } = setup([makeCronJob('u', { schedule: 'not a schedule' })], [], '2026-06-01T00:05:10Z');
  await controller.sync('default/u');
  t.same(transport.summary(), []);
  t.ok(recorder.events.some((e) => e.startsWith('Warning UnparseableSchedule unparseable schedule: "not a schedule"')));
});

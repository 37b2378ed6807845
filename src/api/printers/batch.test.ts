import t from 'tap';
import type { batchv1 } from '../types.js';
import { ago, cellsOf, day, hour, minute, now, second } from './builders.fixture.js';
import { cronJobPrinter, jobPrinter } from './batch.js';

const template = { spec: { containers: [{ name: 'pi', image: 'perl' }], restartPolicy: 'Never' } };

function job(spec: Partial<batchv1.JobSpec>, status: batchv1.JobStatus, deleting = false): batchv1.Job {
  return {
    metadata: { name: 'pi', creationTimestamp: ago(hour), ...(deleting ? { deletionTimestamp: ago(second) } : {}) },
    spec: { template, selector: { matchLabels: { 'batch.kubernetes.io/job-name': 'pi' } }, ...spec },
    status,
  };
}

const cond = (type: string, status = 'True'): batchv1.JobCondition => ({ type, status });

t.test('job Status column (1.32 precedence)', async (t) => {
  const cases: [string, batchv1.Job, string][] = [
    ['running', job({}, { active: 1 }), 'Running'],
    ['complete', job({}, { conditions: [cond('Complete')] }), 'Complete'],
    ['failed', job({}, { conditions: [cond('Failed')] }), 'Failed'],
    ['complete wins over terminating', job({}, { conditions: [cond('Complete')] }, true), 'Complete'],
    ['terminating', job({}, { active: 1 }, true), 'Terminating'],
    ['suspended', job({}, { conditions: [cond('Suspended')] }), 'Suspended'],
    ['failure target', job({}, { conditions: [cond('FailureTarget')] }), 'FailureTarget'],
    ['false condition ignored', job({}, { conditions: [cond('Complete', 'False')] }), 'Running'],
    ['success criteria met is still Running in 1.32', job({}, { conditions: [cond('SuccessCriteriaMet')] }), 'Running'],
  ];
  for (const [name, obj, want] of cases) t.equal(cellsOf(jobPrinter, obj)[1], want, name);
});

t.test('job Completions and Duration', async (t) => {
  const cases: [string, batchv1.Job, string, string][] = [
    ['completions set', job({ completions: 3 }, { succeeded: 1, startTime: ago(90 * second) }), '1/3', '90s'],
    ['no completions', job({}, { succeeded: 0, startTime: ago(5 * minute) }), '0/1', '5m'],
    ['parallel without completions', job({ parallelism: 4 }, { succeeded: 2, startTime: ago(5 * minute) }), '2/1 of 4', '5m'],
    ['finished', job({ completions: 1 }, { succeeded: 1, startTime: ago(hour), completionTime: ago(hour - 42 * second) }), '1/1', '42s'],
    ['not started', job({ completions: 1 }, {}), '0/1', ''],
  ];
  for (const [name, obj, done, took] of cases) t.same(cellsOf(jobPrinter, obj).slice(2, 4), [done, took], name);
  t.same(cellsOf(jobPrinter, job({}, {})).slice(4), ['60m', 'pi', 'perl', 'batch.kubernetes.io/job-name=pi']);
});

t.test('cron job row', async (t) => {
  const cj: batchv1.CronJob = {
    metadata: { name: 'nightly', creationTimestamp: ago(3 * day) },
    spec: { schedule: '0 2 * * *', timeZone: 'Etc/UTC', suspend: false, jobTemplate: { spec: { template } } },
    status: { active: [{ name: 'nightly-1' }], lastScheduleTime: ago(10 * hour) },
  };
  t.same(cellsOf(cronJobPrinter, cj), ['nightly', '0 2 * * *', 'Etc/UTC', 'False', 1, '10h', '3d', 'pi', 'perl', '<none>']);
  const fresh: batchv1.CronJob = { metadata: { name: 'new' }, spec: { schedule: '@hourly', jobTemplate: {} } };
  t.same(cellsOf(cronJobPrinter, fresh).slice(2, 7), ['<none>', '<unset>', 0, '<none>', '<unknown>']);
});

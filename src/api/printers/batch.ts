// Jobs and CronJobs. A Job's Status is the first of Complete, Failed,
// Terminating (being deleted), Suspended, FailureTarget, else Running, as
// in Kubernetes 1.32 (SuccessCriteriaMet arrived in a later release).
import type { batchv1 } from '../types.js';
import { age, humanDuration, parseTimestamp } from './age.js';
import { ageColumn, column, containersColumn, definePrinter, imagesColumn, nameColumn } from './columns.js';
import { containerCells, formatLabelSelector, optionalBool } from './format.js';
import { int, list, optionalInt, text } from './read.js';

const selectorColumn = column('Selector', 'string', 'A label query over pods that should match the pod count.', true);

/** Upstream's hasJobCondition: the first condition of the type decides. */
function hasCondition(job: batchv1.Job, type: string): boolean {
  const condition = list(job.status?.conditions).find((c) => c?.type === type);
  return condition?.status === 'True';
}

function jobStatus(job: batchv1.Job): string {
  if (hasCondition(job, 'Complete')) return 'Complete';
  if (hasCondition(job, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(job, 'Suspended')) return 'Suspended';
  if (hasCondition(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

/** `succeeded/completions`; without completions `succeeded/1`, or `succeeded/1 of N` when parallel. */
function completions(job: batchv1.Job): string {
  const succeeded = int(job.status?.succeeded);
  const wanted = optionalInt(job.spec?.completions);
  if (wanted !== undefined) return `${succeeded}/${wanted}`;
  const parallelism = int(job.spec?.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** Start to completion, or start to now while running; empty before the job starts. */
function jobDuration(job: batchv1.Job, now: Date): string {
  const start = parseTimestamp(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTimestamp(job.status?.completionTime) ?? now.getTime();
  return humanDuration(end - start);
}

export const jobPrinter = definePrinter<batchv1.Job>(
  [
    nameColumn,
    column('Status', 'string', 'Status of the job.'),
    column('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  (job, now) => [
    text(job.metadata?.name),
    jobStatus(job),
    completions(job),
    jobDuration(job, now),
    age(job.metadata?.creationTimestamp, now),
    ...containerCells(job.spec?.template?.spec?.containers),
    formatLabelSelector(job.spec?.selector),
  ],
);

export const cronJobPrinter = definePrinter<batchv1.CronJob>(
  [
    nameColumn,
    column('Schedule', 'string', 'The schedule in Cron format.'),
    column('Timezone', 'string', 'The time zone name for the given schedule.'),
    column('Suspend', 'boolean', 'Whether the controller suspends subsequent executions.'),
    column('Active', 'integer', 'The number of currently running jobs.'),
    column('Last Schedule', 'string', 'The last time the job was successfully scheduled.'),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  (cj, now) => {
    const last = cj.status?.lastScheduleTime;
    const template = cj.spec?.jobTemplate?.spec;
    return [
      text(cj.metadata?.name),
      text(cj.spec?.schedule),
      text(cj.spec?.timeZone) || '<none>',
      // Upstream prints True/False/<unset> here although the column is boolean.
      optionalBool(cj.spec?.suspend),
      list(cj.status?.active).length,
      last ? age(last, now) : '<none>',
      age(cj.metadata?.creationTimestamp, now),
      ...containerCells(template?.template?.spec?.containers),
      formatLabelSelector(template?.selector),
    ];
  },
);

// batch/v1 defaults, and the selector a Job gets on create.
import type { KubeObject } from '../object.js';
import type { Defaulter } from '../registry/types.js';
import { defaultPodTemplateSpec } from './pod.js';
import { child, ensure, isEmptyCollection, isUnset, items, setIfEmpty, setIfUnset, type Obj } from './shape.js';

const maxInt32 = 2147483647;

function defaultJobSpecTemplate(spec: Obj | undefined): void {
  defaultPodTemplateSpec(ensure(spec, 'template'));
}

/** SetDefaults_Job (JobPodReplacementPolicy is on in 1.32). */
const job: Defaulter = (obj) => {
  const spec = ensure(obj, 'spec');
  if (spec === undefined) return;
  if (isUnset(spec.completions) && isUnset(spec.parallelism)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setIfUnset(spec, 'parallelism', 1);
  setIfUnset(spec, 'backoffLimit', isUnset(spec.backoffLimitPerIndex) ? 6 : maxInt32);
  const templateLabels = child(child(child(spec, 'template'), 'metadata'), 'labels');
  const meta = ensure(obj, 'metadata');
  if (meta && templateLabels && isEmptyCollection(meta.labels)) meta.labels = { ...templateLabels };
  setIfUnset(spec, 'completionMode', 'NonIndexed');
  setIfUnset(spec, 'suspend', false);
  const failurePolicy = child(spec, 'podFailurePolicy');
  for (const rule of items(failurePolicy, 'rules')) for (const pattern of items(rule, 'onPodConditions')) setIfEmpty(pattern, 'status', 'True');
  setIfUnset(spec, 'podReplacementPolicy', failurePolicy ? 'Failed' : 'TerminatingOrFailed');
  setIfUnset(spec, 'manualSelector', false);
  defaultJobSpecTemplate(spec);
};

/** SetDefaults_CronJob; the job template's pod template gets the PodSpec defaults. */
const cronJob: Defaulter = (obj) => {
  const spec = ensure(obj, 'spec');
  setIfEmpty(spec, 'concurrencyPolicy', 'Allow');
  setIfUnset(spec, 'suspend', false);
  setIfUnset(spec, 'successfulJobsHistoryLimit', 3);
  setIfUnset(spec, 'failedJobsHistoryLimit', 1);
  defaultJobSpecTemplate(ensure(ensure(spec, 'jobTemplate'), 'spec'));
};

export const batchDefaulters: Readonly<Record<string, Defaulter>> = {
  'jobs.batch': job,
  'cronjobs.batch': cronJob,
};

/** The labels that tie a Job's pods to it (both the legacy and the prefixed forms). */
export const jobLabels = {
  legacyJobName: 'job-name',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  controllerUid: 'batch.kubernetes.io/controller-uid',
} as const;

/**
 * What upstream's Job strategy does on create unless spec.manualSelector
 * is true: adds the job-name and controller-uid labels (legacy and
 * prefixed) to the pod template where absent, and selects on
 * `batch.kubernetes.io/controller-uid`. Call it after the uid is set and
 * before validation; a user-supplied conflicting value is left for
 * validation to reject.
 */
export function jobSelectorAndLabels(job: KubeObject, uid: string): void {
  const spec = ensure(job, 'spec');
  if (spec === undefined || spec.manualSelector === true) return;
  const name = typeof job.metadata?.name === 'string' ? job.metadata.name : '';
  const labels = ensure(ensure(ensure(spec, 'template'), 'metadata'), 'labels');
  if (labels) {
    for (const key of [jobLabels.legacyJobName, jobLabels.jobName]) if (!(key in labels)) labels[key] = name;
    for (const key of [jobLabels.legacyControllerUid, jobLabels.controllerUid]) if (!(key in labels)) labels[key] = uid;
  }
  const matchLabels = ensure(ensure(spec, 'selector'), 'matchLabels');
  if (matchLabels && !(jobLabels.controllerUid in matchLabels)) matchLabels[jobLabels.controllerUid] = uid;
}

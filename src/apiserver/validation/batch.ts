// Jobs and CronJobs (upstream pkg/apis/batch/validation).
import type { KubeObject } from '../../api/types.js';
import { fieldInvalid, fieldNotSupported, fieldRequired } from '../../machinery/index.js';
import { immutable, nonNegative, semanticEqual, validateLabelSelector } from './common.js';
import { cronScheduleError } from './cron.js';
import { isObj, isUnset, type Check, type Obj } from './input.js';
import { kindValidator, type KindValidator } from './kind.js';
import { validatePodTemplateSpec } from './podspec.js';
import { selectorMatchesTemplate, templateLabels } from './template.js';

const controllerUidLabel = 'batch.kubernetes.io/controller-uid';
const jobNameLabel = 'batch.kubernetes.io/job-name';
const maxIndexedCompletions = 100000;

/** Rules shared by Jobs and the job templates of CronJobs. */
function validateJobSpec(c: Check, spec: Obj, path: string): void {
  for (const field of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes']) {
    nonNegative(c, spec[field], `${path}.${field}`);
  }
  const mode = c.str(spec.completionMode, `${path}.completionMode`);
  if (mode && mode !== 'NonIndexed' && mode !== 'Indexed') c.add(fieldNotSupported(`${path}.completionMode`, mode, ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed') {
    if (isUnset(spec.completions)) c.add(fieldRequired(`${path}.completions`, 'when completion mode is Indexed'));
    else if (typeof spec.completions === 'number' && spec.completions > maxIndexedCompletions) {
      c.add(fieldInvalid(`${path}.completions`, spec.completions, `must be less than or equal to ${maxIndexedCompletions} when completion mode is Indexed`));
    }
  }
  if (!isUnset(spec.backoffLimitPerIndex) && mode !== 'Indexed') c.add(fieldInvalid(`${path}.backoffLimitPerIndex`, spec.backoffLimitPerIndex, 'requires indexed completion mode'));
  if (!isUnset(spec.maxFailedIndexes) && isUnset(spec.backoffLimitPerIndex)) c.add(fieldRequired(`${path}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  const replacement = c.str(spec.podReplacementPolicy, `${path}.podReplacementPolicy`);
  const failurePolicy = c.obj(spec.podFailurePolicy, `${path}.podFailurePolicy`);
  if (replacement && replacement !== 'TerminatingOrFailed' && replacement !== 'Failed') {
    c.add(fieldNotSupported(`${path}.podReplacementPolicy`, replacement, ['TerminatingOrFailed', 'Failed']));
  } else if (replacement && failurePolicy && replacement !== 'Failed') {
    c.add(fieldNotSupported(`${path}.podReplacementPolicy`, replacement, ['Failed']));
  }
  c.bool(spec.suspend, `${path}.suspend`);
  validatePodTemplateSpec(c, spec.template, `${path}.template`);
  const podSpec = isObj(spec.template) && isObj(spec.template.spec) ? spec.template.spec : {};
  const restart = podSpec.restartPolicy;
  if (restart === 'Always' || isUnset(restart) || restart === '') {
    c.add(fieldRequired(`${path}.template.spec.restartPolicy`, 'valid values: "OnFailure", "Never"'));
  } else if (typeof restart === 'string' && restart !== 'OnFailure' && restart !== 'Never') {
    c.add(fieldNotSupported(`${path}.template.spec.restartPolicy`, restart, ['OnFailure', 'Never']));
  } else if (failurePolicy && restart !== 'Never') {
    c.add(fieldInvalid(`${path}.template.spec.restartPolicy`, restart, 'only "Never" is supported when podFailurePolicy is specified'));
  }
}

/** Unless the selector is manual it must be the generated one, and the template must carry the generated labels. */
function generatedSelector(c: Check, obj: KubeObject, spec: Obj): void {
  if (spec.manualSelector === true || isUnset(spec.selector)) return;
  const uid = obj.metadata?.uid ?? '';
  const template = isObj(spec.template) ? spec.template : {};
  const labels = templateLabels(template);
  if (labels === undefined) return c.add(fieldRequired('spec.template.metadata.labels'));
  if (!semanticEqual(spec.selector, { matchLabels: { [controllerUidLabel]: uid } })) c.add(fieldInvalid('spec.selector', spec.selector, '`selector` not auto-generated'));
  if (labels[controllerUidLabel] !== uid) c.add(fieldInvalid(`spec.template.metadata.labels[${controllerUidLabel}]`, labels[controllerUidLabel] ?? '', `must be '${uid}'`));
  const name = obj.metadata?.name ?? '';
  if (labels[jobNameLabel] !== name) c.add(fieldInvalid(`spec.template.metadata.labels[${jobNameLabel}]`, labels[jobNameLabel] ?? '', `must be '${name}'`));
}

function validateJob(c: Check, obj: KubeObject): void {
  const spec = c.obj(obj.spec, 'spec') ?? {};
  generatedSelector(c, obj, spec);
  validateJobSpec(c, spec, 'spec');
  if (isUnset(spec.selector)) return c.add(fieldRequired('spec.selector'));
  const selector = validateLabelSelector(c, spec.selector, 'spec.selector');
  selectorMatchesTemplate(c, selector, isObj(spec.template) ? spec.template : {}, 'spec.template');
}

/** Scheduling fields of a suspended Job's template that may change before it first starts. */
const schedulingDirectives = ['nodeSelector', 'affinity', 'tolerations', 'schedulingGates'];

function validateJobUpdate(c: Check, obj: KubeObject, old: KubeObject): void {
  const spec = isObj(obj.spec) ? obj.spec : {};
  const prev = isObj(old.spec) ? old.spec : {};
  immutable(c, spec.selector, prev.selector, 'spec.selector');
  const elastic = spec.completionMode === 'Indexed' && prev.completionMode === 'Indexed' && spec.completions === spec.parallelism;
  if (!elastic) immutable(c, spec.completions, prev.completions, 'spec.completions');
  for (const field of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) immutable(c, spec[field], prev[field], `spec.${field}`);
  const started = isObj(old.status) && !isUnset(old.status.startTime);
  if (prev.suspend === true && !started) {
    const strip = (t: unknown): unknown => {
      if (!isObj(t)) return t;
      const podSpec: Obj = { ...(isObj(t.spec) ? t.spec : {}) };
      for (const field of schedulingDirectives) delete podSpec[field];
      return { spec: podSpec };
    };
    immutable(c, strip(spec.template), strip(prev.template), 'spec.template');
  } else {
    immutable(c, spec.template, prev.template, 'spec.template');
  }
}

function validateTimeZone(c: Check, v: unknown, path: string): void {
  const zone = c.str(v, path);
  if (zone === undefined || isUnset(v)) return;
  if (zone.toLowerCase() === 'local') return c.add(fieldInvalid(path, zone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    c.add(fieldInvalid(path, zone, `unknown time zone ${zone}`));
  }
}

function validateCronJob(c: Check, obj: KubeObject): void {
  const name = obj.metadata?.name;
  if (typeof name === 'string' && name.length > 52) c.add(fieldInvalid('metadata.name', name, 'must be no more than 52 characters'));
  const spec = c.obj(obj.spec, 'spec') ?? {};
  const schedule = c.str(spec.schedule, 'spec.schedule');
  if (schedule === '') c.add(fieldRequired('spec.schedule'));
  else if (schedule !== undefined) {
    const err = cronScheduleError(schedule);
    if (err) c.add(fieldInvalid('spec.schedule', schedule, err));
    if (schedule.includes('TZ')) c.add(fieldInvalid('spec.schedule', schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  validateTimeZone(c, spec.timeZone, 'spec.timeZone');
  const policy = c.str(spec.concurrencyPolicy, 'spec.concurrencyPolicy');
  if (policy === '') c.add(fieldRequired('spec.concurrencyPolicy'));
  else if (policy !== undefined && !['Allow', 'Forbid', 'Replace'].includes(policy)) c.add(fieldNotSupported('spec.concurrencyPolicy', policy, ['Allow', 'Forbid', 'Replace']));
  for (const field of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) nonNegative(c, spec[field], `spec.${field}`);
  c.bool(spec.suspend, 'spec.suspend');
  const jobTemplate = c.obj(spec.jobTemplate, 'spec.jobTemplate') ?? {};
  const jobSpec = c.obj(jobTemplate.spec, 'spec.jobTemplate.spec') ?? {};
  validateJobSpec(c, jobSpec, 'spec.jobTemplate.spec');
  if (!isUnset(jobSpec.selector)) c.add(fieldInvalid('spec.jobTemplate.spec.selector', jobSpec.selector, '`selector` will be auto-generated'));
  if (jobSpec.manualSelector === true) c.add(fieldNotSupported('spec.jobTemplate.spec.manualSelector', true, ['nil', 'false']));
}

export const batchValidators: Readonly<Record<string, KindValidator>> = {
  'jobs.batch': kindValidator(validateJob, validateJobUpdate),
  'cronjobs.batch': kindValidator(validateCronJob),
};


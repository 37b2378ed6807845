// Job conditions and status comparison, shared by the Job and CronJob
// controllers.
import type { batchv1 } from '../api/types.js';

type Job = batchv1.Job;
type JobCondition = batchv1.JobCondition;

export type JobConditionType = 'Complete' | 'Failed' | 'FailureTarget' | 'SuccessCriteriaMet' | 'Suspended';

export function jobCondition(job: Job, type: JobConditionType): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

function isTrue(job: Job, type: JobConditionType): boolean {
  return jobCondition(job, type)?.status === 'True';
}

/** Complete or Failed, and when (the condition's transition time). */
export function jobFinished(job: Job): { type: 'Complete' | 'Failed'; at: string | undefined } | undefined {
  for (const type of ['Complete', 'Failed'] as const) {
    const c = jobCondition(job, type);
    if (c?.status === 'True') return { type, at: c.lastTransitionTime };
  }
  return undefined;
}

export function isJobSuspended(job: Job): boolean {
  return isTrue(job, 'Suspended');
}

/**
 * `conditions` with `type` set to the given status, reason and message. An
 * existing condition keeps its transition time unless its status changes.
 */
export function setCondition(conditions: JobCondition[], type: JobConditionType, status: 'True' | 'False', reason: string, message: string, now: string): JobCondition[] {
  const prior = conditions.find((c) => c.type === type);
  if (prior && prior.status === status && prior.reason === reason && prior.message === message) return conditions;
  const next: JobCondition = {
    type,
    status,
    reason,
    message,
    lastProbeTime: now,
    lastTransitionTime: prior && prior.status === status ? (prior.lastTransitionTime ?? now) : now,
  };
  return prior ? conditions.map((c) => (c === prior ? next : c)) : [...conditions, next];
}

export function sameJobStatus(a: batchv1.JobStatus | undefined, b: batchv1.JobStatus): boolean {
  return JSON.stringify(normalise(a ?? {})) === JSON.stringify(normalise(b));
}

function normalise(s: batchv1.JobStatus): unknown {
  return [s.active ?? 0, s.ready ?? 0, s.terminating ?? 0, s.succeeded ?? 0, s.failed ?? 0, s.startTime, s.completionTime, s.completedIndexes ?? '', s.conditions ?? []];
}

export function stamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

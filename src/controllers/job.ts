// The Job controller: runs pods from the template until `completions` of
// them succeed (one per index when Indexed), at most `parallelism` at a
// time. It fails the Job when failures pass backoffLimit (container
// restarts count with restartPolicy OnFailure), when it runs past
// activeDeadlineSeconds, or when a podFailurePolicy FailJob rule matches;
// Ignore rules keep a failure from counting. Failed pods are replaced
// after upstream's back-off (10 s doubling per failure since the last
// success, at most 10 min). As in 1.32 a finishing Job
// first gets FailureTarget or SuccessCriteriaMet, its remaining pods are
// deleted, and Failed or Complete follows once none is left running.
// Suspending deletes the active pods; a finished Job with
// ttlSecondsAfterFinished is deleted (propagation Background) when the
// TTL runs out.
import type { batchv1, corev1 } from '../api/types.js';
import { objectKey, runWorkers, WorkQueue, type Client, type EventRecorder, type ResourceClient, type ResourceRef } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isNotFound } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { Expectations } from './expectations.js';
import { failureBackoffMs, formatIndexes, jobKind, jobPod, matchFailurePolicy, parseIndexes, podIndex, podRestarts } from './job-pods.js';
import { isJobSuspended, jobCondition, jobFinished, sameJobStatus, setCondition, stamp, type JobConditionType } from './job-status.js';
import { controllerRefOf } from './ownership.js';
import { isPodActive, isPodReady } from './pods.js';
import { podsToDelete } from './victims.js';

type Job = batchv1.Job;
type Pod = corev1.Pod;

export const jobsRef = { group: 'batch', version: 'v1', resource: 'jobs', namespaced: true } as const satisfies ResourceRef;

export interface JobControllerOptions {
  client: Client;
  jobs: Lister<Job>;
  pods: Lister<Pod>;
  recorder: Pick<EventRecorder, 'event'>;
  logger?: Logger;
  queue?: WorkQueue;
  now?: () => Date;
  /** Most pods created in one sync (upstream: 500). */
  burst?: number;
  /** First delay before replacing a failed pod, doubling per failure (upstream: 10 s, at most 10 min; 0 turns it off). */
  podFailureBackoffMs?: number;
}

/** Why a Job is finishing: the interim and final conditions share reason and message. */
interface Verdict {
  success: boolean;
  reason: string;
  message: string;
}

const backoffLimitMessage = 'Job has reached the specified backoff limit';
const deadlineMessage = 'Job was active longer than specified deadline';
const completionsMessage = 'Reached expected number of succeeded pods';

export class JobController implements Controller {
  readonly name = 'job';
  readonly queue: WorkQueue;
  readonly expectations = new Expectations();
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly burst: number;
  private readonly jobs: ResourceClient<Job>;

  constructor(private readonly opts: JobControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
    this.burst = opts.burst ?? 500;
    this.jobs = opts.client.resource<Job>(jobsRef);
    opts.jobs.addEventHandler({
      onAdd: (job) => this.queue.add(objectKey(job)),
      onUpdate: (_old, job) => this.queue.add(objectKey(job)),
      onDelete: (job) => {
        this.expectations.delete(objectKey(job));
        this.queue.add(objectKey(job));
      },
    });
    opts.pods.addEventHandler({
      onAdd: (pod) => {
        const key = this.ownerKey(pod);
        if (!key) return;
        this.expectations.creationObserved(key);
        this.queue.add(key);
      },
      onUpdate: (old, pod) => {
        const oldKey = this.ownerKey(old);
        const key = this.ownerKey(pod);
        if (oldKey && oldKey !== key) this.queue.add(oldKey);
        if (key) this.queue.add(key);
      },
      onDelete: (pod) => {
        const key = this.ownerKey(pod);
        if (!key) return;
        this.expectations.deletionObserved(key, objectKey(pod));
        this.queue.add(key);
      },
    });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.opts.jobs.get(name, namespace);
    if (!cached) {
      this.expectations.delete(key);
      return;
    }
    const job: Job = { ...structuredClone(cached), ...jobKind };
    if (job.metadata?.deletionTimestamp) return;
    const now = this.now();
    if (jobFinished(job)) {
      await this.expireFinished(key, job, now);
      return;
    }
    const uid = job.metadata?.uid;
    const pods = this.opts.pods.list(namespace).filter((p) => controllerRefOf(p)?.uid === uid);
    const spec = job.spec ?? { template: {} };
    const indexed = spec.completionMode === 'Indexed';
    const completions = spec.completions ?? undefined;
    const active = pods.filter(isPodActive);
    const terminating = pods.filter((p) => p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const succeededPods = pods.filter((p) => p.status?.phase === 'Succeeded');

    let failJob: Verdict | undefined;
    const countedFailed: Pod[] = [];
    for (const pod of pods.filter((p) => p.status?.phase === 'Failed')) {
      const match = matchFailurePolicy(job, pod);
      if (match?.action === 'Ignore') continue;
      if (match?.action === 'FailJob') failJob ??= { success: false, reason: 'PodFailurePolicy', message: match.message };
      countedFailed.push(pod);
    }
    const failed = Math.max(job.status?.failed ?? 0, countedFailed.length);
    let completed = new Set<number>();
    let succeeded: number;
    if (indexed && completions !== undefined) {
      completed = parseIndexes(job.status?.completedIndexes, completions);
      for (const p of succeededPods) {
        const i = podIndex(p, completions);
        if (i !== undefined) completed.add(i);
      }
      succeeded = completed.size;
    } else {
      succeeded = Math.max(job.status?.succeeded ?? 0, succeededPods.length);
    }

    const nowStamp = stamp(now);
    let conditions = [...(job.status?.conditions ?? [])];
    let startTime = job.status?.startTime;
    const suspended = spec.suspend === true;
    if (!suspended && isJobSuspended(job)) {
      conditions = setCondition(conditions, 'Suspended', 'False', 'JobResumed', 'Job resumed', nowStamp);
      this.opts.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
      startTime = nowStamp;
    }
    if (!suspended) startTime ??= nowStamp;

    let verdict = interimVerdict(job);
    if (!verdict) {
      const backoffLimit = spec.backoffLimit ?? 6;
      const deadlineMs = !suspended && startTime && spec.activeDeadlineSeconds !== undefined ? Date.parse(startTime) + spec.activeDeadlineSeconds * 1000 - now.getTime() : undefined;
      if (failJob) verdict = failJob;
      else if (failed > backoffLimit || pastBackoffLimitOnFailure(job, active, backoffLimit)) verdict = { success: false, reason: 'BackoffLimitExceeded', message: backoffLimitMessage };
      else if (deadlineMs !== undefined && deadlineMs <= 0) verdict = { success: false, reason: 'DeadlineExceeded', message: deadlineMessage };
      else if (completions === undefined ? succeededPods.length > 0 && active.length === 0 : succeeded >= completions) verdict = { success: true, reason: 'CompletionsReached', message: completionsMessage };
      else if (deadlineMs !== undefined) this.queue.addAfter(key, deadlineMs + 10);
      if (verdict) conditions = setCondition(conditions, verdict.success ? 'SuccessCriteriaMet' : 'FailureTarget', 'True', verdict.reason, verdict.message, nowStamp);
    }

    let activeCount = active.length;
    let terminatingCount = terminating.length;
    let manageError: Error | undefined;
    let completionTime = job.status?.completionTime;
    if (verdict || suspended) {
      await this.deletePods(job, active);
      terminatingCount += active.length;
      activeCount = 0;
      if (suspended && !verdict && !isJobSuspended(job)) {
        conditions = setCondition(conditions, 'Suspended', 'True', 'JobSuspended', 'Job suspended', nowStamp);
        this.opts.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
      }
      if (verdict && terminatingCount === 0) {
        conditions = setCondition(conditions, verdict.success ? 'Complete' : 'Failed', 'True', verdict.reason, verdict.message, nowStamp);
        if (verdict.success) {
          completionTime = nowStamp;
          this.opts.recorder.event(job, 'Normal', 'Completed', 'Job completed');
        } else this.opts.recorder.event(job, 'Warning', verdict.reason, verdict.message);
      }
    } else if (this.expectations.satisfied(key)) {
      const wait = failureBackoffMs(countedFailed, succeededPods, now.getTime(), this.opts.podFailureBackoffMs ?? 10_000, 10 * 60_000);
      try {
        if (wait > 0) this.queue.addAfter(key, wait + 10);
        else activeCount += await this.manage(key, job, active, terminating, succeeded, succeededPods.length, completed);
      } catch (err) {
        manageError = err instanceof Error ? err : new Error(String(err));
      }
    }

    const status: batchv1.JobStatus = {
      ...job.status,
      active: activeCount,
      ready: verdict || suspended ? 0 : active.filter(isPodReady).length,
      terminating: terminatingCount,
      succeeded,
      failed,
      ...(startTime ? { startTime } : {}),
      ...(completionTime ? { completionTime } : {}),
      ...(indexed ? { completedIndexes: formatIndexes(completed) } : {}),
      ...(conditions.length > 0 ? { conditions } : {}),
    };
    if (!sameJobStatus(job.status, status)) await this.jobs.updateStatus({ ...job, status });
    if (manageError) throw manageError;
    if (jobFinished({ status })) await this.expireFinished(key, { ...job, status }, now);
  }

  /** Creates or deletes pods towards `parallelism` running; returns the change in active pods. */
  private async manage(key: string, job: Job, active: Pod[], terminating: Pod[], succeeded: number, succeededPods: number, completed: Set<number>): Promise<number> {
    const spec = job.spec ?? { template: {} };
    const parallelism = spec.parallelism ?? 1;
    const completions = spec.completions ?? undefined;
    const want = completions === undefined ? (succeededPods > 0 ? 0 : parallelism) : Math.max(0, Math.min(parallelism, completions - succeeded));
    // With podReplacementPolicy Failed, a terminating pod still holds its slot.
    const holding = spec.podReplacementPolicy === 'Failed' ? terminating.length : 0;

    let surplus: Pod[] = [];
    let missing: Array<number | undefined> = [];
    if (spec.completionMode === 'Indexed' && completions !== undefined) {
      const running = new Set<number>();
      const keep: Pod[] = [];
      for (const pod of active) {
        const i = podIndex(pod, completions);
        if (i === undefined || completed.has(i) || running.has(i)) surplus.push(pod);
        else {
          running.add(i);
          keep.push(pod);
        }
      }
      if (keep.length > want) surplus = [...surplus, ...podsToDelete(keep, keep, keep.length - want)];
      const room = Math.max(0, want - keep.length - holding);
      for (let i = 0; i < completions && missing.length < room; i++) if (!completed.has(i) && !running.has(i)) missing.push(i);
    } else if (active.length > want) surplus = podsToDelete(active, active, active.length - want);
    else missing = Array.from({ length: Math.max(0, want - active.length - holding) }, () => undefined);

    if (surplus.length > 0) {
      this.expectations.expectDeletions(key, surplus.map(objectKey));
      try {
        await this.deletePods(job, surplus);
      } catch (err) {
        this.expectations.delete(key);
        throw err;
      }
      return -surplus.length;
    }
    const batch = missing.slice(0, this.burst);
    if (batch.length === 0) return 0;
    this.expectations.expectCreations(key, batch.length);
    let created = 0;
    let failure: Error | undefined;
    for (let size = 1, done = 0; done < batch.length && !failure; size *= 2) {
      const slice = batch.slice(done, done + size);
      done += slice.length;
      const results = await Promise.allSettled(slice.map((index) => this.opts.client.pods.create(jobPod(job, index), { namespace: job.metadata?.namespace })));
      for (const r of results) {
        if (r.status === 'fulfilled') {
          created++;
          this.opts.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata?.name ?? ''}`);
        } else {
          failure ??= r.reason instanceof Error ? r.reason : new Error(String(r.reason));
          this.expectations.creationObserved(key);
          this.opts.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${failure.message}`);
        }
      }
      if (failure) for (let i = done; i < batch.length; i++) this.expectations.creationObserved(key);
    }
    if (failure) throw failure;
    return created;
  }

  private async deletePods(job: Job, pods: Pod[]): Promise<void> {
    const results = await Promise.allSettled(
      pods.map(async (pod) => {
        try {
          await this.opts.client.pods.delete(pod.metadata?.name ?? '', { namespace: pod.metadata?.namespace });
          this.opts.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name ?? ''}`);
        } catch (err) {
          if (isNotFound(err)) return;
          this.opts.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${err instanceof Error ? err.message : String(err)}`);
          throw err;
        }
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }

  /** Deletes a finished Job whose ttlSecondsAfterFinished has run out, or requeues it for then. */
  private async expireFinished(key: string, job: Job, now: Date): Promise<void> {
    const ttl = job.spec?.ttlSecondsAfterFinished;
    const finished = jobFinished(job);
    if (ttl === undefined || !finished) return;
    const at = finished.at ? Date.parse(finished.at) : now.getTime();
    const wait = at + ttl * 1000 - now.getTime();
    if (wait > 0) {
      this.queue.addAfter(key, wait + 10);
      return;
    }
    try {
      await this.jobs.delete(job.metadata?.name ?? '', { namespace: job.metadata?.namespace, propagationPolicy: 'Background', preconditions: { uid: job.metadata?.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** The key of the Job controlling `pod`, if it is one we know. */
  private ownerKey(pod: Pod): string | undefined {
    const ref = controllerRefOf(pod);
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = this.opts.jobs.get(ref.name, pod.metadata?.namespace);
    if (!job || job.metadata?.uid !== ref.uid) return undefined;
    return objectKey(job);
  }
}

/** A FailureTarget or SuccessCriteriaMet condition set by an earlier sync. */
function interimVerdict(job: Job): Verdict | undefined {
  for (const [type, success] of [['FailureTarget', false], ['SuccessCriteriaMet', true]] as Array<[JobConditionType, boolean]>) {
    const c = jobCondition(job, type);
    if (c?.status === 'True') return { success, reason: c.reason ?? '', message: c.message ?? '' };
  }
  return undefined;
}

/** With restartPolicy OnFailure, restarts of the active pods count against backoffLimit (upstream's rule). */
function pastBackoffLimitOnFailure(job: Job, active: Pod[], backoffLimit: number): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  const restarts = active.reduce((n, p) => n + podRestarts(p), 0) + (job.status?.failed ?? 0);
  return backoffLimit === 0 ? restarts > 0 : restarts >= backoffLimit;
}

// The CronJob controller: creates a Job from the template at each
// scheduled time, named `<cronjob>-<scheduled time in minutes since the
// epoch>` so that a time is never run twice. It honours timeZone,
// concurrencyPolicy (Allow, Forbid, Replace), startingDeadlineSeconds and
// suspend, keeps status.active in step with the Jobs it owns, records
// lastScheduleTime and lastSuccessfulTime, deletes finished Jobs beyond
// the history limits, and requeues itself for the next scheduled time.
import type { batchv1, corev1 } from '../api/types.js';
import { objectKey, referenceTo, runWorkers, WorkQueue, type Client, type EventRecorder, type ResourceClient, type ResourceRef } from '../client/index.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { isAlreadyExists, isNotFound } from '../machinery/index.js';
import type { Controller, Lister } from './controller.js';
import { isKnownTimeZone, parseSchedule, type Schedule } from './cronjob-schedule.js';
import { jobsRef } from './job.js';
import { jobFinished, stamp } from './job-status.js';
import { controllerRefOf, newControllerRef } from './ownership.js';

type CronJob = batchv1.CronJob;
type Job = batchv1.Job;

export const cronJobsRef = { group: 'batch', version: 'v1', resource: 'cronjobs', namespaced: true } as const satisfies ResourceRef;
export const scheduledTimestampAnnotation = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

const kind = { apiVersion: 'batch/v1', kind: 'CronJob' } as const;
/** Upstream requeues a little after the scheduled time so that the time has surely come. */
const nextScheduleDeltaMs = 100;
/** Past this many missed start times upstream warns (TooManyMissedTimes). */
const missedTimesLimit = 100;

export interface CronJobControllerOptions {
  client: Client;
  cronJobs: Lister<CronJob>;
  jobs: Lister<Job>;
  recorder: Pick<EventRecorder, 'event'>;
  logger?: Logger;
  queue?: WorkQueue;
  /** The clock schedules are evaluated against (tests inject one). */
  now?: () => Date;
}

export class CronJobController implements Controller {
  readonly name = 'cronjob';
  readonly queue: WorkQueue;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly jobs: ResourceClient<Job>;
  private readonly cronJobs: ResourceClient<CronJob>;

  constructor(private readonly opts: CronJobControllerOptions) {
    this.queue = opts.queue ?? new WorkQueue({ name: this.name });
    this.log = opts.logger ?? silentLogger;
    this.now = opts.now ?? (() => new Date());
    this.jobs = opts.client.resource<Job>(jobsRef);
    this.cronJobs = opts.client.resource<CronJob>(cronJobsRef);
    opts.cronJobs.addEventHandler({
      onAdd: (cj) => this.queue.add(objectKey(cj)),
      onUpdate: (_old, cj) => this.queue.add(objectKey(cj)),
      onDelete: () => undefined,
    });
    const jobChanged = (job: Job): void => {
      const key = this.ownerKey(job);
      if (key) this.queue.add(key);
    };
    opts.jobs.addEventHandler({ onAdd: jobChanged, onUpdate: (_old, job) => jobChanged(job), onDelete: jobChanged });
  }

  run(workers: number, signal: AbortSignal): Promise<void> {
    return runWorkers(this.queue, (key) => this.sync(key), signal, { workers, logger: this.log });
  }

  async sync(key: string): Promise<void> {
    const [namespace = '', name = ''] = key.split('/');
    const cached = this.opts.cronJobs.get(name, namespace);
    if (!cached || cached.metadata?.deletionTimestamp) return;
    const cj: CronJob = { ...structuredClone(cached), ...kind };
    const children = this.opts.jobs.list(namespace).filter((j) => controllerRefOf(j)?.uid === cj.metadata?.uid);
    const status: batchv1.CronJobStatus = { ...cj.status };
    status.active = await this.reconcileActive(cj, status, children);
    const now = this.now();
    let requeueAt: Date | undefined;
    try {
      requeueAt = await this.schedule(cj, status, now);
    } finally {
      await this.cleanupHistory(cj, status, children);
      await this.updateStatus(cj, status);
    }
    if (requeueAt) this.queue.addAfter(key, Math.max(0, requeueAt.getTime() - now.getTime()) + nextScheduleDeltaMs);
  }

  /** status.active without finished or vanished Jobs; records SawCompletedJob and lastSuccessfulTime. */
  private async reconcileActive(cj: CronJob, status: batchv1.CronJobStatus, children: Job[]): Promise<corev1.ObjectReference[]> {
    let active = [...(status.active ?? [])];
    for (const job of children) {
      const inActive = active.some((r) => r.uid === job.metadata?.uid);
      const finished = jobFinished(job);
      if (!finished && !inActive) {
        this.opts.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata?.name ?? ''}`);
      } else if (finished && inActive) {
        active = active.filter((r) => r.uid !== job.metadata?.uid);
        this.opts.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata?.name ?? ''}, condition: ${finished.type}`);
      }
      const completedAt = finished?.type === 'Complete' ? job.status?.completionTime : undefined;
      if (completedAt && (!status.lastSuccessfulTime || Date.parse(completedAt) > Date.parse(status.lastSuccessfulTime))) status.lastSuccessfulTime = completedAt;
    }
    const kept: corev1.ObjectReference[] = [];
    for (const ref of active) {
      if (children.some((j) => j.metadata?.uid === ref.uid)) {
        kept.push(ref);
        continue;
      }
      // Not in the cache: ask the server before forgetting it (the cache may lag a create).
      try {
        const job = await this.jobs.get(ref.name ?? '', ref.namespace ?? cj.metadata?.namespace);
        if (job.metadata?.uid === ref.uid) kept.push(ref);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.opts.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
      }
    }
    return kept;
  }

  /** Starts the Job due now, if any; returns when to look again (undefined: not until the CronJob changes). */
  private async schedule(cj: CronJob, status: batchv1.CronJobStatus, now: Date): Promise<Date | undefined> {
    const spec = cj.spec;
    if (!spec) return undefined;
    const zone = spec.timeZone;
    if (zone !== undefined && zone !== '' && !isKnownTimeZone(zone)) {
      this.opts.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: "${zone}": unknown time zone ${zone}`);
      return undefined;
    }
    if (spec.suspend) return undefined;
    let schedule: Schedule;
    try {
      schedule = parseSchedule(spec.schedule, zone || undefined);
    } catch (err) {
      this.opts.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: "${spec.schedule}" : ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
    const next = schedule.next(now);
    const due = this.mostRecentMissed(cj, schedule, now);
    if (!due) return next;
    if (due.missed > missedTimesLimit) {
      this.opts.recorder.event(cj, 'Warning', 'TooManyMissedTimes', `too many missed start times: ${due.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    }
    const scheduled = due.time;
    const deadline = spec.startingDeadlineSeconds;
    if (deadline !== undefined && scheduled.getTime() + deadline * 1000 < now.getTime()) {
      this.opts.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc1123z(scheduled)}`);
      return next;
    }
    const jobName = `${cj.metadata?.name ?? ''}-${Math.floor(scheduled.getTime() / 60_000)}`;
    const last = status.lastScheduleTime ? Date.parse(status.lastScheduleTime) : NaN;
    if (status.active?.some((r) => r.name === jobName) || last === scheduled.getTime()) return next;
    if (spec.concurrencyPolicy === 'Forbid' && (status.active?.length ?? 0) > 0) {
      this.opts.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return next;
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const ref of status.active ?? []) {
        await this.deleteJob(cj, ref.name ?? '');
        status.active = (status.active ?? []).filter((r) => r.uid !== ref.uid);
      }
    }
    let created: Job;
    try {
      created = await this.jobs.create(jobFromTemplate(cj, jobName, scheduled), { namespace: cj.metadata?.namespace });
    } catch (err) {
      if (isAlreadyExists(err)) {
        // Created by an earlier sync whose status write was lost: the next sync sees it as a child.
        return next;
      }
      this.opts.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    this.opts.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata?.name ?? jobName}`);
    status.active = [...(status.active ?? []), referenceTo({ ...created, apiVersion: 'batch/v1', kind: 'Job' })];
    status.lastScheduleTime = stamp(scheduled);
    return next;
  }

  /**
   * The latest scheduled time not yet run, after the last schedule time (or
   * creation) and within startingDeadlineSeconds of now, with how many
   * times were missed since then.
   */
  private mostRecentMissed(cj: CronJob, schedule: Schedule, now: Date): { time: Date; missed: number } | undefined {
    const since = cj.status?.lastScheduleTime ?? cj.metadata?.creationTimestamp;
    let earliest = since ? Date.parse(since) : now.getTime();
    const deadline = cj.spec?.startingDeadlineSeconds;
    if (deadline !== undefined) earliest = Math.max(earliest, now.getTime() - deadline * 1000);
    const first = schedule.next(new Date(earliest));
    if (!first || first.getTime() > now.getTime()) return undefined;
    let time = first;
    let missed = 1;
    for (let t = schedule.next(first); t && t.getTime() <= now.getTime(); t = schedule.next(t)) {
      time = t;
      missed++;
      if (missed > missedTimesLimit) {
        // Past the limit, count by the interval between the first two times and jump to the latest.
        const second = schedule.next(first);
        const step = second ? second.getTime() - first.getTime() : 0;
        if (step > 0) missed = Math.floor((now.getTime() - first.getTime()) / step) + 1;
        time = schedule.latest(now) ?? time;
        break;
      }
    }
    return { time, missed };
  }

  /** Deletes the oldest finished Jobs beyond successfulJobsHistoryLimit and failedJobsHistoryLimit. */
  private async cleanupHistory(cj: CronJob, status: batchv1.CronJobStatus, children: Job[]): Promise<void> {
    const spec = cj.spec;
    if (!spec) return;
    const byAge = (a: Job, b: Job): number => startOf(a) - startOf(b);
    for (const [type, limit] of [['Complete', spec.successfulJobsHistoryLimit], ['Failed', spec.failedJobsHistoryLimit]] as const) {
      if (limit === undefined || limit === null) continue;
      const finished = children.filter((j) => jobFinished(j)?.type === type).sort(byAge);
      for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
        await this.deleteJob(cj, job.metadata?.name ?? '');
        status.active = (status.active ?? []).filter((r) => r.uid !== job.metadata?.uid);
      }
    }
  }

  private async deleteJob(cj: CronJob, name: string): Promise<void> {
    try {
      await this.jobs.delete(name, { namespace: cj.metadata?.namespace, propagationPolicy: 'Background' });
    } catch (err) {
      if (isNotFound(err)) return;
      this.opts.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${err instanceof Error ? err.message : String(err)}`);
      throw err;
    }
    this.opts.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
  }

  private async updateStatus(cj: CronJob, status: batchv1.CronJobStatus): Promise<void> {
    const before = cj.status ?? {};
    const same =
      JSON.stringify((before.active ?? []).map((r) => r.uid)) === JSON.stringify((status.active ?? []).map((r) => r.uid)) &&
      before.lastScheduleTime === status.lastScheduleTime &&
      before.lastSuccessfulTime === status.lastSuccessfulTime;
    if (same) return;
    const next = { ...status };
    if (next.active?.length === 0) delete next.active;
    await this.cronJobs.updateStatus({ ...cj, status: next });
  }

  /** The key of the CronJob controlling `job`, if it is one we know. */
  private ownerKey(job: Job): string | undefined {
    const ref = controllerRefOf(job);
    if (!ref || ref.kind !== 'CronJob') return undefined;
    const cj = this.opts.cronJobs.get(ref.name, job.metadata?.namespace);
    if (!cj || cj.metadata?.uid !== ref.uid) return undefined;
    return objectKey(cj);
  }
}

/** The Job a CronJob starts for `scheduled`: its template, named `name`, controlled by it. */
export function jobFromTemplate(cj: CronJob, name: string, scheduled: Date): Job {
  const t = cj.spec?.jobTemplate ?? {};
  const meta = t.metadata ?? {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: cj.metadata?.namespace,
      labels: { ...meta.labels },
      annotations: { ...meta.annotations, [scheduledTimestampAnnotation]: rfc3339In(scheduled, cj.spec?.timeZone || undefined) },
      ownerReferences: [newControllerRef({ ...kind, metadata: cj.metadata })],
    },
    spec: structuredClone(t.spec ?? { template: {} }),
  };
}

function startOf(job: Job): number {
  const s = job.status?.startTime ?? job.metadata?.creationTimestamp;
  return s ? Date.parse(s) : 0;
}

/** Go's RFC1123Z layout in UTC: `Mon, 02 Jan 2006 15:04:05 +0000`. */
function rfc1123z(d: Date): string {
  return d.toUTCString().replace('GMT', '+0000');
}

/** RFC 3339 with the zone's offset (`Z` for UTC), as the scheduled-timestamp annotation carries it. */
export function rfc3339In(d: Date, zone: string | undefined): string {
  if (!zone || zone === 'UTC' || zone === 'Etc/UTC') return stamp(d);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
  const offsetMin = Math.round((wall - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const local = `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}`;
  return offsetMin === 0 ? `${local}Z` : `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

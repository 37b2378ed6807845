// The public API of scheduler/: start it; the framework pieces are exported
// for tests, benchmarks and future profiles.
export { schedulerLeaseName, startScheduler, type Scheduler, type SchedulerOptions } from './scheduler.js';
export { defaultProfile, defaultSchedulerName } from './profile.js';
export type { Profile } from './framework/cycle.js';
export type { QueueOptions } from './framework/queue.js';

// The Ready, Status and Restarts cells of a pod, by upstream's rules
// (Kubernetes 1.32 printPod):
//  - Status starts as status.reason or the phase; SchedulingGated when the
//    PodScheduled condition says so; then the first init container not yet
//    done gives Init:<reason>, Init:Signal:N, Init:ExitCode:N or Init:i/n;
//    once initialised, the containers' waiting or terminated reasons win
//    (the first container in spec order last, so it shows); Completed with
//    a container still running becomes Running or NotReady; a pod being
//    deleted shows Terminating (Unknown if its node was lost).
//  - Ready counts ready running containers and started sidecars (init
//    containers with restartPolicy Always) against containers + sidecars.
//  - Restarts sums restart counts (only sidecars' and containers' once the
//    pod is initialised) and adds "(<age> ago)" of the latest restart.
import type { corev1 } from '../types.js';
import { humanDuration, parseTimestamp } from './age.js';
import { flag, int, list, text } from './read.js';

type Status = corev1.ContainerStatus;

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** Tracks a restart count and the latest time a counted container last terminated. */
class Restarts {
  count = 0;
  last: number | undefined;

  add(s: Status): void {
    this.count += int(s.restartCount);
    const finished = parseTimestamp(s.lastState?.terminated?.finishedAt);
    if (finished !== undefined && (this.last === undefined || finished > this.last)) this.last = finished;
  }
}

function terminatedReason(t: corev1.ContainerStateTerminated, prefix: string): string {
  const reason = text(t.reason);
  if (reason !== '') return prefix + reason;
  const signal = int(t.signal);
  return signal !== 0 ? `${prefix}Signal:${signal}` : `${prefix}ExitCode:${int(t.exitCode)}`;
}

function conditionTrue(pod: corev1.Pod, type: string): boolean {
  return list(pod.status?.conditions).some((c) => c?.type === type && c.status === 'True');
}

/** Upstream: the first condition of the type decides. */
function initializedConditionTrue(pod: corev1.Pod): boolean {
  const c = list(pod.status?.conditions).find((cond) => cond?.type === 'Initialized');
  return c?.status === 'True';
}

export function summarizePod(pod: corev1.Pod, now: Date): PodSummary {
  const phase = text(pod.status?.phase);
  let reason = text(pod.status?.reason) || phase;
  for (const c of list(pod.status?.conditions)) {
    if (c?.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initSpecs = list(pod.spec?.initContainers);
  const sidecarSpecs = initSpecs.filter((c) => c?.restartPolicy === 'Always');
  const sidecars = new Set(sidecarSpecs.map((c) => text(c.name)));
  const total = list(pod.spec?.containers).length + sidecarSpecs.length;
  let ready = 0;

  const all = new Restarts();
  const sidecarRestarts = new Restarts();
  let initializing = false;
  const initStatuses = list(pod.status?.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const s = initStatuses[i];
    if (!s) continue;
    const sidecar = sidecars.has(text(s.name));
    all.add(s);
    if (sidecar) sidecarRestarts.add(s);
    const terminated = s.state?.terminated;
    const waiting = s.state?.waiting;
    if (terminated && int(terminated.exitCode) === 0) continue;
    if (sidecar && flag(s.started)) {
      if (flag(s.ready)) ready++;
      continue;
    }
    if (terminated) reason = terminatedReason(terminated, 'Init:');
    else if (waiting && text(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') reason = `Init:${text(waiting.reason)}`;
    else reason = `Init:${i}/${initSpecs.length}`;
    initializing = true;
    break;
  }

  let restarts = all;
  if (!initializing || initializedConditionTrue(pod)) {
    restarts = sidecarRestarts;
    let hasRunning = false;
    const statuses = list(pod.status?.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const s = statuses[i];
      if (!s) continue;
      restarts.add(s);
      const waiting = s.state?.waiting;
      const terminated = s.state?.terminated;
      if (waiting && text(waiting.reason) !== '') reason = text(waiting.reason);
      else if (terminated) reason = terminatedReason(terminated, '');
      else if (flag(s.ready) && s.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp) {
    if (pod.status?.reason === 'NodeLost') reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }

  let restartCell = String(restarts.count);
  if (restarts.count !== 0 && restarts.last !== undefined) {
    restartCell = `${restarts.count} (${humanDuration(now.getTime() - restarts.last)} ago)`;
  }
  return { ready: `${ready}/${total}`, status: reason, restarts: restartCell };
}

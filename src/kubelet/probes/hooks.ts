// Lifecycle hooks: postStart right after a container starts (the start is
// not done until it returns; a failure kills the container), preStop before
// a container is stopped, within its grace period. exec, httpGet and sleep
// handlers, with upstream's FailedPostStartHook / FailedPreStopHook events.
import type { corev1 } from '../../api/types.js';
import type { Clock } from '../clock.js';
import { sleepOn } from '../clock.js';
import type { RuntimeService } from '../cri/runtime.js';
import type { EventRecorder } from '../events.js';
import { podDescription } from '../pods/context.js';
import { runExec, runHttp, type HandlerTarget } from './handler.js';

export interface HookContext {
  runtime: RuntimeService;
  clock: Clock;
}

/** Runs a hook (timeoutSeconds 0: no limit); resolves to undefined on success, else the message upstream shows for its failure. */
export async function runHook(hc: HookContext, pod: corev1.Pod, handler: corev1.LifecycleHandler, target: HandlerTarget, timeoutSeconds: number): Promise<string | undefined> {
  const where = `for Container "${target.container.name}" in Pod "${podDescription(pod)}"`;
  if (handler.exec) {
    const command = handler.exec.command ?? [];
    const outcome = await runExec(hc.runtime, target, command, timeoutSeconds);
    if (outcome.result === 'success') return undefined;
    return `Exec lifecycle hook ([${command.join(' ')}]) ${where} failed - error: command '${command.join(' ')}' exited with ${outcome.exitCode ?? 'an error'}: ${outcome.exitCode === undefined ? outcome.output : ''}, message: ${JSON.stringify(outcome.exitCode === undefined ? '' : outcome.output)}`;
  }
  if (handler.httpGet) {
    const outcome = await runHttp(handler.httpGet, target, timeoutSeconds);
    if (outcome.result === 'success') return undefined;
    return `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) ${where} failed - error: ${outcome.output}`;
  }
  if (handler.sleep) {
    await sleepOn(hc.clock, (timeoutSeconds > 0 ? Math.min(handler.sleep.seconds, timeoutSeconds) : handler.sleep.seconds) * 1000);
    return undefined;
  }
  if (handler.tcpSocket) {
    // Upstream accepts tcpSocket hooks only for compatibility and does nothing with them.
    return undefined;
  }
  return `Cannot run handler: invalid handler ${where}`;
}

export interface PreStopContext {
  config: { runtime: RuntimeService; clock: Clock };
  events: EventRecorder;
}

/** Upstream's floor on what is left of a grace period after the preStop hook. */
const minGraceSeconds = 2;

/**
 * Runs the container's preStop hook for at most the grace period; resolves
 * to the grace period left for the stop (at least 2 s, as upstream).
 */
export async function runPreStop(ctx: PreStopContext, pod: corev1.Pod, container: corev1.Container, containerId: string, graceSeconds: number): Promise<number> {
  const handler = container.lifecycle?.preStop;
  if (!handler) return graceSeconds;
  const { clock, runtime } = ctx.config;
  const start = clock.now();
  const podIP = pod.status?.podIP;
  const stop = new AbortController();
  const hook = runHook({ runtime, clock }, pod, handler, { container, containerId, podIP }, graceSeconds).then((failure) => {
    if (failure !== undefined) ctx.events.pod(pod, 'Warning', 'FailedPreStopHook', failure, { name: container.name });
  });
  await Promise.race([hook, sleepOn(clock, graceSeconds * 1000, stop.signal)]);
  stop.abort();
  const spent = Math.floor((clock.now() - start) / 1000);
  return Math.max(minGraceSeconds, graceSeconds - spent);
}

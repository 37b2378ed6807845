// One sync of one pod (the pod worker calls it, never two at once for a
// pod): compare the spec with what the runtime holds, act, then write the
// status that results. A pod marked for deletion is stopped with its grace
// period, cleaned up and deleted for good (grace 0, uid precondition); a
// finished pod has its sandbox stopped and its cgroups removed.
import type { corev1 } from '../../api/types.js';
import { isConflict, isNotFound } from '../../machinery/index.js';
import { KubeletError, messageOf } from '../errors.js';
import type { VolumeMountSource } from '../volumes/types.js';
import { removePodCgroups } from './cgroups.js';
import { gracePeriodSeconds, podDescription, type PodContext } from './context.js';
import { computePodActions } from './plan.js';
import { settledStates, type MadeRecords, type PodRuntimeState } from './runtime-state.js';
import { createSandbox, existingSandbox } from './sandbox.js';
import { startContainer, type RunningSandbox } from './start.js';
import { podStatus } from './status.js';
import type { StatusWriter } from './status-writer.js';
import { cleanupPod, killContainers, stopPod } from './terminate.js';

export interface SyncResult {
  /** Sync again after this long (a back-off ends). */
  retryAfterMs?: number;
  /** Record states (id → state) this sync acted on or made; a relist reporting only these needs no new sync. */
  settled?: ReadonlyMap<string, string>;
  /** The pod is gone from the API and the runtime: its worker can go. */
  done: boolean;
}

const isTerminalPhase = (phase: string | undefined): boolean => phase === 'Succeeded' || phase === 'Failed';

export class PodSyncer {
  constructor(
    private readonly ctx: PodContext,
    private readonly statuses: StatusWriter,
  ) {}

  /** Syncs a pod the API has. */
  async sync(pod: corev1.Pod): Promise<SyncResult> {
    const uid = pod.metadata?.uid ?? '';
    const state = await this.ctx.reader.read(uid);
    if (pod.metadata?.deletionTimestamp) return this.terminate(pod, state);
    if (isTerminalPhase(pod.status?.phase)) {
      await this.finish(pod, state);
      return { done: false };
    }
    const deadline = this.deadlineLeftMs(pod);
    if (deadline !== undefined && deadline <= 0) return this.exceedDeadline(pod, state);
    let result: SyncResult = { done: false };
    let failure: unknown;
    // What the actions made, while each record they may have made is known.
    const made: MadeRecords & { known: boolean } = { sandboxes: [], containers: [], known: true };
    try {
      result = await this.act(pod, state, made);
      if (deadline !== undefined) result = { ...result, retryAfterMs: Math.min(result.retryAfterMs ?? Infinity, deadline) };
    } catch (err) {
      failure = err;
    }
    // Status is written whatever happened: a failed sync shows in it too.
    const after = failure === undefined && made.known ? await this.ctx.reader.reread(state, made) : await this.ctx.reader.read(uid);
    this.ctx.probes?.track(pod, after);
    const status = this.status(pod, after, false);
    if (isTerminalPhase(status.phase)) await this.finish(pod, after);
    await this.statuses.write(pod, status);
    if (failure !== undefined) throw failure;
    // A start that failed or waits leaves news for the next sync (the waiting reason), as any report brings.
    return made.known ? { ...result, settled: settledStates(state, after) } : result;
  }

  /** Stops and removes what the runtime still holds of a pod the API no longer has. */
  async forget(uid: string, lastKnown: corev1.Pod | undefined): Promise<SyncResult> {
    this.ctx.probes?.forget(uid);
    const state = await this.ctx.reader.read(uid);
    await stopPod(this.ctx, undefined, state, gracePeriodSeconds(lastKnown));
    const clean = await cleanupPod(this.ctx, uid, await this.ctx.reader.read(uid), lastKnown);
    this.statuses.forget(uid);
    if (clean) this.ctx.reader.removed(uid);
    return { done: clean };
  }

  private status(pod: corev1.Pod, state: PodRuntimeState, terminal: boolean): corev1.PodStatus {
    return podStatus({
      pod,
      state,
      reasons: this.ctx.reasons.get(pod.metadata?.uid ?? ''),
      runtimeName: this.ctx.runtimeName(),
      hostIPs: this.ctx.env.hostIPs,
      now: this.ctx.config.clock.now(),
      terminal,
      ...(this.ctx.probes ? { probes: this.ctx.probes } : {}),
    });
  }

  private async act(pod: corev1.Pod, state: PodRuntimeState, made: MadeRecords & { known: boolean }): Promise<SyncResult> {
    const ctx = this.ctx;
    const actions = computePodActions(pod, state, ctx.probes);
    const grace = gracePeriodSeconds(pod);
    if (actions.killPod) await stopPod(ctx, pod, state, grace);
    if (actions.kill.length > 0) await killContainers(ctx, pod, actions.kill, grace);
    for (const c of actions.removeContainers) await ctx.config.runtime.removeContainer(c.id);
    for (const s of actions.removeSandboxes) await ctx.config.runtime.removePodSandbox(s.id);
    if (actions.start.length === 0) {
      // configMap, secret and projected files follow their sources at every sync of a running pod (upstream's remount).
      if (!actions.killPod && state.sandboxes.some((s) => s.state === 'SANDBOX_READY')) await this.refreshVolumes(pod);
      return { done: false };
    }
    const network = pod.spec?.hostNetwork ? undefined : ctx.networkError();
    if (network !== undefined) {
      const msg = `network is not ready: ${network}`;
      ctx.events.pod(pod, 'Warning', 'NetworkNotReady', msg);
      throw new KubeletError('sandbox', msg);
    }

    let volumes: Map<string, VolumeMountSource>;
    try {
      volumes = await ctx.volumes.setUp(pod);
    } catch (err) {
      ctx.events.pod(pod, 'Warning', 'FailedMount', messageOf(err));
      throw err;
    }
    const sandbox: RunningSandbox | undefined = actions.createSandbox ? await createSandbox(ctx, pod, actions.sandboxAttempt) : existingSandbox(ctx, pod, state);
    if (!sandbox) return { done: false };
    if (actions.createSandbox) {
      made.sandboxes.push(sandbox.id);
      ctx.config.logger.info('pod sandbox created', { pod: podDescription(pod), sandbox: sandbox.id.slice(0, 13), attempt: actions.sandboxAttempt });
    }

    let retryAfterMs: number | undefined;
    for (const action of actions.start) {
      const result = await startContainer(ctx, pod, action, sandbox, volumes);
      // A start that failed may have left a container of unknown id.
      if (result.id !== undefined) made.containers.push({ id: result.id, sandboxId: sandbox.id });
      else made.known = false;
      if (result.retryAfterMs !== undefined) retryAfterMs = Math.min(retryAfterMs ?? Infinity, result.retryAfterMs);
      // Init containers run one at a time: a failed start waits for the next sync.
      if (action.init && !result.started) break;
    }
    return retryAfterMs === undefined ? { done: false } : { done: false, retryAfterMs };
  }

  private async refreshVolumes(pod: corev1.Pod): Promise<void> {
    try {
      await this.ctx.volumes.setUp(pod);
    } catch (err) {
      this.ctx.events.pod(pod, 'Warning', 'FailedMount', messageOf(err));
    }
  }

  /** Milliseconds until spec.activeDeadlineSeconds runs out (counted from status.startTime); undefined without one. */
  private deadlineLeftMs(pod: corev1.Pod): number | undefined {
    const seconds = pod.spec?.activeDeadlineSeconds;
    const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : NaN;
    if (seconds === undefined || Number.isNaN(start)) return undefined;
    return start + seconds * 1000 - this.ctx.config.clock.now();
  }

  /** Upstream's active deadline: the pod is killed and fails with reason DeadlineExceeded. */
  private async exceedDeadline(pod: corev1.Pod, state: PodRuntimeState): Promise<SyncResult> {
    const message = 'Pod was active on the node longer than the specified deadline';
    if (pod.status?.reason !== 'DeadlineExceeded') this.ctx.events.pod(pod, 'Normal', 'DeadlineExceeded', message);
    this.ctx.probes?.forget(pod.metadata?.uid ?? '');
    await stopPod(this.ctx, pod, state, gracePeriodSeconds(pod));
    const after = await this.ctx.reader.read(pod.metadata?.uid ?? '');
    const status = { ...this.status(pod, after, true), phase: 'Failed', reason: 'DeadlineExceeded', message };
    await this.finish(pod, after);
    await this.statuses.write(pod, status);
    return { done: false };
  }

  /** A finished pod keeps its containers (for logs) but not its sandbox or cgroups. */
  private async finish(pod: corev1.Pod, state: PodRuntimeState): Promise<void> {
    this.ctx.probes?.forget(pod.metadata?.uid ?? '');
    const live = state.containers.some((c) => c.state === 'CONTAINER_RUNNING') || state.sandboxes.some((s) => s.state === 'SANDBOX_READY');
    if (live) await stopPod(this.ctx, pod, state, gracePeriodSeconds(pod));
    removePodCgroups(this.ctx.config.cgroupFs, this.ctx.config.cgroupRoot, pod.metadata?.uid ?? '');
  }

  /** Graceful deletion: stop, final status, clean up, then delete the object for good. */
  private async terminate(pod: corev1.Pod, state: PodRuntimeState): Promise<SyncResult> {
    const ctx = this.ctx;
    const uid = pod.metadata?.uid ?? '';
    ctx.probes?.forget(uid);
    await stopPod(ctx, pod, state, gracePeriodSeconds(pod));
    const stopped = await ctx.reader.read(uid);
    try {
      await this.statuses.write(pod, this.status(pod, stopped, true));
    } catch (err) {
      ctx.config.logger.warn('final pod status not written', { pod: podDescription(pod), err: messageOf(err) });
    }
    await cleanupPod(ctx, uid, stopped, pod);
    try {
      await ctx.config.client.pods.delete(pod.metadata?.name ?? '', { namespace: pod.metadata?.namespace, gracePeriodSeconds: 0, preconditions: { uid } });
      ctx.config.logger.info('pod deleted', { pod: podDescription(pod) });
    } catch (err) {
      // Already gone, or a new pod of that name (the uid precondition failed).
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
    this.statuses.forget(uid);
    return { done: false };
  }
}

// Starting one container of a pod: restart back-off, image, configuration,
// create, start, with upstream's events (BackOff, Created, Started, Failed
// "Error: ...") and the waiting reason of a failure remembered for status.
import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { corev1 } from '../../api/types.js';
import { goDuration } from '../clock.js';
import type { PodSandboxConfig } from '../cri/types.js';
import { isKubeletError, KubeletError, messageOf } from '../errors.js';
import type { VolumeMountSource } from '../volumes/types.js';
import { runHook } from '../probes/hooks.js';
import { buildContainerConfig } from './container-config.js';
import { gracePeriodSeconds, podDescription, runtimeRequestTimeoutMs, type PodContext } from './context.js';
import { containerHash } from './hash.js';
import { podDir } from './paths.js';
import type { StartAction } from './plan.js';

export interface RunningSandbox {
  id: string;
  config: PodSandboxConfig;
  ips: string[];
  hostsFile: string | undefined;
}

export interface StartResult {
  started: boolean;
  /** The container's id, once started. */
  id?: string;
  /** When set, sync again after this long (a back-off ends). */
  retryAfterMs?: number;
}

/** upstream's stable back-off key of a container: pod name, namespace, uid, container name, spec hash. */
export function backoffKey(pod: corev1.Pod, container: corev1.Container): string {
  const m = pod.metadata ?? {};
  return `${m.name ?? ''}_${m.namespace ?? ''}_${m.uid ?? ''}_${container.name}_${containerHash(container)}`;
}

/** One more than the highest `<n>.log` already in the container's log directory (restarts survive a runtime wipe). */
export function restartCountFromLogs(logDir: string): number {
  let max = -1;
  try {
    for (const f of readdirSync(logDir)) {
      const m = /^(\d+)\.log$/.exec(f);
      if (m) max = Math.max(max, Number(m[1]));
    }
  } catch {
    return 0;
  }
  return max + 1;
}

/** A fresh empty file for the container's termination message, writable by any user in the container. */
function terminationMessageFile(ctx: PodContext, uid: string, name: string): string {
  const dir = join(podDir(ctx.config, uid), 'containers', name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, Math.floor(Math.random() * 0x100000000).toString(16).padStart(8, '0'));
  writeFileSync(file, '');
  chmodSync(file, 0o666);
  return file;
}

export async function startContainer(
  ctx: PodContext,
  pod: corev1.Pod,
  action: StartAction,
  sandbox: RunningSandbox,
  volumes: ReadonlyMap<string, VolumeMountSource>,
): Promise<StartResult> {
  const { container, init } = action;
  const uid = pod.metadata?.uid ?? '';
  const ref = { name: container.name, init };
  const rt = ctx.config.runtime;

  const prev = action.previous;
  if (prev?.state === 'CONTAINER_EXITED') {
    const key = backoffKey(pod, container);
    const exitedAt = Number(prev.finishedAt / 1_000_000n);
    if (ctx.crashBackoff.inBackoffSince(key, exitedAt)) {
      ctx.events.pod(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${container.name} in pod ${podDescription(pod)}`, ref);
      const message = `back-off ${goDuration(ctx.crashBackoff.get(key))} restarting failed container=${container.name} pod=${podDescription(pod)}`;
      ctx.reasons.set(uid, container.name, { reason: 'CrashLoopBackOff', message });
      return { started: false, retryAfterMs: ctx.crashBackoff.remainingSince(key, exitedAt) };
    }
    ctx.crashBackoff.next(key, exitedAt);
  }

  const fail = (err: unknown, code: 'create-container' | 'run-container'): StartResult => {
    const e = isKubeletError(err) ? err : new KubeletError(code, messageOf(err), { cause: err });
    const imageFailure = e.code.startsWith('image-') || e.code === 'invalid-image-name';
    ctx.events.pod(pod, 'Warning', 'Failed', `Error: ${imageFailure ? e.reason : e.message}`, ref);
    ctx.reasons.set(uid, container.name, { reason: e.reason, message: e.message });
    ctx.config.logger.warn('container start failed', { pod: podDescription(pod), container: container.name, reason: e.reason, err: e.message });
    const retryAfterMs = e.code === 'image-pull' || e.code === 'image-pull-backoff' ? ctx.puller.retryAfterMs(pod, container) : undefined;
    return retryAfterMs === undefined ? { started: false } : { started: false, retryAfterMs };
  };

  let id: string;
  try {
    const image = await ctx.puller.ensure(pod, container, sandbox.config, init);
    const logDir = join(sandbox.config.logDirectory ?? '', container.name);
    const restartCount = action.restartCount ?? restartCountFromLogs(logDir);
    mkdirSync(logDir, { recursive: true });
    const config = await buildContainerConfig({
      pod,
      container,
      restartCount,
      imageRef: image.imageRef,
      image: image.image,
      env: { ...ctx.env, podIPs: sandbox.ips },
      volumes,
      hostsFile: sandbox.hostsFile,
      terminationMessageFile: container.terminationMessagePath ? terminationMessageFile(ctx, uid, container.name) : undefined,
      memoryCapacityBytes: ctx.machine.memoryBytes,
    });
    id = await rt.createContainer(sandbox.id, config, sandbox.config, { timeoutMs: runtimeRequestTimeoutMs });
  } catch (err) {
    return fail(err, 'create-container');
  }
  ctx.events.pod(pod, 'Normal', 'Created', `Created container: ${container.name}`, ref);
  try {
    await rt.startContainer(id, { timeoutMs: runtimeRequestTimeoutMs });
  } catch (err) {
    return fail(err, 'run-container');
  }
  ctx.events.pod(pod, 'Normal', 'Started', `Started container ${container.name}`, ref);
  const postStart = container.lifecycle?.postStart;
  if (postStart) {
    const podIP = sandbox.ips[0] ?? (pod.spec?.hostNetwork ? ctx.env.hostIPs[0] : undefined);
    const failure = await runHook({ runtime: rt, clock: ctx.config.clock }, pod, postStart, { container, containerId: id, podIP }, 0);
    if (failure !== undefined) {
      // Upstream kills a container whose postStart hook failed; the restart policy decides what follows.
      ctx.events.pod(pod, 'Warning', 'FailedPostStartHook', failure, ref);
      ctx.events.pod(pod, 'Normal', 'Killing', 'FailedPostStartHook', ref);
      await rt.stopContainer(id, gracePeriodSeconds(pod));
      ctx.reasons.set(uid, container.name, { reason: 'PostStartHookError', message: failure });
      return { started: false };
    }
  }
  ctx.reasons.clear(uid, container.name);
  return { started: true, id };
}

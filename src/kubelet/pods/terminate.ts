// Stopping and removing what a pod has in the runtime and on the host.
// Killing sends the stop signal and waits the grace period (at least 2 s)
// before the runtime kills, with upstream's Killing event; cleaning up
// removes sandboxes (and their containers), the pod's cgroup directories,
// its directory under the kubelet root (volumes) and its log directory.
import { rmSync } from 'node:fs';
import type { corev1 } from '../../api/types.js';
import { messageOf } from '../errors.js';
import { runPreStop } from '../probes/hooks.js';
import { removePodCgroups } from './cgroups.js';
import { podDescription, type PodContext } from './context.js';
import { podDir, podLogDirectory } from './paths.js';
import type { KillAction } from './plan.js';
import type { PodRuntimeState } from './runtime-state.js';

/** Stops the given containers at once, each with the grace period (its preStop hook runs within it). */
export async function killContainers(ctx: PodContext, pod: corev1.Pod | undefined, kills: KillAction[], graceSeconds: number): Promise<void> {
  const init = new Set((pod?.spec?.initContainers ?? []).map((c) => c.name));
  await Promise.all(
    kills.map(async ({ record, message, graceSeconds: own }) => {
      let grace = own ?? graceSeconds;
      if (pod) ctx.events.pod(pod, 'Normal', 'Killing', message, { name: record.name, init: init.has(record.name) });
      const spec = pod?.spec?.containers?.find((c) => c.name === record.name);
      if (pod && spec?.lifecycle?.preStop && record.state === 'CONTAINER_RUNNING') grace = await runPreStop(ctx, pod, spec, record.id, grace);
      await ctx.config.runtime.stopContainer(record.id, grace);
    }),
  );
}

/** Stops every running container (gracefully), then every sandbox. */
export async function stopPod(ctx: PodContext, pod: corev1.Pod | undefined, state: PodRuntimeState, graceSeconds: number): Promise<void> {
  const running = state.containers.filter((c) => c.state === 'CONTAINER_RUNNING' || c.state === 'CONTAINER_CREATED');
  await killContainers(
    ctx,
    pod,
    running.map((record) => ({ record, message: `Stopping container ${record.name}` })),
    graceSeconds,
  );
  for (const s of state.sandboxes) if (s.state === 'SANDBOX_READY') await ctx.config.runtime.stopPodSandbox(s.id);
}

/**
 * Removes everything the pod left: sandboxes with their containers,
 * cgroups, volumes and logs. Returns false when something is still busy
 * (housekeeping tries again).
 */
export async function cleanupPod(ctx: PodContext, uid: string, state: PodRuntimeState, pod?: corev1.Pod): Promise<boolean> {
  const rt = ctx.config.runtime;
  for (const s of state.sandboxes) {
    await rt.stopPodSandbox(s.id);
    await rt.removePodSandbox(s.id);
  }
  // Containers outside any listed sandbox (a sandbox removed under them) go too.
  for (const c of state.containers) await rt.removeContainer(c.id);
  let clean = true;
  const busy = removePodCgroups(ctx.config.cgroupFs, ctx.config.cgroupRoot, uid);
  if (busy.length > 0) {
    clean = false;
    ctx.config.logger.warn('pod cgroups still busy', { uid, paths: busy.join(',') });
  }
  try {
    await ctx.volumes.tearDown(uid);
    rmSync(podDir(ctx.config, uid), { recursive: true, force: true });
  } catch (err) {
    clean = false;
    ctx.config.logger.warn('pod directory not removed', { uid, err: messageOf(err) });
  }
  const names = new Set<string>();
  if (pod) names.add(`${pod.metadata?.namespace ?? ''}\u0000${pod.metadata?.name ?? ''}`);
  for (const s of state.sandboxes) names.add(`${s.namespace}\u0000${s.name}`);
  for (const key of names) {
    const [namespace = '', name = ''] = key.split('\u0000');
    rmSync(podLogDirectory(ctx.config, namespace, name, uid), { recursive: true, force: true });
  }
  ctx.reasons.forget(uid);
  if (pod) ctx.crashBackoff.forget(`${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}_${uid}_`);
  ctx.config.logger.debug('pod cleaned up', { uid, pod: pod ? podDescription(pod) : undefined });
  return clean;
}

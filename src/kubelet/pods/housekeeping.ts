// Periodic clean-up of pods that are gone: runtime records of pods the API
// no longer has (deleted while the kubelet was down, or force-deleted) are
// handed to a worker, which stops and removes them; pod directories and
// cgroups left without any pod are removed. Records without the kubelet's
// labels are never touched. Log directories are only removed together with
// a sandbox that names them (the log root may be shared with other tools).
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { messageOf } from '../errors.js';
import { podCgroupUids, removePodCgroups } from './cgroups.js';
import type { PodContext } from './context.js';
import { podUidOf } from './labels.js';

export interface HousekeepingHooks {
  /** The API has the pod, or a worker is busy with it. */
  known(uid: string): boolean;
  /** Hands a pod to its worker (which removes it if the API does not have it). */
  enqueue(uid: string): void;
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

export async function housekeeping(ctx: PodContext, hooks: HousekeepingHooks): Promise<void> {
  const rt = ctx.config.runtime;
  const [sandboxes, containers] = await Promise.all([rt.listPodSandbox(), rt.listContainers()]);
  const inRuntime = new Set<string>();
  for (const r of [...sandboxes, ...containers]) {
    const uid = podUidOf(r.labels);
    if (uid) inRuntime.add(uid);
  }
  for (const uid of inRuntime) if (!hooks.known(uid)) hooks.enqueue(uid);

  const podsDir = join(ctx.config.rootDir, 'pods');
  for (const uid of listDir(podsDir)) {
    if (hooks.known(uid) || inRuntime.has(uid)) continue;
    try {
      await ctx.volumes.tearDown(uid);
      rmSync(join(podsDir, uid), { recursive: true, force: true });
    } catch (err) {
      ctx.config.logger.warn('orphaned pod directory not removed', { uid, err: messageOf(err) });
    }
  }
  for (const uid of podCgroupUids(ctx.config.cgroupFs, ctx.config.cgroupRoot)) {
    if (hooks.known(uid) || inRuntime.has(uid)) continue;
    removePodCgroups(ctx.config.cgroupFs, ctx.config.cgroupRoot, uid);
  }
}

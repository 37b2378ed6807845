// Pod cgroup directories: runc removes a container's cgroup but leaves the
// pod-level parent (`<cgroupRoot>/pod<uid>`) in every hierarchy, so the
// kubelet removes it once the pod's containers are gone. Works on cgroup
// v1, v2 and hybrid mounts: every hierarchy under the cgroup mount is
// tried, and the mount itself (v2).
import { existsSync, readdirSync, realpathSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { podCgroupParent } from './paths.js';

function hierarchies(cgroupFs: string): string[] {
  const out = new Set<string>();
  const add = (p: string): void => {
    try {
      out.add(realpathSync(p));
    } catch {
      // vanished
    }
  };
  add(cgroupFs);
  let entries: string[] = [];
  try {
    entries = readdirSync(cgroupFs);
  } catch {
    return [...out];
  }
  for (const e of entries) {
    const p = join(cgroupFs, e);
    try {
      if (statSync(p).isDirectory()) add(p);
    } catch {
      // not a hierarchy
    }
  }
  return [...out];
}

/** rmdir of a cgroup tree, leaves first (cgroup files cannot be unlinked, only their directories removed). */
function removeTree(path: string): void {
  for (const entry of readdirSync(path, { withFileTypes: true })) if (entry.isDirectory()) removeTree(join(path, entry.name));
  rmdirSync(path);
}

/** Removes the pod's cgroup directories; returns the paths that could not be removed (still busy). */
export function removePodCgroups(cgroupFs: string, cgroupRoot: string, uid: string): string[] {
  const relative = podCgroupParent({ cgroupRoot }, uid).replace(/^\/+/, '');
  const failed: string[] = [];
  for (const h of hierarchies(cgroupFs)) {
    const path = join(h, relative);
    if (!existsSync(path)) continue;
    try {
      removeTree(path);
    } catch {
      failed.push(path);
    }
  }
  return failed;
}

/** The pod uids that have a cgroup directory under `cgroupRoot` in any hierarchy. */
export function podCgroupUids(cgroupFs: string, cgroupRoot: string): Set<string> {
  const uids = new Set<string>();
  for (const h of hierarchies(cgroupFs)) {
    let entries: string[] = [];
    try {
      entries = readdirSync(join(h, cgroupRoot.replace(/^\/+/, '')));
    } catch {
      continue;
    }
    for (const e of entries) if (e.startsWith('pod') && e.length > 3) uids.add(e.slice(3));
  }
  return uids;
}

// Removing what containers leave on the host after a test: mounts under a
// test's own dirs and the cgroups runc leaves behind.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Unmounts every mount at or under `dir` (in this mount namespace), deepest first. */
export function unmountUnder(dir: string): void {
  const points = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((p) => p === dir || p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const p of points) execFileSync('umount', ['-l', p]);
}

/** Removes the cgroup `path` and its children in every hierarchy, leaves first; one still in use is left. */
export function removeCgroups(path: string): void {
  const removeTree = (p: string): void => {
    for (const entry of readdirSync(p)) {
      const sub = join(p, entry);
      if (statSync(sub).isDirectory()) removeTree(sub);
    }
    try {
      rmdirSync(p);
    } catch {
      // a process is still in it
    }
  };
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    const p = join('/sys/fs/cgroup', hierarchy, path);
    if (existsSync(p)) removeTree(p);
  }
}

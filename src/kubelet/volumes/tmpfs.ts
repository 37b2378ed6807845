// emptyDir volumes with `medium: Memory`: a tmpfs mounted on the volume's
// directory, sized by sizeLimit (upstream's size-memory-backed volumes: the
// node's allocatable memory when no limit is set). Mounted once; tear-down
// unmounts every mount point under a pod's volume directory before the
// directory is removed.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Mount points (from /proc/self/mountinfo) equal to or under `prefix`, deepest first. */
export function mountPointsUnder(prefix: string, mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): string[] {
  const points = mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .map((p) => p.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8))))
    .filter((p) => p === prefix || p.startsWith(`${prefix}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Mounts a tmpfs of `sizeBytes` on `dir` (mode 1777 as upstream's emptyDir) unless something is mounted there already. */
export async function mountTmpfs(dir: string, sizeBytes: number): Promise<void> {
  if (mountPointsUnder(dir).includes(dir)) return;
  const options = ['mode=1777', ...(sizeBytes > 0 ? [`size=${Math.ceil(sizeBytes)}`] : [])].join(',');
  await run('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
}

/** Unmounts everything mounted under `dir`. */
export async function unmountUnder(dir: string): Promise<void> {
  for (const point of mountPointsUnder(dir)) await run('umount', [point]);
}

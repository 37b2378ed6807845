// The images tsk8s bundles (built by scripts/build-images.mjs into
// runtime/images at the package root) and imports at start, so a node runs
// pods without any registry.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const bundledImages = {
  /** The pod sandbox image: a static program that sleeps, reaps orphans and exits on SIGTERM. */
  pause: 'localhost/tsk8s/pause:3.10',
  /** busybox with `sh` as its command, /bin/http-get, and a /bin/wget that accepts -T. */
  busybox: 'localhost/tsk8s/busybox:1.35',
} as const;

/** The image every pod sandbox runs (containerd's `sandbox_image`). */
export const sandboxImage = bundledImages.pause;

/** `runtime/images` at the package root: this file sits three levels below it in both src/ and dist/. */
export function defaultBundledImagesDir(): string {
  return fileURLToPath(new URL('../../../runtime/images', import.meta.url));
}

/** `<data-dir>/agent/images`: archives dropped here are imported at start and while running. */
export function agentImagesDir(dataDir: string): string {
  return join(dataDir, 'agent', 'images');
}

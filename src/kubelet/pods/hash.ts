// A container's spec hash: kept in the container's annotations so a spec
// change (a new image) is noticed and the container restarted, while an
// unchanged container is adopted as it is after a kubelet restart. Stable
// across restarts: keys are sorted before hashing.
import type { corev1 } from '../../api/types.js';
import { canonical } from '../canonical.js';

/** 32-bit FNV-1a over UTF-8 bytes, as hex. */
export function fnv1a32(text: string): string {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16);
}

/** The hash of what running the container depends on; resources are left out (they change in place). */
export function containerHash(container: corev1.Container): string {
  const { resources: _resources, resizePolicy: _resize, ...rest } = container;
  return fnv1a32(canonical(rest));
}

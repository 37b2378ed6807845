// Taint and toleration matching, as upstream's v1helper: a toleration with
// no effect matches every effect; operator Exists matches any value (and,
// with no key, any taint); Equal (the default) needs the same key and value.
import type { corev1 } from '../api/types.js';

export function toleratesTaint(t: corev1.Toleration, taint: corev1.Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== '' && t.key !== taint.key) return false;
  const operator = t.operator || 'Equal';
  if (operator === 'Exists') return true;
  if (operator !== 'Equal') return false;
  return (t.value ?? '') === (taint.value ?? '');
}

export function isTolerated(taint: corev1.Taint, tolerations: readonly corev1.Toleration[] | undefined): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The first taint with one of `effects` that no toleration matches. */
export function firstUntolerated(
  taints: readonly corev1.Taint[] | undefined,
  tolerations: readonly corev1.Toleration[] | undefined,
  effects: readonly string[],
): corev1.Taint | undefined {
  return (taints ?? []).find((taint) => effects.includes(taint.effect) && !isTolerated(taint, tolerations));
}

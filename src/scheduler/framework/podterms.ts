// Pod affinity terms resolved once per cycle: the namespaces a term looks
// at and its label selector as a matcher.
import type { corev1 } from '../../api/types.js';
import { labelSelectorFromObject, labelSelectorNothing, type LabelMatcher } from '../../machinery/index.js';

export interface PodTerm {
  /** undefined: every namespace (an empty namespaceSelector). */
  readonly namespaces: ReadonlySet<string> | undefined;
  readonly selector: LabelMatcher;
  readonly topologyKey: string;
  readonly weight: number;
}

export function selectorOf(selector: corev1.PodAffinityTerm['labelSelector']): LabelMatcher {
  try {
    return labelSelectorFromObject(selector);
  } catch {
    return labelSelectorNothing;
  }
}

/**
 * Resolves a term of `owner`. Namespaces: the listed ones; every namespace
 * when namespaceSelector is empty ({}); the owner's own when neither is
 * given. (A non-empty namespaceSelector adds nothing here: namespace labels
 * are not watched yet.)
 */
export function podTerm(owner: corev1.Pod, term: corev1.PodAffinityTerm, weight = 1): PodTerm {
  const listed = term.namespaces ?? [];
  const nsSel = term.namespaceSelector;
  const everyNamespace = nsSel !== undefined && nsSel !== null && !nsSel.matchLabels && !(nsSel.matchExpressions ?? []).length;
  let namespaces: Set<string> | undefined;
  if (everyNamespace) namespaces = undefined;
  else if (listed.length > 0 || nsSel) namespaces = new Set(listed);
  else namespaces = new Set([owner.metadata?.namespace ?? '']);
  return { namespaces, selector: selectorOf(term.labelSelector), topologyKey: term.topologyKey, weight };
}

export function termMatchesPod(term: PodTerm, pod: corev1.Pod): boolean {
  if (term.namespaces && !term.namespaces.has(pod.metadata?.namespace ?? '')) return false;
  return term.selector.matches(pod.metadata?.labels);
}

export function requiredAffinityTerms(pod: corev1.Pod): PodTerm[] {
  return (pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => podTerm(pod, t));
}

export function requiredAntiAffinityTerms(pod: corev1.Pod): PodTerm[] {
  return (pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => podTerm(pod, t));
}

export function preferredAffinityTerms(pod: corev1.Pod): PodTerm[] {
  return (pod.spec?.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => podTerm(pod, t.podAffinityTerm, t.weight));
}

export function preferredAntiAffinityTerms(pod: corev1.Pod): PodTerm[] {
  return (pod.spec?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) =>
    podTerm(pod, t.podAffinityTerm, t.weight),
  );
}

/** `key=value` of a topology domain. */
export function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

export interface PodAffinityTerms {
  readonly requiredAffinity: readonly PodTerm[];
  readonly requiredAnti: readonly PodTerm[];
  readonly preferredAffinity: readonly PodTerm[];
  readonly preferredAnti: readonly PodTerm[];
  /** Whether any of the four has a term. */
  readonly any: boolean;
}

const noTerms: PodAffinityTerms = Object.freeze({ requiredAffinity: [], requiredAnti: [], preferredAffinity: [], preferredAnti: [], any: false });

export function podAffinityTerms(pod: corev1.Pod): PodAffinityTerms {
  const a = pod.spec?.affinity;
  if (!a?.podAffinity && !a?.podAntiAffinity) return noTerms;
  const t = {
    requiredAffinity: requiredAffinityTerms(pod),
    requiredAnti: requiredAntiAffinityTerms(pod),
    preferredAffinity: preferredAffinityTerms(pod),
    preferredAnti: preferredAntiAffinityTerms(pod),
  };
  return { ...t, any: Object.values(t).some((l) => l.length > 0) };
}

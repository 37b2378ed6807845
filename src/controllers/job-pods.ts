// What the Job controller derives from pods: the pods it creates (labels,
// owner, completion index), completion indexes, the restart count that
// counts against backoffLimit with restartPolicy OnFailure, and the
// podFailurePolicy rule a failed pod matches.
import type { batchv1, corev1 } from '../api/types.js';
import { newControllerRef } from './ownership.js';

type Job = batchv1.Job;
type Pod = corev1.Pod;

export const jobKind = { apiVersion: 'batch/v1', kind: 'Job' } as const;
export const completionIndexKey = 'batch.kubernetes.io/job-completion-index';

/** The pod a Job creates, named `<job>-` (or `<job>-<index>-` when Indexed) plus a server suffix. */
export function jobPod(job: Job, index: number | undefined): Pod {
  const name = job.metadata?.name ?? '';
  const uid = job.metadata?.uid ?? '';
  const t = job.spec?.template ?? {};
  const meta = t.metadata ?? {};
  const labels: Record<string, string> = {
    ...meta.labels,
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  const annotations: Record<string, string> = { ...meta.annotations };
  const spec: corev1.PodSpec = structuredClone(t.spec ?? { containers: [] });
  if (index !== undefined) {
    labels[completionIndexKey] = String(index);
    annotations[completionIndexKey] = String(index);
    spec.hostname ??= `${name}-${index}`;
    const env: corev1.EnvVar = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${completionIndexKey}']` } } };
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      if (!c.env?.some((e) => e.name === env.name)) c.env = [...(c.env ?? []), env];
    }
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
      namespace: job.metadata?.namespace,
      labels,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: [newControllerRef({ ...jobKind, metadata: job.metadata })],
    },
    spec,
  };
}

/** The completion index a pod carries (annotation first, then label), or undefined. */
export function podIndex(pod: Pod, completions: number): number | undefined {
  const raw = pod.metadata?.annotations?.[completionIndexKey] ?? pod.metadata?.labels?.[completionIndexKey];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n < completions ? n : undefined;
}

/** Indexes as upstream's completedIndexes: ascending, runs of three or more as `a-b`, e.g. `0-2,4,6-9`. */
export function formatIndexes(indexes: ReadonlySet<number>): string {
  const sorted = [...indexes].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    const first = sorted[i] ?? 0;
    const last = sorted[j] ?? 0;
    if (j === i) parts.push(String(first));
    else if (j === i + 1) parts.push(String(first), String(last));
    else parts.push(`${first}-${last}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** Parses a completedIndexes string; entries outside [0, completions) are dropped. */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (text ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const first = Number(m[1]);
    const last = Math.min(Number(m[2] ?? m[1]), completions - 1);
    for (let i = first; i <= last; i++) out.add(i);
  }
  return out;
}

/** Container restarts of the pod (init containers included): they count as failures with restartPolicy OnFailure. */
export function podRestarts(pod: Pod): number {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  return statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
}

export type FailurePolicyAction = 'FailJob' | 'Ignore' | 'Count' | 'FailIndex';

export interface FailurePolicyMatch {
  action: FailurePolicyAction;
  /** For FailJob: the Failed condition's message, as upstream words it. */
  message: string;
}

/** The first podFailurePolicy rule a failed pod matches, or undefined (then the failure counts). */
export function matchFailurePolicy(job: Job, pod: Pod): FailurePolicyMatch | undefined {
  const rules = job.spec?.podFailurePolicy?.rules ?? [];
  const podName = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
  for (const [i, rule] of rules.entries()) {
    const action = rule.action as FailurePolicyAction;
    const codes = rule.onExitCodes;
    if (codes) {
      const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
      for (const s of statuses) {
        if (codes.containerName && codes.containerName !== s.name) continue;
        const code = s.state?.terminated?.exitCode;
        if (code === undefined || code === 0) continue;
        const listed = codes.values.includes(code);
        if (codes.operator === 'In' ? listed : !listed) {
          return { action, message: `Container ${s.name} for pod ${podName} failed with exit code ${code} matching ${action} rule at index ${i}` };
        }
      }
      continue;
    }
    for (const pattern of rule.onPodConditions ?? []) {
      const want = pattern.status || 'True';
      if (pod.status?.conditions?.some((c) => c.type === pattern.type && c.status === want)) {
        return { action, message: `Pod ${podName} has condition ${pattern.type} matching ${action} rule at index ${i}` };
      }
    }
  }
  return undefined;
}

/** When the pod finished: the latest container finishedAt, else its Ready condition's last change, else its creation. */
export function podFinishedAt(pod: Pod): number {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const times = statuses.map((s) => Date.parse(s.state?.terminated?.finishedAt ?? '')).filter((n) => !Number.isNaN(n));
  if (times.length > 0) return Math.max(...times);
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
  const at = Date.parse(ready ?? pod.metadata?.creationTimestamp ?? '');
  return Number.isNaN(at) ? 0 : at;
}

/**
 * Milliseconds to wait before replacing failed pods, as upstream's pod
 * failure back-off: `baseMs`·2^(failures since the last success − 1),
 * capped at `maxMs`, counted from the latest failure.
 */
export function failureBackoffMs(failed: readonly Pod[], succeeded: readonly Pod[], now: number, baseMs: number, maxMs: number): number {
  const lastSuccess = Math.max(0, ...succeeded.map(podFinishedAt));
  const recent = failed.map(podFinishedAt).filter((at) => at >= lastSuccess);
  if (recent.length === 0 || baseMs <= 0) return 0;
  const delay = Math.min(maxMs, baseMs * 2 ** Math.min(recent.length - 1, 30));
  return Math.max(0, Math.max(...recent) + delay - now);
}

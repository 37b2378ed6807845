// The DisruptionAllowed condition of a PodDisruptionBudget, kept by both
// the disruption controller and the eviction API (which flips it to False
// when it takes the last allowed disruption).
import type { policyv1 } from '../api/types.js';

export const disruptionAllowedCondition = 'DisruptionAllowed';
export const disruptionReasons = { sufficientPods: 'SufficientPods', insufficientPods: 'InsufficientPods', syncFailed: 'SyncFailed' } as const;

/**
 * Sets the condition from status.disruptionsAllowed (or to False with
 * `reason`/`message` when given); the transition time changes only when the
 * status does.
 */
export function setDisruptionAllowed(status: policyv1.PodDisruptionBudgetStatus, now: string, failure?: { reason: string; message: string }): void {
  const allowed = failure === undefined && status.disruptionsAllowed > 0;
  const next = {
    type: disruptionAllowedCondition,
    status: allowed ? 'True' : 'False',
    reason: failure?.reason ?? (allowed ? disruptionReasons.sufficientPods : disruptionReasons.insufficientPods),
    message: failure?.message ?? '',
    observedGeneration: status.observedGeneration ?? 0,
    lastTransitionTime: now,
  };
  const conditions = [...(status.conditions ?? [])];
  const at = conditions.findIndex((c) => c.type === disruptionAllowedCondition);
  const old = at >= 0 ? conditions[at] : undefined;
  if (old && old.status === next.status) next.lastTransitionTime = old.lastTransitionTime;
  if (at >= 0) conditions[at] = next;
  else conditions.push(next);
  status.conditions = conditions;
}

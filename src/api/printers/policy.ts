// PodDisruptionBudgets and PriorityClasses.
import type { policyv1, schedulingv1 } from '../types.js';
import { age } from './age.js';
import { ageColumn, column, definePrinter, nameColumn } from './columns.js';
import { int, scalar, text } from './read.js';

/** An int-or-percent bound; `N/A` when the budget does not set it. */
function bound(value: unknown): string {
  return value === undefined || value === null ? 'N/A' : scalar(value);
}

export const podDisruptionBudgetPrinter = definePrinter<policyv1.PodDisruptionBudget>(
  [
    nameColumn,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn,
  ],
  (pdb, now) => [
    text(pdb.metadata?.name),
    bound(pdb.spec?.minAvailable),
    bound(pdb.spec?.maxUnavailable),
    int(pdb.status?.disruptionsAllowed),
    age(pdb.metadata?.creationTimestamp, now),
  ],
);

export const priorityClassPrinter = definePrinter<schedulingv1.PriorityClass>(
  [
    nameColumn,
    column('Value', 'integer', 'The priority pods of this class receive.'),
    column('Global-Default', 'boolean', 'Whether this class is the default for pods without a priority class.'),
    ageColumn,
    // Upstream declares this column without a priority, so kubectl shows it always.
    column('PreemptionPolicy', 'string', 'Whether pods of this class may preempt lower-priority pods.'),
  ],
  (pc, now) => [
    text(pc.metadata?.name),
    int(pc.value),
    pc.globalDefault === true,
    age(pc.metadata?.creationTimestamp, now),
    text(pc.preemptionPolicy),
  ],
);

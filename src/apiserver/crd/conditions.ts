// The status the CRD controller maintains: acceptedNames and the
// NamesAccepted and Established conditions (a transition time changes only
// when the condition's status does), storedVersions including every
// version that has been the storage version.
import { namesOf } from './kind.js';
import type { CustomResourceDefinition, CustomResourceDefinitionCondition, CustomResourceDefinitionStatus } from './types.js';

function condition(
  previous: readonly CustomResourceDefinitionCondition[],
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: string,
): CustomResourceDefinitionCondition {
  const old = previous.find((c) => c.type === type);
  const lastTransitionTime = old !== undefined && old.status === status && old.lastTransitionTime !== undefined ? old.lastTransitionTime : now;
  return { type, status, lastTransitionTime, reason, message };
}

/**
 * The status a CRD should have. `conflict` is the message naming a
 * conflicting name, or undefined when its names are free.
 */
export function desiredStatus(crd: CustomResourceDefinition, conflict: string | undefined, now: string): CustomResourceDefinitionStatus {
  const previous = crd.status?.conditions ?? [];
  const names = namesOf(crd);
  const storage = crd.spec.versions.find((v) => v.storage)?.name;
  const stored = [...(crd.status?.storedVersions ?? [])];
  if (storage !== undefined && !stored.includes(storage)) stored.push(storage);
  if (conflict !== undefined) {
    return {
      conditions: [
        condition(previous, 'NamesAccepted', 'False', 'NameConflict', conflict, now),
        condition(previous, 'Established', 'False', 'NotAccepted', 'not all names are accepted', now),
      ],
      acceptedNames: crd.status?.acceptedNames ?? { plural: '', kind: '' },
      storedVersions: stored,
    };
  }
  const acceptedNames = { plural: names.plural, singular: names.singular, kind: names.kind, listKind: names.listKind, ...(names.shortNames.length > 0 ? { shortNames: names.shortNames } : {}), ...(names.categories.length > 0 ? { categories: names.categories } : {}) };
  return {
    conditions: [
      condition(previous, 'NamesAccepted', 'True', 'NoConflicts', 'no conflicts found', now),
      condition(previous, 'Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted', now),
    ],
    acceptedNames,
    storedVersions: stored,
  };
}

/** Names the CRD claims in its group, for conflict checks. */
export function claimedNames(crd: CustomResourceDefinition): { resources: string[]; kinds: string[] } {
  const n = namesOf(crd);
  return { resources: [n.plural, n.singular, ...n.shortNames], kinds: [n.kind, n.listKind] };
}

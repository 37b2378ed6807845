// Label selectors: parse the `labelSelector` query string, or convert a
// metav1 LabelSelector object (matchLabels + matchExpressions), into one
// matcher. Requirements are ANDed. Invalid input is a 400 BadRequest
// carrying upstream's message (`unable to parse requirement: ...`).

import { badRequest } from './errors.js';
import { parseRequirements } from './labelparse.js';
import { quote } from './quote.js';
import { newRequirement, requirementMatches, requirementString, type LabelRequirement, type Labels } from './labelrequirement.js';

export { LabelOperator, type LabelRequirement, type Labels } from './labelrequirement.js';

export interface LabelMatcher {
  /** The requirements, sorted by key; empty for the everything and nothing selectors. */
  readonly requirements: readonly LabelRequirement[];
  /** True only for the selector that matches no object (a null LabelSelector object). */
  readonly matchesNothing: boolean;
  /** Whether every requirement holds for the labels (undefined = no labels). */
  matches(labels: Labels): boolean;
  /** True when the matcher selects every object. */
  isEverything(): boolean;
  /** Upstream's canonical text: requirements joined by `,`. */
  toString(): string;
}

/** The metav1.LabelSelectorRequirement shape, as it arrives in an object. */
export interface LabelSelectorRequirementObject {
  key: string;
  operator: string;
  values?: readonly string[] | null;
}

/** The metav1.LabelSelector shape (a Deployment's spec.selector, a NetworkPolicy's podSelector, ...). */
export interface LabelSelectorObject {
  matchLabels?: Readonly<Record<string, string>> | null;
  matchExpressions?: readonly LabelSelectorRequirementObject[] | null;
}

function matcher(requirements: readonly LabelRequirement[], matchesNothing = false): LabelMatcher {
  return {
    requirements,
    matchesNothing,
    matches: (labels) => !matchesNothing && requirements.every((r) => requirementMatches(r, labels)),
    isEverything: () => !matchesNothing && requirements.length === 0,
    toString: () => requirements.map(requirementString).join(','),
  };
}

/** Matches every object (an empty selector string or an empty LabelSelector object). */
export const labelSelectorEverything: LabelMatcher = matcher([]);

/** Matches no object (a null LabelSelector object). */
export const labelSelectorNothing: LabelMatcher = matcher([], true);

/**
 * Parses the string syntax (`a=b,c!=d,e in (f,g),h notin (i),j,!k`, and
 * `l>1`, `m<2` as upstream). An empty or blank string matches everything.
 * Throws a 400 ApiError with upstream's message when the text is invalid.
 */
export function parseLabelSelector(text: string): LabelMatcher {
  const parsed = parseRequirements(text);
  if (typeof parsed === 'string') throw badRequest(parsed);
  return parsed.length === 0 ? labelSelectorEverything : matcher(parsed);
}

const expressionOperators: Readonly<Record<string, string>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * Converts a LabelSelector object as upstream's LabelSelectorAsSelector does:
 * null/undefined matches nothing, an empty one everything; matchLabels are
 * `=` requirements, matchExpressions use In, NotIn, Exists, DoesNotExist.
 * Throws a 400 ApiError with upstream's message when a requirement is
 * invalid (`"Foo" is not a valid label selector operator`, field errors).
 */
export function labelSelectorFromObject(selector: LabelSelectorObject | null | undefined): LabelMatcher {
  if (selector === null || selector === undefined) return labelSelectorNothing;
  const matchLabels = Object.entries(selector.matchLabels ?? {});
  const expressions = selector.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return labelSelectorEverything;
  const requirements: LabelRequirement[] = [];
  for (const [key, value] of matchLabels.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    requirements.push(checked(newRequirement(key, '=', [value])));
  }
  for (const expr of expressions) {
    const operator = expressionOperators[expr.operator];
    if (operator === undefined) throw badRequest(`${quote(expr.operator)} is not a valid label selector operator`);
    requirements.push(checked(newRequirement(expr.key, operator, expr.values ?? [])));
  }
  return matcher(requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
}

function checked(r: LabelRequirement | string): LabelRequirement {
  if (typeof r === 'string') throw badRequest(r);
  return r;
}

/** A matcher for exactly these labels (`k=v` for each), without validation, as upstream's SelectorFromSet. */
export function labelSelectorFromSet(labels: Readonly<Record<string, string>>): LabelMatcher {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return labelSelectorEverything;
  return matcher(keys.map((key) => ({ key, operator: '=' as const, values: [labels[key] ?? ''] })));
}

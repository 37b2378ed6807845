// One requirement of a label selector (`app=web`, `tier in (a,b)`, `!beta`)
// with upstream's validation (labels.NewRequirement) and matching rules.
// Note the absent-key semantics: `!=` and `notin` match objects that lack
// the key, `=`, `==`, `in`, `gt` and `lt` do not.

import { fieldErrorsMessage, fieldInvalid, fieldNotSupported, type FieldError } from './fielderrors.js';
import { parseInt64 } from './int64.js';
import { GoLiteral } from './quote.js';
import { isQualifiedName, isValidLabelValue } from './validation.js';

/** Upstream's selection.Operator values. */
export const LabelOperator = {
  In: 'in',
  NotIn: 'notin',
  Equals: '=',
  DoubleEquals: '==',
  NotEquals: '!=',
  GreaterThan: 'gt',
  LessThan: 'lt',
  Exists: 'exists',
  DoesNotExist: '!',
} as const;

export type LabelOperator = (typeof LabelOperator)[keyof typeof LabelOperator];

/** The operators in upstream's order, as its error messages list them. */
export const binaryOperators: readonly LabelOperator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const validOperators: readonly LabelOperator[] = [...binaryOperators, 'exists', '!'];

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Values as given; empty for exists and !, one for =, ==, !=, gt, lt. */
  readonly values: readonly string[];
}

/** Labels of an object; undefined or null is an object without labels. */
export type Labels = Readonly<Record<string, string>> | null | undefined;

/** A path prefix for field errors; upstream's nil path renders as `<nil>` on its own and vanishes as a prefix. */
const child = (path: string | undefined, name: string): string => (path === undefined ? name : `${path}.${name}`);

/** Field error for an invalid label key, at `path` (`<nil>` when none, as upstream's parser reports it). */
export function labelKeyError(key: string, path: string | undefined): FieldError | undefined {
  const errs = isQualifiedName(key);
  return errs.length === 0 ? undefined : fieldInvalid(path ?? '<nil>', key, errs.join('; '));
}

function labelValueError(key: string, value: string, path: string): FieldError | undefined {
  const errs = isValidLabelValue(value);
  return errs.length === 0 ? undefined : fieldInvalid(`${path}[${key}]`, value, errs.join('; '));
}

/**
 * Validates a requirement as upstream's NewRequirement does and returns its
 * field errors (empty when valid): key syntax, the value count the operator
 * needs, integer values for gt/lt, and every value's syntax.
 */
export function requirementErrors(key: string, operator: string, values: readonly string[], path?: string): FieldError[] {
  const errs: FieldError[] = [];
  // Upstream copies the values with append(nil, ...), so an empty list prints as a nil slice.
  const shown: unknown = values.length === 0 ? new GoLiteral('[]string(nil)') : values;
  const keyErr = labelKeyError(key, child(path, 'key'));
  if (keyErr !== undefined) errs.push(keyErr);
  const valuePath = child(path, 'values');
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(fieldInvalid(valuePath, shown, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(fieldInvalid(valuePath, shown, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(fieldInvalid(valuePath, shown, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(fieldInvalid(valuePath, shown, "for 'Gt', 'Lt' operators, exactly one value is required"));
      values.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(fieldInvalid(`${valuePath}[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(fieldNotSupported(child(path, 'operator'), operator, validOperators));
  }
  values.forEach((v, i) => {
    const e = labelValueError(key, v, `${valuePath}[${i}]`);
    if (e !== undefined) errs.push(e);
  });
  return errs;
}

/** Builds a requirement, or returns the aggregate message of its validation errors. */
export function newRequirement(key: string, operator: string, values: readonly string[], path?: string): LabelRequirement | string {
  const message = fieldErrorsMessage(requirementErrors(key, operator, values, path));
  if (message !== undefined) return message;
  return { key, operator: operator as LabelOperator, values: [...values] };
}

/** Whether the labels satisfy the requirement (see the absent-key note above). */
export function requirementMatches(r: LabelRequirement, labels: Labels): boolean {
  const has = labels !== undefined && labels !== null && Object.hasOwn(labels, r.key);
  const value = has ? labels?.[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return value !== undefined && r.values.includes(value);
    case 'notin':
    case '!=':
      return value === undefined || !r.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (value === undefined || r.values.length !== 1) return false;
      const actual = parseInt64(value);
      const bound = parseInt64(r.values[0] ?? '');
      if (actual === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

/** Upstream's text form: `!k`, `k`, `k=v`, `k in (a,b)` (set values sorted), `k>1`. */
export function requirementString(r: LabelRequirement): string {
  const symbol: Readonly<Record<LabelOperator, string>> = {
    '=': '=',
    '==': '==',
    '!=': '!=',
    in: ' in ',
    notin: ' notin ',
    gt: '>',
    lt: '<',
    exists: '',
    '!': '',
  };
  if (r.operator === 'exists') return r.key;
  if (r.operator === '!') return `!${r.key}`;
  const values = r.values.length === 1 ? (r.values[0] ?? '') : [...r.values].sort().join(',');
  const set = r.operator === 'in' || r.operator === 'notin';
  return `${r.key}${symbol[r.operator]}${set ? `(${values})` : values}`;
}

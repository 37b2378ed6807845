// Int-or-percent fields (rolling update surge and unavailability,
// disruption budgets), as upstream's apps validation checks them.
import { fieldInvalid } from '../../machinery/index.js';
import { nonNegative } from './common.js';
import { isUnset, type Check } from './input.js';

const percentRe = /^[0-9]+%$/;
const percentMessage =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";

/** A non-negative integer or a percentage string. */
export function positiveIntOrPercent(c: Check, v: unknown, path: string): void {
  if (isUnset(v)) return;
  if (typeof v === 'string') {
    if (!percentRe.test(v)) c.add(fieldInvalid(path, v, percentMessage));
  } else if (typeof v === 'number') {
    nonNegative(c, v, path);
  } else {
    c.add(fieldInvalid(path, v, "must be an integer or percentage (e.g '5%')"));
  }
}

/** The number or the percentage's number, 0 when neither. */
export function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && percentRe.test(v)) return Number(v.slice(0, -1));
  return 0;
}

export function notMoreThan100Percent(c: Check, v: unknown, path: string): void {
  if (typeof v === 'string' && percentRe.test(v) && Number(v.slice(0, -1)) > 100) c.add(fieldInvalid(path, v, 'must not be greater than 100%'));
}

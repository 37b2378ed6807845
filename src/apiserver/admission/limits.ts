// The three LimitRange constraints on one set of requests and limits, with
// upstream's messages: min (a request at least min, a limit too), max (a
// limit at most max, a request too), and maxLimitRequestRatio.
import type { corev1 } from '../../api/types.js';
import { compareQuantities, formatQuantity, quantityMilliValue, readAmounts, type Quantity, type ResourceAmounts } from '../../machinery/index.js';

/** `maxRequest` is max applied to requests alone (claims have no limits). */
type Constraint = 'min' | 'max' | 'maxRequest' | 'maxLimitRequestRatio';

function minViolation(kind: string, name: string, enforced: Quantity, req: Quantity | undefined, lim: Quantity | undefined): string | undefined {
  const e = formatQuantity(enforced);
  if (req === undefined) return `minimum ${name} usage per ${kind} is ${e}.  No request is specified`;
  if (compareQuantities(req, enforced) < 0) return `minimum ${name} usage per ${kind} is ${e}, but request is ${formatQuantity(req)}`;
  if (lim !== undefined && compareQuantities(lim, enforced) < 0) return `minimum ${name} usage per ${kind} is ${e}, but limit is ${formatQuantity(lim)}`;
  return undefined;
}

function maxViolation(kind: string, name: string, enforced: Quantity, req: Quantity | undefined, lim: Quantity | undefined): string | undefined {
  const e = formatQuantity(enforced);
  if (lim === undefined) return `maximum ${name} usage per ${kind} is ${e}.  No limit is specified`;
  if (compareQuantities(lim, enforced) > 0) return `maximum ${name} usage per ${kind} is ${e}, but limit is ${formatQuantity(lim)}`;
  if (req !== undefined && compareQuantities(req, enforced) > 0) return `maximum ${name} usage per ${kind} is ${e}, but request is ${formatQuantity(req)}`;
  return undefined;
}

function maxRequestViolation(kind: string, name: string, enforced: Quantity, req: Quantity | undefined): string | undefined {
  const e = formatQuantity(enforced);
  if (req === undefined) return `maximum ${name} usage per ${kind} is ${e}.  No request is specified`;
  if (compareQuantities(req, enforced) > 0) return `maximum ${name} usage per ${kind} is ${e}, but request is ${formatQuantity(req)}`;
  return undefined;
}

function ratioViolation(kind: string, name: string, enforced: Quantity, req: Quantity | undefined, lim: Quantity | undefined): string | undefined {
  const e = formatQuantity(enforced);
  const reqMilli = req === undefined ? 0n : quantityMilliValue(req);
  const limMilli = lim === undefined ? 0n : quantityMilliValue(lim);
  if (reqMilli === 0n) return `${name} max limit to request ratio per ${kind} is ${e}, but no request is specified or request is 0`;
  if (limMilli === 0n) return `${name} max limit to request ratio per ${kind} is ${e}, but no limit is specified or limit is 0`;
  // limit / request > max, compared exactly as limit × 1000 > max (milli) × request.
  if (limMilli * 1000n > quantityMilliValue(enforced) * reqMilli) {
    const ratio = Number(limMilli) / Number(reqMilli);
    return `${name} max limit to request ratio per ${kind} is ${e}, but provided ratio is ${ratio.toFixed(6)}`;
  }
  return undefined;
}

const checks: Readonly<Record<Constraint, typeof minViolation>> = { min: minViolation, max: maxViolation, maxRequest: maxRequestViolation, maxLimitRequestRatio: ratioViolation };
/** Where a constraint's enforced values are in a LimitRangeItem. */
const fields: Readonly<Record<Constraint, 'min' | 'max' | 'maxLimitRequestRatio'>> = { min: 'min', max: 'max', maxRequest: 'max', maxLimitRequestRatio: 'maxLimitRequestRatio' };

/** Every violation of `item` by these requests and limits, in upstream's order (min, max, ratio; resources sorted). */
export function limitViolations(
  kind: string,
  item: corev1.LimitRangeItem,
  requests: ResourceAmounts,
  limits: ResourceAmounts,
  constraints: readonly Constraint[] = ['min', 'max', 'maxLimitRequestRatio'],
): string[] {
  const errors: string[] = [];
  for (const constraint of constraints) {
    const enforced = readAmounts(item[fields[constraint]] as Record<string, unknown> | undefined);
    for (const name of [...enforced.keys()].sort()) {
      const err = checks[constraint](kind, name, enforced.get(name) as Quantity, requests.get(name), limits.get(name));
      if (err !== undefined) errors.push(err);
    }
  }
  return errors;
}

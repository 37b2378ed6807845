// Compute resource requirements of containers: resource names, quantity
// values, and requests no larger than limits (equal, for resources that
// cannot be overcommitted).
import {
  compareQuantities,
  fieldForbidden,
  fieldInvalid,
  fieldRequired,
  formatQuantity,
  isQualifiedName,
  quantityFromJSON,
  quantityMilliValue,
  quantitySign,
  type Quantity,
} from '../../machinery/index.js';
import type { Check } from './input.js';

const standardResources = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory',
  'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
const isNative = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');
const isExtended = (name: string): boolean => !isNative(name) && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0;
/** Native resources other than huge pages may be overcommitted (requests below limits). */
const overcommitAllowed = (name: string): boolean => isNative(name) && !isHugePages(name);

function isStandard(name: string): boolean {
  return standardResources.has(name) || isHugePages(name) || /^(requests|limits)\.hugepages-/.test(name);
}

/** upstream validateContainerResourceName */
function resourceName(c: Check, name: string, path: string): void {
  const msgs = isQualifiedName(name);
  for (const msg of msgs) c.add(fieldInvalid(path, name, msg));
  if (msgs.length === 0 && !name.includes('/') && !isStandard(name)) c.add(fieldInvalid(path, name, 'must be a standard resource type or fully qualified'));
  if (!name.includes('/')) {
    if (!['cpu', 'memory', 'ephemeral-storage'].includes(name) && !isHugePages(name)) c.add(fieldInvalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNative(name) && !isExtended(name)) {
    c.add(fieldInvalid(path, name, "doesn't follow extended resource name standard"));
  }
}

/** Parses a quantity; a malformed one is reported with upstream's parse message. */
export function quantity(c: Check, v: unknown, path: string): Quantity | undefined {
  try {
    return quantityFromJSON(v);
  } catch (err) {
    c.add(fieldInvalid(path, v ?? null, err instanceof Error ? err.message : String(err)));
    return undefined;
  }
}

/** Non-negative, and whole for extended (integer) resources. */
function quantityValue(c: Check, name: string, q: Quantity, path: string): void {
  if (quantitySign(q) < 0) c.add(fieldInvalid(path, formatQuantity(q), 'must be greater than or equal to 0'));
  if (isExtended(name) && quantityMilliValue(q) % 1000n !== 0n) c.add(fieldInvalid(path, formatQuantity(q), 'must be an integer'));
}

function resourceList(c: Check, v: unknown, path: string): Map<string, Quantity> {
  const out = new Map<string, Quantity>();
  for (const [name, raw] of Object.entries(c.obj(v, path) ?? {})) {
    const p = `${path}[${name}]`;
    resourceName(c, name, p);
    const q = quantity(c, raw, p);
    if (q === undefined) continue;
    quantityValue(c, name, q, p);
    out.set(name, q);
  }
  return out;
}

export function validateResourceRequirements(c: Check, v: unknown, path: string): void {
  const resources = c.obj(v, path);
  if (resources === undefined) return;
  const limPath = `${path}.limits`;
  const reqPath = `${path}.requests`;
  const limits = resourceList(c, resources.limits, limPath);
  const requests = resourceList(c, resources.requests, reqPath);
  for (const [name, request] of requests) {
    const limit = limits.get(name);
    if (limit !== undefined) {
      const cmp = compareQuantities(request, limit);
      if (cmp !== 0 && !overcommitAllowed(name)) c.add(fieldInvalid(reqPath, formatQuantity(request), `must be equal to ${name} limit of ${formatQuantity(limit)}`));
      else if (cmp > 0) c.add(fieldInvalid(reqPath, formatQuantity(request), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`));
    } else if (!overcommitAllowed(name)) {
      c.add(fieldRequired(limPath, 'Limit must be set for non overcommitable resources'));
    }
  }
  const names = [...limits.keys(), ...requests.keys()];
  if (names.some(isHugePages) && !names.some((n) => n === 'cpu' || n === 'memory')) c.add(fieldForbidden(path, 'HugePages require cpu or memory'));
}

// Exact arithmetic on quantities and on resource lists (upstream's
// quota.Add / Subtract helpers): sums keep the first operand's format
// (a zero takes the other's), so `1Gi + 512Mi` formats as `1536Mi`.
import { compareQuantities, QuantityFormat, type Quantity } from './quantity.js';

/** A resource list read into quantities: `cpu` → 500m. */
export type ResourceAmounts = Map<string, Quantity>;

export const zeroQuantity: Quantity = { unscaled: 0n, exponent: 0, format: QuantityFormat.DecimalSI };

function aligned(a: Quantity, b: Quantity): [bigint, bigint, number] {
  const e = Math.min(a.exponent, b.exponent);
  return [a.unscaled * 10n ** BigInt(a.exponent - e), b.unscaled * 10n ** BigInt(b.exponent - e), e];
}

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  if (b.unscaled === 0n) return { unscaled: a.unscaled, exponent: a.exponent, format: a.format };
  if (a.unscaled === 0n) return { unscaled: b.unscaled, exponent: b.exponent, format: b.format };
  const [x, y, e] = aligned(a, b);
  return { unscaled: x + y, exponent: e, format: a.format };
}

export function subtractQuantities(a: Quantity, b: Quantity): Quantity {
  return addQuantities(a, { unscaled: -b.unscaled, exponent: b.exponent, format: b.format });
}

export function maxQuantity(a: Quantity, b: Quantity): Quantity {
  return compareQuantities(a, b) >= 0 ? a : b;
}

/** a + b for every resource in either list. */
export function addAmounts(a: ResourceAmounts, b: ResourceAmounts): ResourceAmounts {
  const out = new Map(a);
  for (const [name, q] of b) out.set(name, addQuantities(out.get(name) ?? zeroQuantity, q));
  return out;
}

/** a - b for every resource in a; resources only in b are left out. */
export function subtractAmounts(a: ResourceAmounts, b: ResourceAmounts): ResourceAmounts {
  const out = new Map<string, Quantity>();
  for (const [name, q] of a) out.set(name, subtractQuantities(q, b.get(name) ?? zeroQuantity));
  return out;
}

/** Only the named resources of a list. */
export function pickAmounts(a: ResourceAmounts, names: Iterable<string>): ResourceAmounts {
  const out = new Map<string, Quantity>();
  for (const name of names) {
    const q = a.get(name);
    if (q !== undefined) out.set(name, q);
  }
  return out;
}

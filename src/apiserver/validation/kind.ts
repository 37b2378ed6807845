// The per-kind validator contract and a builder for the usual shape:
// create rules, and update rules that add to the create rules.
import type { KubeObject } from '../../api/types.js';
import type { FieldError } from '../../machinery/index.js';
import { Check } from './input.js';

/** A kind's own rules (metadata rules are run separately by index.ts). */
export interface KindValidator {
  create(obj: KubeObject): FieldError[];
  update(obj: KubeObject, old: KubeObject): FieldError[];
}

export type CreateRules = (c: Check, obj: KubeObject) => void;
export type UpdateRules = (c: Check, obj: KubeObject, old: KubeObject) => void;

/**
 * Update runs the create rules on the new object and the update rules
 * against the old one: create rules first unless `updateFirst` (the order
 * upstream reports them in for that kind).
 */
export function kindValidator(create: CreateRules, update?: UpdateRules, opts: { updateFirst?: boolean } = {}): KindValidator {
  return {
    create(obj) {
      const c = new Check();
      create(c, obj);
      return c.errors;
    },
    update(obj, old) {
      const c = new Check();
      if (opts.updateFirst) update?.(c, obj, old);
      create(c, obj);
      if (!opts.updateFirst) update?.(c, obj, old);
      return c.errors;
    },
  };
}

// Nodes: taints, pod CIDRs, and what a node update may not change.
import { isIP } from 'node:net';
import { fieldDuplicate, fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, isValidLabelValue } from '../../machinery/index.js';
import { qualifiedName } from './common.js';
import { isObj, type Check, type Obj } from './input.js';
import { kindValidator, type KindValidator } from './kind.js';

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** An IP network in CIDR notation (`10.42.0.0/24`). */
export function isCIDR(value: string): boolean {
  const [ip = '', bits, extra] = value.split('/');
  if (extra !== undefined || bits === undefined || !/^[0-9]+$/.test(bits)) return false;
  const family = isIP(ip);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

/** Taints, reported under metadata.taints as upstream reports them. */
function validateTaints(c: Check, v: unknown): void {
  const path = 'metadata.taints';
  const seen = new Set<string>();
  for (const [taint, p] of c.objList(v, 'spec.taints')) {
    const i = p.slice('spec.taints'.length);
    const key = c.str(taint.key, `${path}${i}.key`) ?? '';
    qualifiedName(c, key, `${path}${i}.key`);
    const value = c.str(taint.value, `${path}${i}.value`) ?? '';
    const msgs = isValidLabelValue(value);
    if (msgs.length > 0) c.add(fieldInvalid(`${path}${i}.value`, value, msgs.join(';')));
    const effect = c.str(taint.effect, `${path}${i}.effect`) ?? '';
    if (effect === '') c.add(fieldRequired(`${path}${i}.effect`));
    else if (!taintEffects.includes(effect)) c.add(fieldNotSupported(`${path}${i}.effect`, effect, taintEffects));
    if (seen.has(`${effect}/${key}`)) c.add({ ...fieldDuplicate(`${path}${i}`, taint), detail: 'taints must be unique by key and effect pair' });
    seen.add(`${effect}/${key}`);
  }
}

function podCIDRs(spec: Obj): string[] {
  return Array.isArray(spec.podCIDRs) ? spec.podCIDRs.filter((x): x is string => typeof x === 'string') : [];
}

const cidrChange = 'node updates may not change podCIDR except from "" to valid';

export const nodeValidators: Readonly<Record<string, KindValidator>> = {
  nodes: kindValidator(
    (c, obj) => {
      const spec = c.obj(obj.spec, 'spec') ?? {};
      validateTaints(c, spec.taints);
      const cidrs = c.strList(spec.podCIDRs, 'spec.podCIDRs');
      cidrs.forEach((cidr, i) => {
        if (!isCIDR(cidr)) c.add(fieldInvalid(`spec.podCIDRs[${i}]`, cidr, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));
      });
      const families = new Set(cidrs.map((cidr) => isIP(cidr.split('/')[0] ?? '')));
      if (cidrs.length > 2 || (cidrs.length === 2 && families.size !== 2)) c.add(fieldInvalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
      c.bool(spec.unschedulable, 'spec.unschedulable');
    },
    (c, obj, old) => {
      const spec = isObj(obj.spec) ? obj.spec : {};
      const prev = isObj(old.spec) ? old.spec : {};
      const was = podCIDRs(prev);
      const now = podCIDRs(spec);
      if (was.length > 0 && (was.length !== now.length || was.some((cidr, i) => cidr !== now[i]))) c.add(fieldForbidden('spec.podCIDRs', cidrChange));
      if (typeof prev.providerID === 'string' && prev.providerID !== '' && prev.providerID !== spec.providerID) {
        c.add(fieldForbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
      }
    },
  ),
};

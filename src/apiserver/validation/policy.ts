// PriorityClasses, PodDisruptionBudgets and HorizontalPodAutoscalers.
import type { KubeObject } from '../../api/types.js';
import { fieldForbidden, fieldInvalid, fieldNotSupported, fieldRequired, isValidPathSegmentName } from '../../machinery/index.js';
import { immutable, validateLabelSelector } from './common.js';
import type { Check } from './input.js';
import { notMoreThan100Percent, positiveIntOrPercent } from './intorpercent.js';
import { kindValidator, type KindValidator } from './kind.js';

/** The highest priority a user-defined class may have (1e9); higher values are for the system classes. */
export const highestUserDefinablePriority = 1000000000;

const systemClasses: Readonly<Record<string, number>> = {
  'system-node-critical': 2000001000,
  'system-cluster-critical': 2000000000,
};

function validatePriorityClass(c: Check, obj: KubeObject): void {
  const name = obj.metadata?.name ?? '';
  const value = c.int(obj.value, 'value') ?? 0;
  const globalDefault = c.bool(obj.globalDefault, 'globalDefault') ?? false;
  if (name.startsWith('system-')) {
    const known = systemClasses[name];
    let err: string | undefined;
    if (known === undefined) err = `${name} is not a known system priority class`;
    else if (known !== value) err = `value of ${name} PriorityClass must be ${known}`;
    else if (globalDefault) err = `globalDefault of ${name} PriorityClass must be false`;
    if (err) c.add(fieldForbidden('metadata.name', `priority class names with 'system-' prefix are reserved for system use only. error: ${err}`));
  } else if (value > highestUserDefinablePriority) {
    c.add(fieldForbidden('value', `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`));
  }
  const preemption = c.str(obj.preemptionPolicy, 'preemptionPolicy');
  if (preemption === '' && obj.preemptionPolicy !== undefined && obj.preemptionPolicy !== null) c.add(fieldRequired('preemptionPolicy'));
  else if (preemption && preemption !== 'PreemptLowerPriority' && preemption !== 'Never') c.add(fieldNotSupported('preemptionPolicy', preemption, ['PreemptLowerPriority', 'Never']));
}

function validatePDB(c: Check, obj: KubeObject): void {
  const spec = c.obj(obj.spec, 'spec') ?? {};
  const hasMin = spec.minAvailable !== undefined && spec.minAvailable !== null;
  const hasMax = spec.maxUnavailable !== undefined && spec.maxUnavailable !== null;
  if (hasMin && hasMax) c.add(fieldInvalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  for (const field of ['minAvailable', 'maxUnavailable']) {
    positiveIntOrPercent(c, spec[field], `spec.${field}`);
    notMoreThan100Percent(c, spec[field], `spec.${field}`);
  }
  validateLabelSelector(c, spec.selector, 'spec.selector');
  const eviction = c.str(spec.unhealthyPodEvictionPolicy, 'spec.unhealthyPodEvictionPolicy');
  if (eviction && eviction !== 'AlwaysAllow' && eviction !== 'IfHealthyBudget') {
    c.add(fieldNotSupported('spec.unhealthyPodEvictionPolicy', eviction, ['AlwaysAllow', 'IfHealthyBudget']));
  }
}

function validateHPA(c: Check, obj: KubeObject): void {
  const spec = c.obj(obj.spec, 'spec') ?? {};
  const min = c.int(spec.minReplicas, 'spec.minReplicas');
  const max = c.int(spec.maxReplicas, 'spec.maxReplicas') ?? 0;
  if (min !== undefined && min < 1) c.add(fieldInvalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  if (max < 1) c.add(fieldInvalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (min !== undefined && max < min) c.add(fieldInvalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  const ref = c.obj(spec.scaleTargetRef, 'spec.scaleTargetRef') ?? {};
  for (const field of ['kind', 'name']) {
    const value = c.str(ref[field], `spec.scaleTargetRef.${field}`);
    if (value === '') c.add(fieldRequired(`spec.scaleTargetRef.${field}`));
    else if (value !== undefined) for (const msg of isValidPathSegmentName(value)) c.add(fieldInvalid(`spec.scaleTargetRef.${field}`, value, msg));
  }
}

export const policyValidators: Readonly<Record<string, KindValidator>> = {
  'priorityclasses.scheduling.k8s.io': kindValidator(validatePriorityClass, (c, obj, old) => {
    if (obj.value !== old.value) c.add(fieldForbidden('value', 'may not be changed in an update.'));
    immutable(c, obj.preemptionPolicy, old.preemptionPolicy, 'preemptionPolicy');
  }),
  'poddisruptionbudgets.policy': kindValidator(validatePDB),
  'horizontalpodautoscalers.autoscaling': kindValidator(validateHPA),
};
